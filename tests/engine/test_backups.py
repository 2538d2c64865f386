"""Is a replica a backup? A bad write replicates to every replica after its lag; a backup's
snapshot brings the data back, losing only the writes made after the snapshot.

Theory: writes arrive as a Poisson stream at rate w, so a restore at time r from a snapshot
taken at s loses about w (r - s) writes: exactly the writes the primary committed in between.
"""

import pytest

import engine
from tests.engine.documents import backed_up, replicated


def fresh(doc: dict, seed: int = 0) -> engine.Simulation:
    return engine.Simulation(engine.load(doc), seed=seed)


def keys(frame: dict, *names: str) -> list[int]:
    return [frame["nodes"][name]["keys"] for name in names]


class TestBadWrite:
    def test_a_bad_write_reaches_every_replica_after_its_lag(self):
        doc = replicated(replicas=2, keys=1000)
        doc["nodes"][3]["props"]["lag_ms"] = 50
        doc["nodes"][4]["props"]["lag_ms"] = 300
        simulation = fresh(doc)
        simulation.step(1.0)
        simulation.act({"action": "bad_write", "target": "primary"})
        names = ("primary", "replica1", "replica2")
        first = simulation.step(0.04)
        assert keys(first, *names) == [0, 1000, 1000]
        assert first["data"]["keys_lost"] == 1000
        second = simulation.step(0.02)
        assert keys(second, *names) == [0, 0, 1000]
        third = simulation.step(0.3)
        assert keys(third, *names) == [0, 0, 0]
        events = first["events"] + second["events"] + third["events"]
        assert [(e["t"], e["target"]) for e in events] == [(1.0, "primary"), (1.05, "replica1"), (1.3, "replica2")]
        assert events[0]["message"] == (
            "A bad write deleted 1,000 rows (100%) on primary; replication copies it to replica1, replica2 "
            "within its lag."
        )
        assert "A replica is not a backup." in events[1]["message"]

    @pytest.mark.parametrize("seed", range(5))
    def test_a_bad_write_waits_for_a_dead_replica_and_lands_when_it_is_back(self, seed: int):
        """A dead machine receives nothing: the bad write reaches replica2 only after it is revived
        and caught up (its lag later), not at the moment it would have while it was down."""
        doc = replicated(replicas=2, keys=1000)
        doc["nodes"][3]["props"]["lag_ms"] = 50
        doc["nodes"][4]["props"]["lag_ms"] = 300
        simulation = fresh(doc, seed)
        simulation.step(1.0)
        simulation.act({"action": "kill", "target": "replica2"})
        simulation.act({"action": "bad_write", "target": "primary"})
        events = [e for _ in range(20) for e in simulation.step(0.1)["events"]]
        assert not [e for e in events if e["kind"] == "bad_write" and e["target"] == "replica2"]
        simulation.act({"action": "revive", "target": "replica2"})
        before = simulation.step(0.25)
        assert before["nodes"]["replica2"]["keys"] == 1000
        after = simulation.step(0.1)
        assert after["nodes"]["replica2"]["keys"] == 0
        landed = [e for e in after["events"] if e["kind"] == "bad_write"]
        assert [(e["t"], e["target"]) for e in landed] == [(pytest.approx(3.3), "replica2")]

    def test_replication_keeps_nothing_to_recover_from(self):
        doc = replicated(replicas=2, keys=500, scenario=[{"at": 2, "action": "bad_write", "target": "primary",
                                                           "share": 0.4}])  # fmt: skip
        report = engine.run(doc, 5)
        assert report["data"]["keys_lost"] == 200
        assert [report["nodes"][n]["keys"] for n in ("primary", "replica1", "replica2")] == [300, 300, 300]

    def test_a_bad_write_after_a_failover_hits_the_new_primary(self):
        doc = replicated(replicas=1, failover_s=1, scenario=[
            {"at": 1, "action": "kill", "target": "primary"},
            {"at": 3, "action": "bad_write", "target": "primary"},
        ])  # fmt: skip
        simulation = fresh(doc)
        events = [e for _ in range(4) for e in simulation.step(1.0)["events"]]
        assert next(e for e in events if e["kind"] == "bad_write")["target"] == "replica1"

    def test_a_replica_takes_no_bad_write_live(self):
        with pytest.raises(engine.ActionError, match="replica1 is a replica"):
            fresh(replicated()).act({"action": "bad_write", "target": "replica1"})


class TestRestore:
    def test_restore_recovers_all_but_the_writes_after_the_snapshot(self):
        rps, read_ratio = 1000.0, 0.8
        doc = backed_up(rps=rps, read_ratio=read_ratio, interval_s=10, scenario=[
            {"at": 25, "action": "bad_write", "target": "primary"},
            {"at": 27, "action": "restore", "target": "primary"},
        ])  # fmt: skip
        simulation = fresh(doc, seed=2)
        frames = [simulation.step(1.0) for _ in range(30)]
        after_snapshot = sum(f["edges"][1]["flows"]["write"] for f in frames[20:27])  # web -> primary, t in 20..27
        restored = frames[27]
        assert restored["data"]["lost_writes"] == pytest.approx(after_snapshot, abs=2)
        assert restored["data"]["lost_writes"] == pytest.approx(rps * (1 - read_ratio) * 7, rel=0.1)
        assert keys(restored, "primary", "replica1", "replica2") == [1000, 1000, 1000]
        assert restored["data"]["keys_lost"] == 0
        assert frames[26]["data"]["keys_lost"] == 1000
        assert restored["nodes"]["backup"]["snapshot_t"] == 20
        message = restored["events"][0]["message"]
        assert message.startswith("primary was restored from backup's snapshot of t = 20 s: 1,000 rows are back;")

    def test_a_restore_before_the_bad_write_reached_a_replica_stops_it_there(self):
        doc = backed_up(lag_ms=2000, replicas=1)
        simulation = fresh(doc)
        simulation.step(1.0)
        simulation.act({"action": "bad_write", "target": "primary"})
        simulation.act({"action": "restore", "target": "backup"})
        frame = simulation.step(3.0)
        assert keys(frame, "primary", "replica1") == [1000, 1000]
        assert [e["kind"] for e in frame["events"]] == ["bad_write", "restore"]

    def test_no_backup_no_restore(self):
        with pytest.raises(engine.ActionError, match="no backup to restore from"):
            fresh(replicated()).act({"action": "restore", "target": "primary"})
        doc = replicated(scenario=[{"at": 1, "action": "restore", "target": "replica1"}])
        with pytest.raises(engine.TopologyError) as error:
            engine.load(doc)
        assert error.value.problems == [{"path": "scenario[0].target", "message": (
            "'replica1' has no backup to restore from: connect it to a backup node.")}]  # fmt: skip

    def test_a_backup_keeps_one_database(self):
        doc = backed_up()
        doc["edges"].append({"from": "replica1", "to": "backup"})
        with pytest.raises(engine.TopologyError) as error:
            engine.load(doc)
        assert error.value.problems == [
            {"path": "backup", "message": "Backup 'backup' backs up primary, replica1; a backup keeps one database."}
        ]


class TestFindings:
    def findings(self, doc: dict) -> set[tuple[str, str | None]]:
        return {(f.kind, f.node) for f in engine.analyze(engine.load(doc))}

    def test_a_database_without_a_backup_is_a_finding(self):
        assert ("no_backup", "primary") in self.findings(replicated())
        assert ("no_backup", "primary") not in self.findings(backed_up())
        assert not any(kind == "no_backup" and node.startswith("replica") for kind, node in self.findings(replicated()))

    def test_a_shard_without_a_replica_is_a_finding(self):
        from tests.engine.documents import sharded

        assert ("shard_without_replica", "shard1") in self.findings(sharded(shards=2, spares=0))
        assert ("shard_without_replica", "shard1") not in self.findings(sharded(shards=2, spares=0, replicas=True))
        assert ("modulo_sharding", "shard1") in self.findings(sharded(shards=2, spares=1, sharding="modulo"))
