"""Relational and NoSQL databases, and joins over shards.

The costs are the documented assumptions (docs/engine.md, "Data models"), as multiples of a
database's service_ms: relational lookup 1, join 3; NoSQL lookup 1/2, a join done by the
application as 3 lookups; denormalised data: a join costs a lookup, a write twice a lookup.
With constant service times and idle servers, a database's mean time per query is that cost
exactly, and a join over n shards that is not denormalised visits all n, one after another.
"""

import pytest

import engine
from tests.engine.documents import sharded, single_server


def one_database(model: str, join_ratio: float, read_ratio: float = 1.0, denormalized: str = "no") -> dict:
    doc = single_server(200, workers=64, service_ms=0.1, dist="constant")
    doc["traffic"].update(read_ratio=read_ratio, join_ratio=join_ratio)
    doc["nodes"].append({"id": "db", "kind": "database", "x": 0, "y": 0, "props": {
        "workers": 64, "service_ms": 2.0, "service_dist": "constant", "model": model,
        "denormalized": denormalized}})  # fmt: skip
    doc["edges"].append({"from": "web", "to": "db"})
    return doc


class TestCosts:
    @pytest.mark.parametrize(
        "model, join_ratio, read_ratio, denormalized, cost",
        [
            ("relational", 0.0, 1.0, "no", 1.0),
            ("relational", 1.0, 1.0, "no", 3.0),
            ("relational", 1.0, 1.0, "yes", 1.0),
            ("relational", 0.0, 0.0, "yes", 2.0),
            ("nosql", 0.0, 1.0, "no", 0.5),
            ("nosql", 1.0, 1.0, "no", 1.5),
            ("nosql", 0.0, 0.0, "yes", 1.0),
        ],
    )
    def test_a_query_costs_what_its_model_says(self, model, join_ratio, read_ratio, denormalized, cost):
        report = engine.run(one_database(model, join_ratio, read_ratio, denormalized), 10, seed=1)
        assert report["nodes"]["db"]["mean_latency_ms"] == pytest.approx(2.0 * cost, rel=1e-6)

    def test_half_of_the_reads_joining_cost_the_mix(self):
        report = engine.run(one_database("relational", 0.5), 60, seed=2)
        assert report["nodes"]["db"]["mean_latency_ms"] == pytest.approx(2.0 * (0.5 * 1 + 0.5 * 3), rel=0.03)

    def test_nosql_serves_twice_the_lookups_with_the_same_connections(self):
        utils = {}
        for model in ("relational", "nosql"):
            utils[model] = engine.run(one_database(model, 0.0), 20, seed=3)["nodes"]["db"]["utilization"]
        assert utils["nosql"] == pytest.approx(utils["relational"] / 2, rel=0.05)


class TestJoinsOverShards:
    db = {"service_ms": 1.0, "service_dist": "constant"}

    def test_a_join_over_shards_asks_every_shard_unless_denormalized(self):
        spread = {}
        for denormalized in ("no", "yes"):
            doc = sharded(shards=4, spares=0, rps=1000, read_ratio=1.0, join_ratio=1.0, denormalized=denormalized,
                          db=self.db)  # fmt: skip
            spread[denormalized] = engine.run(doc, 10, seed=1)
        for shard in ("shard1", "shard2", "shard3", "shard4"):
            # Every join visits every shard (but those still on their way at the end, about 1,000 rps x
            # 12 ms); a denormalised read only its key's shard.
            assert spread["no"]["nodes"][shard]["arrivals"] == pytest.approx(spread["no"]["requests"], abs=25)
            share = spread["yes"]["nodes"][shard]["keys"] / 100_000
            expected = spread["yes"]["requests"] * share
            assert spread["yes"]["nodes"][shard]["arrivals"] == pytest.approx(expected, rel=0.1)
        # Four joins of 3 ms one after another, against one lookup of 1 ms (web: 0.05 ms).
        assert spread["no"]["latency_ms"]["p50"] == pytest.approx(4 * 3 + 0.05, rel=0.03)
        assert spread["yes"]["latency_ms"]["p50"] == pytest.approx(1 + 0.05, rel=0.03)

    def test_only_joins_fan_out(self):
        doc = sharded(shards=4, spares=0, rps=2000, read_ratio=1.0, join_ratio=0.25, db=self.db)
        report = engine.run(doc, 10, seed=4)
        visits = sum(report["nodes"][f"shard{i}"]["arrivals"] for i in range(1, 5))
        # A join visits 4 shards, any other read 1: 0.25 x 4 + 0.75 x 1 visits per read.
        assert visits / report["completed"] == pytest.approx(1.75, rel=0.03)

    def test_the_fan_out_shows_on_the_edges_from_the_web_server(self):
        doc = sharded(shards=3, spares=0, rps=600, read_ratio=1.0, join_ratio=1.0, db=self.db)
        simulation = engine.Simulation(engine.load(doc), seed=0)
        simulation.step(1.0)
        frame = simulation.step(2.0)
        reads = {edge["to"]: edge["flows"]["read"] for edge in frame["edges"] if edge["from"] == "web"}
        assert all(rate == pytest.approx(600, rel=0.1) for rate in reads.values())
