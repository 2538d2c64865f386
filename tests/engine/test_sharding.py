"""Sharding: each key lives on one shard, found by modulo or consistent hashing; adding a shard
moves keys (and the caches forget them); a hot key overloads the shard that holds it.

Theory: with modulo placement, a key stays put when shard n + 1 joins only if hash mod n equals
hash mod (n + 1), so about n / (n + 1) of the keys move. With consistent hashing the new shard
takes over the arcs of the ring before its points, on average 1 / (n + 1) of the ring, and no
other key moves (Karger et al., STOC 1997).
"""

import pytest

import engine
from tests.engine.documents import sharded


def fresh(doc: dict, seed: int = 0) -> engine.Simulation:
    return engine.Simulation(engine.load(doc), seed=seed)


def shard_keys(frame: dict) -> dict[str, int]:
    return {name: node["keys"] for name, node in frame["nodes"].items() if name.startswith("shard")}


class TestPlacement:
    def test_each_shard_gets_the_requests_of_the_keys_it_holds(self):
        simulation = fresh(sharded(shards=4, spares=0, rps=8000, keys=10_000))
        frame = simulation.step(5.0)
        held = shard_keys(frame)
        assert sum(held.values()) == 10_000
        for name, keys in held.items():
            # Uniform keys: each shard's share of the requests is its share of the keys.
            assert frame["nodes"][name]["arrivals_rps"] / 8000 == pytest.approx(keys / 10_000, abs=0.02)

    def test_a_spare_shard_holds_nothing_and_gets_nothing(self):
        frame = fresh(sharded(shards=3, spares=1)).step(2.0)
        assert frame["nodes"]["shard4"]["keys"] == 0
        assert frame["nodes"]["shard4"]["arrivals_rps"] == 0

    @pytest.mark.parametrize("sharding", ["modulo", "consistent"])
    def test_placement_spreads_keys_evenly(self, sharding):
        held = shard_keys(fresh(sharded(shards=4, spares=0, sharding=sharding, vnodes=200)).step(0.01))
        for keys in held.values():
            assert keys == pytest.approx(25_000, rel=0.02 if sharding == "modulo" else 0.2)


class TestAddShard:
    @pytest.mark.parametrize("shards", [2, 4, 8])
    def test_consistent_hashing_moves_about_one_in_n_plus_one(self, shards):
        simulation = fresh(sharded(shards=shards, spares=1, sharding="consistent", vnodes=200))
        before = shard_keys(simulation.step(0.01))
        simulation.act({"action": "add_shard", "target": f"shard{shards + 1}"})
        frame = simulation.step(0.01)
        after = shard_keys(frame)
        moved = frame["data"]["keys_moved"]
        assert moved / 100_000 == pytest.approx(1 / (shards + 1), abs=0.04)
        # Every moved key went to the new shard; no key moved between the old ones.
        assert after[f"shard{shards + 1}"] == moved
        assert all(after[name] <= before[name] for name in before if name != f"shard{shards + 1}")
        assert sum(before.values()) - sum(after[n] for n in before if n != f"shard{shards + 1}") == moved

    @pytest.mark.parametrize("shards", [2, 4, 8])
    def test_modulo_moves_about_n_in_n_plus_one(self, shards):
        simulation = fresh(sharded(shards=shards, spares=1, sharding="modulo"))
        simulation.act({"action": "add_shard", "target": f"shard{shards + 1}"})
        frame = simulation.step(0.01)
        assert frame["data"]["keys_moved"] / 100_000 == pytest.approx(shards / (shards + 1), abs=0.01)

    def test_the_new_shard_serves_its_keys_and_the_run_counts_the_moves(self):
        doc = sharded(shards=3, spares=1, scenario=[{"at": 2, "action": "add_shard", "target": "shard4"}])
        report = engine.run(doc, 4, seed=1)
        assert report["data"]["keys_moved"] == report["nodes"]["shard4"]["keys"] > 0
        assert report["nodes"]["shard4"]["arrivals"] > 0

    def test_the_event_says_how_many_keys_moved(self):
        simulation = fresh(sharded(shards=4, spares=1))
        simulation.step(1.0)
        simulation.act({"action": "add_shard", "target": "shard5"})
        frame = simulation.step(0.5)
        event = frame["events"][0]
        moved = frame["data"]["keys_moved"]
        assert (event["t"], event["kind"], event["target"]) == (1.0, "add_shard", "shard5")
        assert f"{moved:,} of 100,000 keys" in event["message"]

    def test_moved_keys_miss_in_the_cache_once(self):
        # Every key fits in the cache and is read many times a second: after the warm-up only
        # the keys that moved can miss.
        doc = sharded(shards=2, spares=1, rps=20_000, keys=2000, read_ratio=1.0, cache_keys=2000)
        simulation = fresh(doc, seed=3)
        simulation.step(2.0)
        assert simulation.step(1.0)["nodes"]["cache"]["hit_ratio"] == 1.0
        simulation.act({"action": "add_shard", "target": "shard3"})
        after = simulation.step(2.0)
        misses = round((1 - after["nodes"]["cache"]["hit_ratio"]) * after["nodes"]["cache"]["rps"] * 2.0)
        assert after["data"]["keys_moved"] > 300
        assert misses == pytest.approx(after["data"]["keys_moved"], abs=5)

    def test_an_active_shard_cannot_be_added_live(self):
        simulation = fresh(sharded(shards=2, spares=1))
        with pytest.raises(engine.ActionError, match="already holds a shard"):
            simulation.act({"action": "add_shard", "target": "shard1"})
        simulation.act({"action": "add_shard", "target": "shard3"})
        with pytest.raises(engine.ActionError, match="already holds a shard"):
            simulation.act({"action": "add_shard", "target": "shard3"})

    def test_frames_report_each_shards_state_as_spares_join(self):
        """The page offers add_shard to spares only: the frames tell it which joined."""
        simulation = fresh(sharded(shards=2, spares=2, replicas=True))

        def states(frame: dict) -> dict[str, str | None]:
            return {name: node["shard_state"] for name, node in frame["nodes"].items() if name.startswith("shard")}

        before = {"shard1": "active", "shard2": "active", "shard3": "spare", "shard4": "spare"}
        replicas = {"shard1r": None, "shard2r": None, "shard3r": None, "shard4r": None}
        assert states(simulation.step(0.5)) == {**before, **replicas}
        # The second spare joins first: the other stays spare, wherever it sits in the document.
        simulation.act({"action": "add_shard", "target": "shard4"})
        assert states(simulation.step(0.5)) == {**before, "shard4": "active", **replicas}
        simulation.act({"action": "add_shard", "target": "shard3"})
        assert set(states(simulation.step(0.5)).values()) == {"active", None}
        assert simulation.step(0.5)["nodes"]["web"].get("shard_state") is None


class TestHotKey:
    def test_a_hot_key_overloads_the_shard_that_holds_it(self):
        # Four shards of 4 connections at 1 ms: 4,000 queries a second each, 1,500 offered each.
        db = {"workers": 4, "service_ms": 1.0, "service_dist": "exponential"}
        simulation = fresh(sharded(shards=4, spares=0, rps=6000, keys=100_000, db=db))
        calm = simulation.step(5.0)
        simulation.act({"action": "hot_key", "share": 0.6})
        hot = simulation.step(5.0)
        holder = next(name for name in shard_keys(hot) if f"shard {name} holds it" in hot["events"][0]["message"])
        others = [name for name in shard_keys(hot) if name != holder]
        assert max(calm["nodes"][name]["util"] for name in calm["nodes"] if name.startswith("shard")) < 0.5
        assert hot["nodes"][holder]["util"] > 0.95
        assert max(hot["nodes"][name]["util"] for name in others) < 0.25
        assert hot["totals"]["p99"] > 5 * calm["totals"]["p99"]

    def test_every_request_for_the_hot_key_goes_to_one_shard_and_share_zero_ends_it(self):
        simulation = fresh(sharded(shards=4, spares=0, rps=2000))
        simulation.act({"action": "hot_key", "share": 1.0})
        hot = simulation.step(1.0)
        busy = [name for name in shard_keys(hot) if hot["nodes"][name]["arrivals_rps"] > 0]
        assert len(busy) == 1
        assert f"shard {busy[0]} holds it" in hot["events"][0]["message"]
        simulation.act({"action": "hot_key", "share": 0})
        simulation.step(0.1)
        spread = simulation.step(1.0)
        assert all(spread["nodes"][name]["arrivals_rps"] > 0 for name in shard_keys(spread))


class TestValidation:
    def problems(self, doc: dict) -> list[dict]:
        with pytest.raises(engine.TopologyError) as error:
            engine.load(doc)
        return error.value.problems

    def test_shards_of_one_group_must_place_keys_the_same_way(self):
        doc = sharded(shards=2, spares=0)
        doc["nodes"][3]["props"]["sharding"] = "modulo"
        problems = self.problems(doc)
        assert problems == [{"path": "shard2.sharding", "message": (
            "Shards of group 'users' split one set of data the same way: 'shard2' has sharding 'modulo' "
            "but 'shard1' has 'consistent'.")}]  # fmt: skip

    def test_a_web_server_must_reach_every_shard_and_nothing_else(self):
        doc = sharded(shards=3, spares=0)
        doc["edges"] = [e for e in doc["edges"] if e["to"] != "shard3"]
        doc["nodes"].append({"id": "other", "kind": "database", "x": 0, "y": 0})
        doc["edges"].append({"from": "web", "to": "other"})
        messages = " ".join(p["message"] for p in self.problems(doc))
        assert "connect it to shard3" in messages
        assert "other is not" in messages

    def test_add_shard_in_a_scenario_needs_a_spare_shard_once(self):
        doc = sharded(shards=2, spares=1, scenario=[
            {"at": 1, "action": "add_shard", "target": "shard1"},
            {"at": 2, "action": "add_shard", "target": "shard3"},
            {"at": 3, "action": "add_shard", "target": "shard3"},
        ])  # fmt: skip
        assert [p["path"] for p in self.problems(doc)] == ["scenario[0].target", "scenario[2].target"]

    def test_a_replica_follows_its_primarys_shard(self):
        doc = sharded(shards=2, spares=0, replicas=True)
        doc["nodes"][3]["props"]["shard_group"] = "users"
        assert [p["path"] for p in self.problems(doc)] == ["shard1r.shard_group"]

    def test_hot_key_share_is_checked(self):
        simulation = fresh(sharded())
        with pytest.raises(engine.ActionError, match="share must be a number from 0 to 1"):
            simulation.act({"action": "hot_key", "share": 2})


class TestDeterminism:
    def test_the_same_actions_give_the_same_frames(self):
        scenario = [
            {"at": 0.5, "action": "hot_key", "share": 0.3},
            {"at": 1.0, "action": "add_shard", "target": "shard4"},
        ]
        doc = sharded(shards=3, spares=1, replicas=True, cache_keys=500, keys=5000, zipf=0.9, join_ratio=0.3,
                      scenario=scenario)  # fmt: skip
        runs = []
        for _ in range(2):
            simulation = fresh(doc, seed=5)
            runs.append([simulation.step(0.25) for _ in range(8)])
        assert runs[0] == runs[1]
        assert runs[0][-1]["data"]["keys_moved"] == 0 < runs[0][4]["data"]["keys_moved"]
