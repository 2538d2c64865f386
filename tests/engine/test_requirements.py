"""Replica sets and shard groups computed once at compile time (Topology.structure), and the
catalog's requirements evaluated by the engine (Simulation.met, every frame's `met`)."""

import engine
from tests.engine.documents import backed_up, replicated, sharded


def fresh(doc: dict) -> engine.Simulation:
    return engine.Simulation(engine.load(doc), seed=2)


class TestStructure:
    def test_replica_sets_and_shard_groups_by_id(self):
        structure = engine.load(sharded(shards=2, spares=1, replicas=True)).structure()
        assert structure == {
            "replica_sets": [
                {"primary": "shard1", "replicas": ["shard1r"]},
                {"primary": "shard2", "replicas": ["shard2r"]},
                {"primary": "shard3", "replicas": ["shard3r"]},
            ],
            "shard_groups": {"users": ["shard1", "shard2", "shard3"]},
        }

    def test_none_without_replicas_or_shards(self):
        assert engine.load(replicated(replicas=2)).structure()["shard_groups"] == {}
        assert engine.load(replicated(replicas=2)).structure()["replica_sets"] == [
            {"primary": "primary", "replicas": ["replica1", "replica2"]}
        ]


class TestMet:
    def test_a_spare_shard_until_it_is_added(self):
        simulation = fresh(sharded(shards=2, spares=1))
        assert "spare_shard" in simulation.met()["shard3"]
        assert "spare_shard" not in simulation.met().get("shard1", [])
        simulation.act({"action": "add_shard", "target": "shard3"})
        frame = simulation.step(0.1)
        assert "spare_shard" not in frame["met"].get("shard3", [])
        assert frame["met"] == simulation.met()

    def test_takes_writes_follows_failover(self):
        simulation = fresh(replicated(replicas=1, failover_s=0.5))
        assert simulation.met()["primary"] == ["takes_writes"]
        assert "replica1" not in simulation.met()
        simulation.act({"action": "kill", "target": "primary"})
        simulation.step(1.0)
        assert simulation.met()["replica1"] == ["takes_writes"]
        assert "primary" not in simulation.met()

    def test_backed_up_is_the_whole_replica_set_and_the_backup(self):
        met = fresh(backed_up(replicas=2)).met()
        assert {node for node, names in met.items() if "backed_up" in names} == {
            "primary", "replica1", "replica2", "backup"
        }  # fmt: skip
        assert "backed_up" not in fresh(replicated()).met().get("primary", [])

    def test_met_agrees_with_what_act_accepts(self):
        simulation = fresh(backed_up(replicas=1))
        requires = {"bad_write": "takes_writes", "restore": "backed_up", "add_shard": "spare_shard"}
        for node in ("primary", "replica1", "backup"):
            for action, requirement in requires.items():
                if node == "backup" and action != "restore":
                    continue
                meets = requirement in simulation.met().get(node, [])
                try:
                    fresh(backed_up(replicas=1)).act({"action": action, "target": node})
                    accepted = True
                except engine.ActionError:
                    accepted = False
                assert meets == accepted, (node, action)
