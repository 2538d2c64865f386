"""Rate limits per client address with 429 and a retry time, and the cap on simulations a process runs."""

import json

import pytest
from channels.testing import WebsocketCommunicator

from playground.asgi import application
from playground.ops.limits import SERVER_BUSY, TOO_MANY_SOCKETS
from playground.ops.throttle import MessageBudget

pytestmark = pytest.mark.django_db(transaction=True)


def create(client, document: dict, address: str = "10.0.0.1"):
    body = json.dumps({"document": document})
    return client.post("/api/topologies/", data=body, content_type="application/json", REMOTE_ADDR=address)


def socket(path: str = "/ws/sim/new/", address: str = "10.0.0.1") -> WebsocketCommunicator:
    headers = [(b"origin", b"http://127.0.0.1:8000"), (b"host", b"127.0.0.1")]
    communicator = WebsocketCommunicator(application, path, headers=headers)
    communicator.scope["client"] = (address, 50000)
    return communicator


class TestHttpLimits:
    def test_it_refuses_creating_past_the_limit_with_a_retry_time(self, client, document, settings):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, "create": "2/m"}
        assert [create(client, document).status_code for _ in range(2)] == [201, 201]
        refused = create(client, document)
        assert refused.status_code == 429
        assert 1 <= int(refused["Retry-After"]) <= 60
        assert f"try again in {refused['Retry-After']} s" in refused.json()["error"]

    def test_another_address_keeps_its_own_allowance(self, client, document, settings):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, "create": "1/m"}
        assert create(client, document, "10.0.0.1").status_code == 201
        assert create(client, document, "10.0.0.1").status_code == 429
        assert create(client, document, "10.0.0.2").status_code == 201

    def test_reading_is_not_limited(self, client, document, settings):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, "save": "1/m"}
        slug = create(client, document).json()["slug"]
        assert all(client.get(f"/api/topologies/{slug}/").status_code == 200 for _ in range(5))


@pytest.mark.asyncio
class TestSocketLimits:
    async def test_it_refuses_opening_sockets_past_the_limit_and_says_why(self, settings):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, "socket": "2/m"}
        opened = [socket(), socket()]
        for communicator in opened:
            assert (await communicator.connect())[0]
            assert (await communicator.receive_json_from())["type"] == "hello"
        refused = socket()
        await refused.connect()
        message = await refused.receive_json_from()
        assert message["type"] == "error" and "Too many connections" in message["message"]
        assert (await refused.receive_output())["code"] == TOO_MANY_SOCKETS
        for communicator in opened:
            await communicator.disconnect()
        await refused.disconnect()

    async def test_a_full_process_politely_refuses_another_simulation(self, settings):
        settings.MAX_SIMULATIONS_PER_PROCESS = 1
        first, second = socket(), socket(address="10.0.0.9")
        assert (await first.connect())[0]
        assert (await first.receive_json_from())["type"] == "hello"
        await second.connect()
        message = await second.receive_json_from()
        assert "as many simulations as it can" in message["message"]
        assert (await second.receive_output())["code"] == SERVER_BUSY
        await first.disconnect()
        await second.disconnect()
        third = socket(address="10.0.0.10")  # the first page left: there is room again
        assert (await third.connect())[0]
        assert (await third.receive_json_from())["type"] == "hello"
        await third.disconnect()


class TestMessageBudget:
    """The per-connection token bucket, on a clock the test moves."""

    def test_a_burst_passes_then_messages_are_refused_and_the_first_refusal_is_answered(self):
        now = [0.0]
        budget = MessageBudget(per_second=2, burst=3, clock=lambda: now[0])
        assert [budget.allow() for _ in range(3)] == [True, True, True]
        assert not budget.allow() and budget.should_say_so
        assert not budget.allow() and not budget.should_say_so

    def test_the_budget_refills_at_its_rate_up_to_the_burst(self):
        now = [0.0]
        budget = MessageBudget(per_second=2, burst=3, clock=lambda: now[0])
        while budget.allow():
            pass
        now[0] += 1.0  # two messages' worth
        assert [budget.allow() for _ in range(3)] == [True, True, False]
        now[0] += 100.0  # never more than a burst, however long it was quiet
        assert sum(budget.allow() for _ in range(10)) == 3


@pytest.mark.asyncio
class TestMessageFloods:
    async def test_a_flooded_socket_answers_a_burst_says_so_once_and_stays_open(self, settings):
        settings.WS_MESSAGES_PER_SECOND, settings.WS_MESSAGE_BURST = 1, 5
        communicator = socket(address="10.0.1.1")
        assert (await communicator.connect())[0]
        assert (await communicator.receive_json_from())["type"] == "hello"
        for _ in range(40):
            await communicator.send_json_to({"type": "speed", "value": 2})
        replies = [await communicator.receive_json_from() for _ in range(6)]
        assert [reply["type"] for reply in replies[:5]] == ["state"] * 5
        assert replies[5]["type"] == "error" and "Too many messages" in replies[5]["message"]
        assert await communicator.receive_nothing()  # the rest were ignored, and said only once
        await communicator.disconnect()
