"""Schema changes (the alter_table action): a relational database's ALTER holds its table's lock
for `seconds`, and every write that starts meanwhile waits until the lock is released, holding
its worker; a NoSQL store has no schema, so its writes go on.

Workers are plenty (1024 for 200 writes a second) so that the lock, not a full pool, is what
a write waits for: a write arriving at a uniform time in the lock waits half of it on average."""

import pytest

import engine
from tests.engine.documents import single_server

SEEDS = range(5)


def writes_to(model: str) -> dict:
    doc = single_server(200, workers=1024, service_ms=0.1, dist="constant")
    doc["traffic"]["read_ratio"] = 0.0
    doc["nodes"].append({"id": "db", "kind": "database", "x": 0, "y": 0, "props": {
        "workers": 1024, "service_ms": 1.0, "service_dist": "constant", "model": model}})  # fmt: skip
    doc["edges"].append({"from": "web", "to": "db"})
    return doc


def during_lock(model: str, seed: int) -> tuple[dict, dict, list]:
    """Frames of the lock's 3 s (ALTER at 2 s, but its first 10 ms) and of the 3 s after it, and the events."""
    simulation = engine.Simulation(engine.load(writes_to(model)), seed)
    simulation.step(2.0)
    simulation.act({"action": "alter_table", "target": "db", "seconds": 3.0})
    started = simulation.step(0.01)  # the writes already in service finish
    locked = simulation.step(2.98)
    after = simulation.step(3.01)
    return locked, after, started["events"] + locked["events"] + after["events"]


class TestRelational:
    @pytest.mark.parametrize("seed", SEEDS)
    def test_it_stalls_writes_for_the_lock(self, seed):
        locked, after, _ = during_lock("relational", seed)
        assert locked["nodes"]["db"]["rps"] == 0.0
        assert locked["totals"]["rps"] == 0.0
        # Counted when a write starts: each waits until the lock is released, 1.5 s on average.
        assert locked["nodes"]["db"]["writes_locked"] > 500
        assert locked["nodes"]["db"]["lock_wait_ms"] == pytest.approx(1500.0, rel=0.1)
        assert after["nodes"]["db"]["rps"] > locked["nodes"]["db"]["writes_locked"] / 3.01

    def test_it_says_when_the_lock_is_taken_and_released(self):
        _, _, events = during_lock("relational", 0)
        assert [(event["t"], event["kind"]) for event in events] == [(2.0, "alter_table"), (5.0, "lock_released")]

    @pytest.mark.parametrize("seed", SEEDS)
    def test_writes_flow_again_once_released(self, seed):
        simulation = engine.Simulation(engine.load(writes_to("relational")), seed)
        simulation.act({"action": "alter_table", "target": "db", "seconds": 1.0})
        simulation.step(3.0)
        later = simulation.step(2.0)
        assert later["nodes"]["db"]["writes_locked"] == 0
        assert later["nodes"]["db"]["rps"] == pytest.approx(200.0, rel=0.25)


class TestSchemaless:
    @pytest.mark.parametrize("seed", SEEDS)
    def test_it_takes_no_lock(self, seed):
        locked, after, events = during_lock("nosql", seed)
        assert locked["nodes"]["db"]["rps"] == pytest.approx(200.0, rel=0.25)
        assert locked["nodes"]["db"]["writes_locked"] == after["nodes"]["db"]["writes_locked"] == 0
        assert [event["kind"] for event in events] == ["alter_table"]
        assert "schemaless" in events[0]["message"]


class TestTheAction:
    @pytest.mark.parametrize(
        "action",
        [
            {"action": "alter_table", "target": "web"},
            {"action": "alter_table", "target": "db", "seconds": 0},
            {"action": "alter_table"},
        ],
    )
    def test_it_is_refused_off_a_database_or_out_of_range(self, action):
        simulation = engine.Simulation(engine.load(writes_to("relational")), 0)
        with pytest.raises(engine.ActionError):
            simulation.act(action)

    def test_a_scenario_can_alter_a_table(self):
        doc = writes_to("relational")
        doc["scenario"] = [{"at": 1, "action": "alter_table", "target": "db", "seconds": 2}]
        report = engine.run(doc, 5, seed=0)
        assert report["nodes"]["db"]["writes_locked"] > 200
