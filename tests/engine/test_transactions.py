"""Transactions over two rows (traffic.txn_ratio): one relational database commits them whole;
across shards, relational shards use two-phase commit (an extra round of twopc_ms, and an abort
when a participant is down, with nothing written) and NoSQL shards write each row on its own.

Servers are quick and constant (0.05 ms), so the 4 ms of two-phase commit's round stands out;
every write is a transaction and no request reads, so every database visit is one of its rows."""

import pytest

import engine
from engine.kernels import layout as k
from tests.engine.documents import sharded

SEEDS = range(5)


def transfers(shards: int, model: str = "relational", rps: float = 200.0, scenario: list | None = None) -> dict:
    """Every request a transfer: a write that is a transaction over two rows."""
    doc = sharded(shards=shards, spares=0, rps=rps, read_ratio=0.0, model=model, scenario=scenario)
    doc["traffic"]["txn_ratio"] = 1.0
    return doc


def writes(simulation, node: str) -> float:
    """Rows a database has written so far (a transaction's part counts one)."""
    return float(simulation.state.nflt[simulation.topology.index(node), k.F_WRITES])


class TestOneDatabase:
    @pytest.mark.parametrize("seed", SEEDS)
    def test_it_commits_every_transaction_whole(self, seed):
        report = engine.run(transfers(1), 10, seed=seed)
        assert report["data"]["txn_committed"] == report["completed"] > 1500
        assert report["data"]["txn_aborted"] == report["data"]["txn_partial"] == 0
        assert report["data"]["twopc_ms"] == 0


class TestTwoPhaseCommit:
    @pytest.mark.parametrize("seed", SEEDS)
    def test_it_adds_its_round_to_a_transaction_across_shards(self, seed):
        one = engine.run(transfers(1), 10, seed=seed)["latency_ms"]["by_class"]["write"]["p50"]
        two = engine.run(transfers(2), 10, seed=seed)
        # One node writes both rows in 2 x 0.05 ms; two shards 0.1 ms each, one after the other,
        # plus two-phase commit's 4 ms round.
        extra = two["latency_ms"]["by_class"]["write"]["p50"] - one
        assert extra == pytest.approx(4.0 + 0.1, rel=0.05)
        assert two["data"]["twopc_ms"] == pytest.approx(4.0 * two["data"]["txn_committed"], rel=1e-6)

    @pytest.mark.parametrize("seed", SEEDS)
    def test_a_dead_participant_aborts_it_and_nothing_is_written(self, seed):
        simulation = engine.Simulation(engine.load(transfers(2)), seed)
        simulation.step(5.0)
        simulation.act({"action": "kill", "target": "shard2"})
        before = writes(simulation, "shard1"), simulation.report(5.0)["data"]
        simulation.measure_from_now()
        simulation.step(5.0)
        after = simulation.report(5.0)
        assert after["data"]["txn_aborted"] == after["requests"] > 800
        assert after["data"]["txn_committed"] == after["data"]["txn_partial"] == 0
        assert writes(simulation, "shard1") == before[0]
        assert after["nodes"]["web"]["dropped_by_cause"] == {"txn_aborted": after["requests"]}

    def test_its_round_is_a_setting_of_the_shard_group(self):
        doc = transfers(2)
        for node in doc["nodes"][2:]:
            node["props"]["twopc_ms"] = 20.0
        report = engine.run(doc, 10, seed=1)
        assert report["data"]["twopc_ms"] == pytest.approx(20.0 * report["data"]["txn_committed"], rel=1e-6)


class TestNoSqlShards:
    @pytest.mark.parametrize("seed", SEEDS)
    def test_they_need_no_extra_round(self, seed):
        report = engine.run(transfers(2, "nosql"), 10, seed=seed)
        assert report["data"]["twopc_ms"] == 0
        assert report["data"]["txn_committed"] == report["completed"]

    @pytest.mark.parametrize("seed", SEEDS)
    def test_a_dead_shard_leaves_transactions_half_done(self, seed):
        simulation = engine.Simulation(engine.load(transfers(2, "nosql")), seed)
        simulation.step(5.0)
        simulation.act({"action": "kill", "target": "shard2"})
        before = writes(simulation, "shard1")
        simulation.measure_from_now()
        simulation.step(5.0)
        after = simulation.report(5.0)
        assert after["data"]["txn_aborted"] == after["data"]["txn_committed"] == 0
        assert after["data"]["txn_partial"] == after["requests"] > 800
        # The row on the live shard is written alone.
        assert writes(simulation, "shard1") - before == pytest.approx(after["data"]["txn_partial"], abs=2)
