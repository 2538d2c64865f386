"""Rate limits per client address with 429 and a retry time, and the cap on simulations a process runs."""

import json

import pytest
from channels.testing import WebsocketCommunicator

from playground.asgi import application
from playground.limits import SERVER_BUSY, TOO_MANY_SOCKETS

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
