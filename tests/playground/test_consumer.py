import asyncio
import json

import pytest
from channels.routing import URLRouter
from channels.security.websocket import AllowedHostsOriginValidator
from channels.testing import WebsocketCommunicator

from playground.routing import websocket_urlpatterns
from playground.topologies.models import Topology

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]

application = AllowedHostsOriginValidator(URLRouter(websocket_urlpatterns))


def connect(path: str = "/ws/sim/new/", origin: bytes = b"http://127.0.0.1:8000") -> WebsocketCommunicator:
    return WebsocketCommunicator(application, path, headers=[(b"origin", origin), (b"host", b"127.0.0.1")])


async def opened(path: str = "/ws/sim/new/") -> WebsocketCommunicator:
    communicator = connect(path)
    connected, _ = await communicator.connect()
    assert connected
    hello = await communicator.receive_json_from()
    assert hello["type"] == "hello"
    return communicator


async def receive_until(communicator: WebsocketCommunicator, kind: str, limit: int = 50) -> dict:
    """The next message of that type, skipping others (frames keep arriving while running)."""
    for _ in range(limit):
        message = await communicator.receive_json_from(timeout=5)
        if message["type"] == kind:
            return message
    raise AssertionError(f"no {kind!r} message among the next {limit}")


async def loaded(document: dict) -> WebsocketCommunicator:
    communicator = await opened()
    await communicator.send_json_to({"type": "load", "document": document})
    state = await receive_until(communicator, "state")
    assert state["running"] is False
    return communicator


def simulation_tasks() -> list[asyncio.Task]:
    return [task for task in asyncio.all_tasks() if task.get_name().startswith("simulation:")]


class TestConnect:
    async def test_it_says_hello_on_a_new_topology(self):
        communicator = connect()
        connected, _ = await communicator.connect()
        assert connected
        hello = await communicator.receive_json_from()
        assert hello == {
            "type": "hello",
            "slug": "new",
            "speed": 1.0,
            "running": False,
            "t": 0.0,
            "loaded": False,
            "engine": {"ready": True},  # warm: nothing to wait for
        }
        await communicator.disconnect()

    async def test_it_loads_a_saved_topology(self, document):
        topology, _ = await asyncio.to_thread(Topology.create, document)
        communicator = connect(f"/ws/sim/{topology.slug}/")
        await communicator.connect()
        hello = await communicator.receive_json_from()
        assert hello["loaded"] is True
        await communicator.send_json_to({"type": "step"})
        frame = await receive_until(communicator, "frame")
        assert set(frame["nodes"]) == {"users", "lb", "web1", "web2", "db"}
        await communicator.disconnect()

    async def test_it_closes_on_an_unknown_topology(self):
        communicator = connect("/ws/sim/nosuchslug123/")
        await communicator.connect()
        error = await communicator.receive_json_from()
        assert error["type"] == "error"
        assert (await communicator.receive_output())["type"] == "websocket.close"
        await communicator.disconnect()

    async def test_it_refuses_a_foreign_origin(self):
        communicator = connect(origin=b"http://evil.example")
        connected, _ = await communicator.connect()
        assert not connected
        await communicator.disconnect()


class TestBadMessages:
    @pytest.mark.parametrize(
        "text, words",
        [
            ("this is not json", "not valid JSON"),
            ("[1, 2, 3]", "JSON object"),
            ('{"type": "explode"}', "Unknown message type"),
            ('{"type": "load", "document": "nope"}', "document"),
            ('{"type": "speed", "value": 100000}', "Speed"),
            ('{"type": "speed", "value": "fast"}', "value"),
            ('{"type": "start"}', "load"),
        ],
    )
    async def test_it_answers_an_error_and_stays_open(self, text, words, document):
        communicator = await opened()
        await communicator.send_to(text_data=text)
        error = await communicator.receive_json_from()
        assert error["type"] == "error"
        assert words in error["message"]
        await communicator.send_json_to({"type": "load", "document": document})
        assert (await receive_until(communicator, "state"))["type"] == "state"
        await communicator.disconnect()

    async def test_it_refuses_binary_frames(self):
        communicator = await opened()
        await communicator.send_to(bytes_data=b"\x00\x01")
        assert (await communicator.receive_json_from())["type"] == "error"
        await communicator.disconnect()

    async def test_it_refuses_a_huge_message(self):
        communicator = await opened()
        await communicator.send_to(text_data=json.dumps({"type": "load", "document": {"x": "y" * 400_000}}))
        error = await communicator.receive_json_from()
        assert "larger than" in error["message"]
        await communicator.disconnect()

    async def test_it_lists_the_problems_of_an_invalid_topology(self, broken_document, document):
        communicator = await loaded(document)
        await communicator.send_json_to({"type": "load", "document": broken_document})
        error = await communicator.receive_json_from()
        assert error["type"] == "error"
        assert len(error["problems"]) >= 2
        # The previous, valid simulation is still there.
        await communicator.send_json_to({"type": "step"})
        assert (await receive_until(communicator, "frame"))["nodes"]["web1"]["up"] is True
        await communicator.disconnect()

    async def test_it_refuses_an_action_on_an_unknown_node(self, document):
        communicator = await loaded(document)
        await communicator.send_json_to({"type": "act", "action": "kill", "target": "ghost"})
        error = await communicator.receive_json_from()
        assert error["type"] == "error"
        assert "ghost" in error["message"]
        await communicator.disconnect()


class TestRunning:
    async def test_it_streams_frames_with_advancing_time(self, document):
        communicator = await loaded(document)
        await communicator.send_json_to({"type": "speed", "value": 10})
        await receive_until(communicator, "state")
        await communicator.send_json_to({"type": "start"})
        frames = [await receive_until(communicator, "frame") for _ in range(5)]
        times = [frame["t"] for frame in frames]
        assert times == sorted(times) and times[0] < times[-1]
        assert times[1] - times[0] == pytest.approx(1.0)  # speed 10 at 10 frames a second
        assert frames[-1]["totals"]["rps"] > 0
        await communicator.disconnect()

    async def test_pause_stops_the_frames(self, document):
        communicator = await loaded(document)
        await communicator.send_json_to({"type": "start"})
        await receive_until(communicator, "frame")
        await communicator.send_json_to({"type": "pause"})
        state = await receive_until(communicator, "state")
        assert state["running"] is False
        assert await communicator.receive_nothing(timeout=0.5)
        await communicator.disconnect()

    async def test_a_killed_server_goes_down_and_its_traffic_moves(self, document):
        communicator = await loaded(document)
        for _ in range(10):
            await communicator.send_json_to({"type": "step"})
            before = await receive_until(communicator, "frame")
        assert before["nodes"]["web1"]["rps"] > 0
        await communicator.send_json_to({"type": "act", "action": "kill", "target": "web1"})
        for _ in range(10):
            await communicator.send_json_to({"type": "step"})
            after = await receive_until(communicator, "frame")
        assert after["nodes"]["web1"]["up"] is False
        assert after["nodes"]["web1"]["rps"] == 0
        assert after["nodes"]["web2"]["rps"] > 1.5 * before["nodes"]["web2"]["rps"]
        await communicator.disconnect()

    async def test_it_announces_the_kill_as_an_event(self, document):
        communicator = await loaded(document)
        await communicator.send_json_to({"type": "act", "action": "kill", "target": "web2"})
        await communicator.send_json_to({"type": "step"})
        event = await receive_until(communicator, "event")
        assert event["target"] == "web2"
        assert event["kind"] == "kill"
        await communicator.disconnect()

    async def test_set_changes_a_running_simulation(self, document):
        communicator = await loaded(document)
        await communicator.send_json_to({"type": "set", "target": "traffic", "props": {"rps": 20}})
        for _ in range(10):
            await communicator.send_json_to({"type": "step"})
            frame = await receive_until(communicator, "frame")
        assert frame["totals"]["offered_rps"] < 60
        await communicator.disconnect()

    async def test_reset_goes_back_to_the_start(self, document):
        communicator = await loaded(document)
        await communicator.send_json_to({"type": "step"})
        first = await receive_until(communicator, "frame")
        await communicator.send_json_to({"type": "step"})
        await receive_until(communicator, "frame")
        await communicator.send_json_to({"type": "reset", "seed": 0})
        assert (await receive_until(communicator, "state"))["t"] == 0
        await communicator.send_json_to({"type": "step"})
        again = await receive_until(communicator, "frame")
        assert again["seq"] == first["seq"] + 2  # numbered per connection, for acknowledgements
        assert {**again, "seq": first["seq"]} == first
        await communicator.disconnect()

    async def test_a_closed_connection_stops_its_simulation(self, document):
        communicator = await loaded(document)
        await communicator.send_json_to({"type": "start"})
        await receive_until(communicator, "frame")
        assert len(simulation_tasks()) == 1
        await communicator.disconnect()
        assert simulation_tasks() == []
