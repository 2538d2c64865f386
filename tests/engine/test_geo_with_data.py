"""Where the edge of the path (static files, logins, data centers) meets the data tier (shards,
data models, joins): each request class reaches the data it needs, and pays what its model costs."""

import pytest

import engine
from tests.engine.documents import sharded
from tests.engine.test_data_models import one_database


class TestLogins:
    def test_a_login_reads_the_account_from_the_shard_that_holds_the_user(self):
        doc = sharded(shards=4, spares=0, rps=8000, keys=10_000, read_ratio=0.0)
        doc["traffic"]["login_ratio"] = 1.0
        frame = engine.Simulation(engine.load(doc), seed=0).step(5.0)
        assert frame["totals"]["error_rate"] == 0
        held = {name: node["keys"] for name, node in frame["nodes"].items() if name.startswith("shard")}
        for name, keys in held.items():
            assert frame["nodes"][name]["arrivals_rps"] / 8000 == pytest.approx(keys / 10_000, abs=0.02)

    def test_a_login_is_a_read_not_a_write_on_a_replicated_shard(self):
        doc = sharded(shards=2, spares=0, rps=4000, keys=10_000, read_ratio=0.0, replicas=True)
        doc["traffic"]["login_ratio"] = 1.0
        report = engine.run(doc, 5.0, seed=1)
        replicas = sum(report["nodes"][f"shard{i}r"]["arrivals"] for i in (1, 2))
        primaries = sum(report["nodes"][f"shard{i}"]["arrivals"] for i in (1, 2))
        # Reads go to a replica that is up; a login with no write to make never needs the primary.
        assert replicas == report["nodes"]["web"]["arrivals"] > 0
        assert primaries == 0

    @pytest.mark.parametrize("model, cost", [("relational", 1.0), ("nosql", 0.5)])
    def test_a_login_costs_a_lookup_in_the_data_model(self, model, cost):
        doc = one_database(model, join_ratio=1.0)
        # Every request a login: the join ratio applies to reads, not to logins.
        doc["traffic"].update(login_ratio=1.0)
        report = engine.run(doc, 10, seed=1)
        assert report["nodes"]["db"]["mean_latency_ms"] == pytest.approx(2.0 * cost, rel=1e-6)


class TestStaticFiles:
    def test_static_files_never_reach_a_database_even_when_reads_join(self):
        doc = sharded(shards=2, spares=0, rps=2000, keys=1000, join_ratio=1.0)
        doc["traffic"]["static_ratio"] = 0.5
        report = engine.run(doc, 5.0, seed=2)
        shards = sum(report["nodes"][f"shard{i}"]["arrivals"] for i in (1, 2))
        # Half the requests are static files the web server serves from its disk; the other half
        # are reads (90%) and writes, and each read joins over both shards.
        assert shards / report["nodes"]["web"]["arrivals"] == pytest.approx(0.5 * (0.9 * 2 + 0.1), rel=0.05)
        assert report["errors"] == 0


class TestDataCenters:
    def test_a_shard_in_a_data_center_that_goes_down_fails_only_its_own_keys(self):
        doc = sharded(shards=2, spares=0, rps=4000, keys=10_000, read_ratio=1.0)
        doc["nodes"].append({"id": "dc2", "kind": "data_center", "x": 0, "y": 0})
        for node in doc["nodes"]:
            if node["id"] == "shard2":
                node["dc"] = "dc2"
        simulation = engine.Simulation(engine.load(doc), seed=3)
        held = simulation.step(1.0)["nodes"]["shard2"]["keys"] / 10_000
        simulation.act({"action": "kill", "target": "dc2"})
        frame = simulation.step(5.0)
        assert frame["nodes"]["shard2"]["up"] is False
        assert frame["totals"]["error_rate"] == pytest.approx(held, abs=0.03)
