"""Every way a simulation comes to hold engine memory goes through the process's ledger: a load,
a saved topology opened by its link, a live `set`, a `reset`, a live class's runner. When the
ledger is full the person is told why in a sentence, and one client address cannot take it all."""

import asyncio

import pytest
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

import engine
from playground.classes import live, relay, runner
from playground.classes.coordination import coordinator
from playground.classes.models import LiveClass
from playground.ops.limits import SERVER_BUSY
from playground.routing import websocket_urlpatterns
from playground.sim.simulation import LEDGER, MemoryFull, live_simulation
from playground.topologies.models import Topology
from tests.playground.conftest import make_document
from tests.playground.test_memory_budget import big_cache_document

pytestmark = pytest.mark.django_db(transaction=True)

application = URLRouter(websocket_urlpatterns)
LONG_QUEUE = {"queue_limit": 100_000, "workers": 1024}


def connect(path: str, address: str = "10.0.0.1") -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, path)
    # The application reads its scope when it first runs, after this.
    communicator.scope["client"] = (address, 50000)
    return communicator


async def next_of(communicator: WebsocketCommunicator, kind: str, limit: int = 50) -> dict:
    for _ in range(limit):
        message = await communicator.receive_json_from(timeout=10)
        if message["type"] == kind:
            return message
    raise AssertionError(f"no {kind!r} message among the next {limit}")


async def opened_with(document: dict, address: str = "10.0.0.1") -> WebsocketCommunicator:
    communicator = connect("/ws/sim/new/", address)
    assert (await communicator.connect())[0]
    await next_of(communicator, "hello")
    await communicator.send_json_to({"type": "load", "document": document})
    return communicator


def held(document: dict) -> int:
    return engine.load(document).memory_bytes


class TestLiveChanges:
    @pytest.mark.asyncio
    async def test_a_set_that_needs_more_memory_than_is_free_is_refused_and_changes_nothing(self, settings):
        settings.SIM_MEMORY_MB = 8  # the small topology fits; a queue of 100,000 on web1 does not
        communicator = await opened_with(make_document())
        try:
            await next_of(communicator, "state")
            await communicator.send_json_to({"type": "set", "target": "web1", "props": LONG_QUEUE})
            refused = await next_of(communicator, "error")
            assert "no memory left" in refused["message"]
            await communicator.send_json_to({"type": "step"})
            frame = await next_of(communicator, "frame")
            assert frame["nodes"]["web1"]["up"]  # the simulation goes on as it was
            assert sum(LEDGER.held.values()) == held(make_document())
        finally:
            await communicator.disconnect()

    def test_the_ledger_counts_what_a_set_and_a_reset_hold(self):
        simulation = live_simulation("10.0.0.2")
        simulation.load(make_document())
        simulation.set("web1", LONG_QUEUE)
        grown = held(engine.patch_document(make_document(), "web1", LONG_QUEUE))
        assert LEDGER.held[id(simulation)] == grown
        simulation.reset(3)
        assert LEDGER.held[id(simulation)] == grown
        simulation.set("web1", {"queue_limit": 10, "workers": 2})
        assert LEDGER.held[id(simulation)] < grown
        simulation.close()

    def test_a_set_the_engine_refuses_gives_back_the_memory_it_asked_for(self):
        simulation = live_simulation("10.0.0.2")
        simulation.load(big_cache_document())
        before = LEDGER.held[id(simulation)]
        with pytest.raises(engine.TopologyError):
            simulation.set("cache", {"capacity_keys": 10})  # not a prop a running simulation can change
        assert LEDGER.held[id(simulation)] == before
        with pytest.raises(engine.ActionError, match="no node called"):
            simulation.set("nowhere", {"workers": 2})
        simulation.close()


class TestSavedTopologyWhenFull:
    @pytest.mark.asyncio
    async def test_its_socket_says_why_and_stays_open(self, settings):
        topology, _ = await asyncio.to_thread(Topology.create, make_document())
        settings.SIM_MEMORY_MB = 0
        communicator = connect(f"/ws/sim/{topology.slug}/")
        try:
            assert (await communicator.connect())[0]
            refused = await communicator.receive_json_from(timeout=10)
            assert refused["type"] == "error" and "no memory left" in refused["message"]
            hello = await communicator.receive_json_from(timeout=10)
            assert hello["type"] == "hello" and hello["loaded"] is False
            # The page sends its document on hello: refused the same way, and the socket still answers.
            await communicator.send_json_to({"type": "load", "document": make_document()})
            again = await communicator.receive_json_from(timeout=10)
            assert again["type"] == "error" and "no memory left" in again["message"]
            await communicator.send_json_to({"type": "pause"})
            assert (await communicator.receive_json_from(timeout=10))["type"] == "state"
        finally:
            await communicator.disconnect()


class TestFairShare:
    @pytest.mark.asyncio
    async def test_one_address_cannot_take_the_whole_ledger(self, settings):
        settings.SIM_MEMORY_MB = 1024
        settings.SIM_MEMORY_PER_ADDRESS_MB = 250  # two big caches, not three
        mine = [await opened_with(big_cache_document()) for _ in range(3)]
        other = await opened_with(big_cache_document(), address="10.9.9.9")
        try:
            for communicator in mine[:2]:
                assert "findings" in await next_of(communicator, "state")
            refused = await next_of(mine[2], "error")
            assert "one address may use" in refused["message"]
            assert "findings" in await next_of(other, "state")  # someone else still gets memory
        finally:
            for communicator in [*mine, other]:
                await communicator.disconnect()

    def test_each_address_is_counted_on_its_own(self):
        simulations = [live_simulation(address) for address in ("10.0.0.3", "10.0.0.3", "10.0.0.4")]
        for simulation in simulations:
            simulation.load(make_document())
        assert LEDGER.held_by("10.0.0.3", besides=0) == 2 * held(make_document())
        assert LEDGER.held_by("10.0.0.4", besides=0) == held(make_document())
        for simulation in simulations:
            simulation.close()
        assert LEDGER.held_by("10.0.0.3", besides=0) == 0


class TestLiveClassWhenFull:
    @pytest.mark.asyncio
    async def test_a_join_is_refused_with_the_reason_and_leaves_nothing_behind(self, settings):
        created, _ = await asyncio.to_thread(LiveClass.start, make_document())
        settings.SIM_MEMORY_MB = 0
        student = connect(f"/ws/live/{created.code}/")
        try:
            assert (await student.connect())[0]
            refused = await student.receive_json_from(timeout=10)
            assert refused["type"] == "error" and "no memory left" in refused["message"]
            closed = await student.receive_output(timeout=10)
            assert closed == {"type": "websocket.close", "code": SERVER_BUSY}
        finally:
            await student.disconnect()
        assert runner.group_name(created.code) not in relay.RELAYS
        assert created.code not in live.LOCAL
        assert await coordinator().owner(created.code) is None  # free for a process with memory

        settings.SIM_MEMORY_MB = 64
        again = connect(f"/ws/live/{created.code}/")
        try:
            assert (await again.connect())[0]
            assert (await again.receive_json_from(timeout=10))["type"] == "hello"
        finally:
            await again.disconnect()
            await runner.RUNNERS[created.code].end("test over")

    @pytest.mark.asyncio
    async def test_the_runner_counts_against_the_first_watchers_address(self):
        created, _ = await asyncio.to_thread(LiveClass.start, make_document())
        student = connect(f"/ws/live/{created.code}/", address="10.7.7.7")
        try:
            assert (await student.connect())[0]
            assert (await student.receive_json_from(timeout=10))["type"] == "hello"
            assert LEDGER.held_by("10.7.7.7", besides=0) == held(make_document())
        finally:
            await student.disconnect()
            await runner.RUNNERS[created.code].end("test over")


def test_memory_full_is_a_topology_error_with_one_sentence():
    full = MemoryFull("No room.")
    assert isinstance(full, engine.TopologyError)
    assert full.problems == [{"path": "nodes", "message": "No room."}]
