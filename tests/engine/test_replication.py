"""Primary and replicas: where reads and writes go, stale reads, synchronous replication, failover
and the writes it loses, against the obvious probabilities.

Stale reads: with writes to key i arriving as a Poisson stream at rate w_i, a read of key i at a
replica with lag L is stale when some write to key i committed within the last L seconds, with
probability 1 - exp(-w_i L). Lost writes: asynchronous replication loses the writes committed in
the last L seconds before the primary died, on average (write rate) x L (Poisson).
"""

import numpy as np
import pytest

import engine
from tests.engine.documents import balanced, replicated


def fresh(doc: dict, seed: int = 0) -> engine.Simulation:
    return engine.Simulation(engine.load(doc), seed=seed)


def flows(frame: dict) -> dict:
    return {(edge["from"], edge["to"]): edge["flows"] for edge in frame["edges"]}


class TestRouting:
    def test_reads_go_to_replicas_and_writes_to_the_primary(self):
        simulation = fresh(replicated(rps=2000, read_ratio=0.75, replicas=2))
        frame = [simulation.step(1.0) for _ in range(3)][-1]
        flow = flows(frame)
        assert flow[("web", "primary")]["read"] == 0
        assert flow[("web", "replica1")]["write"] == 0
        assert flow[("web", "replica1")]["read"] == pytest.approx(flow[("web", "replica2")]["read"], abs=1)
        assert flow[("web", "primary")]["write"] == pytest.approx(500, rel=0.15)
        # Every committed write is shipped to every replica.
        assert flow[("primary", "replica1")]["write"] == flow[("web", "primary")]["write"]
        assert frame["nodes"]["replica1"]["role"] == "replica"

    def test_reads_move_to_the_other_replica_then_to_the_primary(self):
        simulation = fresh(replicated(rps=1000, replicas=2))
        simulation.act({"action": "kill", "target": "replica1"})
        one_left = flows(simulation.step(1.0))
        simulation.act({"action": "kill", "target": "replica2"})
        none_left = simulation.step(1.0)
        assert one_left[("web", "replica1")]["read"] == 0 < one_left[("web", "replica2")]["read"]
        assert flows(none_left)[("web", "primary")]["read"] > 0
        assert none_left["totals"]["error_rate"] == 0

    def test_a_database_without_replicas_serves_everything_as_before(self):
        frame = [fresh(balanced(rps=500)).step(1.0) for _ in range(2)][-1]
        assert flows(frame)[("web1", "db")]["read"] > 0
        assert frame["totals"]["stale_reads"] == 0


class TestStaleReads:
    def test_stale_reads_follow_the_probability_of_a_write_within_the_lag(self):
        rps, read_ratio, lag, keys, exponent = 4000.0, 0.8, 0.05, 200, 0.9
        doc = replicated(rps=rps, read_ratio=read_ratio, lag_ms=lag * 1000, keys=keys, zipf=exponent)
        report = engine.run(doc, 60, seed=1, warmup_s=1)
        weights = np.arange(1, keys + 1, dtype=np.float64) ** -exponent
        p = weights / weights.sum()
        expected = float(np.sum(p * (1 - np.exp(-rps * (1 - read_ratio) * p * lag))))
        reads = report["nodes"]["replica1"]["completed"]
        assert report["data"]["stale_reads"] / reads == pytest.approx(expected, rel=0.05)

    def test_synchronous_replication_has_no_stale_reads_but_slower_writes(self):
        def run(replication: str) -> dict:
            return engine.run(replicated(rps=2000, lag_ms=20, replication=replication), 10, seed=2)

        asynchronous, synchronous = run("async"), run("sync")
        assert asynchronous["data"]["stale_reads"] > 0
        assert synchronous["data"]["stale_reads"] == 0
        # A write holds its primary's worker for the replica's 20 ms lag; reads do not wait.
        writes, reads = synchronous["latency_ms"]["by_class"]["write"], synchronous["latency_ms"]["by_class"]["read"]
        assert writes["p50"] == pytest.approx(20.1, rel=0.02) and reads["p99"] < 0.2
        assert synchronous["nodes"]["primary"]["mean_latency_ms"] == pytest.approx(20.05, abs=0.01)
        assert asynchronous["nodes"]["primary"]["mean_latency_ms"] == pytest.approx(0.05, abs=0.01)


class TestFailover:
    def test_writes_fail_until_a_replica_is_promoted(self):
        doc = replicated(rps=1000, read_ratio=0.8, failover_s=3,
                         scenario=[{"at": 2, "action": "kill", "target": "primary"}])  # fmt: skip
        simulation = fresh(doc, seed=3)
        frames = [simulation.step(1.0) for _ in range(8)]
        error_rates = [frame["totals"]["error_rate"] for frame in frames]
        assert error_rates[:2] == [0, 0]
        assert all(rate == pytest.approx(0.2, abs=0.05) for rate in error_rates[2:5])
        assert error_rates[5:] == [0, 0, 0]
        events = [(event["t"], event["kind"], event["target"]) for frame in frames for event in frame["events"]]
        # What fails and why is told as it happens: writes with no primary, until the failover.
        assert ("failing", "primary") in [(kind, target) for _, kind, target in events]
        timeline = [event for event in events if event[1] not in ("failing", "failures_ended")]
        assert timeline == [(2.0, "kill", "primary"), (2.0, "primary_down", "primary"), (5.0, "failover", "replica1")]
        assert frames[-1]["nodes"]["replica1"]["role"] == "primary"
        assert flows(frames[-1])[("web", "replica1")]["write"] > 0

    def test_asynchronous_failover_loses_about_write_rate_times_lag(self):
        rps, read_ratio, lag = 5000.0, 0.8, 0.2
        lost = []
        for seed in range(5):
            doc = replicated(rps=rps, read_ratio=read_ratio, lag_ms=lag * 1000,
                             scenario=[{"at": 3, "action": "kill", "target": "primary"}])  # fmt: skip
            lost.append(engine.run(doc, 10, seed=seed)["data"]["lost_writes"])
        expected = rps * (1 - read_ratio) * lag
        # Poisson: the mean of five counts of mean 200 has a standard deviation of about 6.3.
        assert np.mean(lost) == pytest.approx(expected, abs=20)
        assert min(lost) > 0

    def test_synchronous_failover_loses_nothing(self):
        doc = replicated(rps=2000, replication="sync", scenario=[{"at": 3, "action": "kill", "target": "primary"}])
        report = engine.run(doc, 10, seed=4)
        assert report["data"]["lost_writes"] == 0

    def test_the_old_primary_comes_back_as_a_replica(self):
        simulation = fresh(replicated(failover_s=1))
        simulation.act({"action": "kill", "target": "primary"})
        simulation.step(2.0)
        simulation.act({"action": "revive", "target": "primary"})
        frame = simulation.step(1.0)
        assert frame["events"][0]["message"] == "primary is back up, as a replica of replica1."
        assert frame["nodes"]["primary"]["role"] == "replica"
        assert flows(frame)[("web", "primary")]["read"] > 0
        assert flows(frame)[("web", "primary")]["write"] == 0

    def test_a_primary_revived_before_failover_stays_primary(self):
        simulation = fresh(replicated(failover_s=5))
        simulation.act({"action": "kill", "target": "primary"})
        simulation.step(1.0)
        simulation.act({"action": "revive", "target": "primary"})
        frames = [simulation.step(1.0) for _ in range(6)]
        assert all(event["kind"] != "failover" for frame in frames for event in frame["events"])
        assert frames[-1]["nodes"]["primary"]["role"] == "primary"
        assert frames[-1]["totals"]["error_rate"] == 0

    def test_with_no_replica_up_writes_keep_failing(self):
        simulation = fresh(replicated(failover_s=1))
        simulation.act({"action": "kill", "target": "replica1"})
        simulation.act({"action": "kill", "target": "primary"})
        frame = [simulation.step(1.5) for _ in range(2)][-1]
        assert "No replica of primary is up" in frame["events"][0]["message"]
        assert frame["totals"]["error_rate"] == 1.0

    def test_it_replays_identically(self):
        def scripted() -> str:
            simulation = fresh(replicated(rps=3000, failover_s=1), seed=9)
            frames = [simulation.step(0.5) for _ in range(2)]
            simulation.act({"action": "kill", "target": "primary"})
            frames += [simulation.step(0.5) for _ in range(4)]
            simulation.act({"action": "revive", "target": "primary"})
            return str(frames + [simulation.step(0.5) for _ in range(2)])

        assert scripted() == scripted()


class TestValidation:
    def test_replication_goes_from_a_primary_to_a_replica(self):
        doc = replicated()
        doc["edges"].append({"from": "replica1", "to": "primary"})
        with pytest.raises(engine.TopologyError) as caught:
            engine.load(doc)
        assert any("from a primary to a replica" in problem["message"] for problem in caught.value.problems)

    def test_a_replica_needs_one_primary(self):
        doc = replicated()
        doc["edges"] = [edge for edge in doc["edges"] if edge["from"] != "primary" or edge["to"] == "web"]
        doc["edges"] = [edge for edge in doc["edges"] if (edge["from"], edge["to"]) != ("primary", "replica1")]
        with pytest.raises(engine.TopologyError) as caught:
            engine.load(doc)
        assert caught.value.problems == [
            {"path": "replica1", "message": "Replica 'replica1' copies no primary: connect its primary to it."}
        ]
