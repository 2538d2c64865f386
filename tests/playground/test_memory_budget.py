"""The engine memory of all of one process's simulations together is bounded: each topology fits the
engine's own limit, but a few hundred large ones at once would not fit the machine."""

import pytest

import engine
from playground.sim.simulation import LEDGER, LiveSimulation
from tests.playground.conftest import make_document

MB = 1 << 20


def big_cache_document() -> dict:
    document = make_document("A big cache")
    document["traffic"] = {**document["traffic"], "keys": 1_000_000}
    document["nodes"].append({"id": "cache", "kind": "cache", "x": 500, "y": 400,
                              "props": {"capacity_keys": 1_000_000, "policy": "lfu"}})  # fmt: skip
    document["edges"] += [{"from": "web1", "to": "cache"}, {"from": "web2", "to": "cache"}]
    return document


@pytest.fixture
def needed() -> int:
    return engine.load(big_cache_document()).memory_bytes


class TestMemoryBudget:
    def test_simulations_past_the_process_budget_are_refused_with_the_reason(self, needed):
        budget = int(needed * 2.5)
        first, second, third = (LiveSimulation(10, memory_limit=budget) for _ in range(3))
        first.load(big_cache_document())
        second.load(big_cache_document())
        with pytest.raises(engine.TopologyError) as refused:
            third.load(big_cache_document())
        assert "no memory left" in refused.value.problems[0]["message"]
        assert not third.loaded  # nothing half-loaded
        first.close()
        third.load(big_cache_document())  # the first page left: there is room again
        assert third.loaded
        second.close()
        third.close()

    def test_loading_again_replaces_what_a_simulation_held(self, needed):
        budget = int(needed * 1.5)
        live = LiveSimulation(10, memory_limit=budget)
        for _ in range(3):
            live.load(big_cache_document())
        live.reset(7)
        assert LEDGER.held[id(live)] == needed
        live.close()
        assert id(live) not in LEDGER.held

    def test_a_forgotten_simulation_frees_its_share(self, needed):
        live = LiveSimulation(10, memory_limit=needed * 2)
        live.load(big_cache_document())
        owner = id(live)
        del live
        assert owner not in LEDGER.held
        assert engine.load(make_document()).memory_bytes < MB * 64  # a usual topology is small
