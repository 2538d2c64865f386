"""The path from the user to the edge: static files and logins, CDN and object storage, DNS with
its TTL, geo routing, regions and their latency, data centers and partitions."""

import json

import numpy as np
import pytest

import engine
from engine.catalog.world import region_rtt_ms
from tests.engine.documents import balanced, sessions
from tests.engine.test_cache import che_lru_hit_ratio, popularity

QUICK = {"workers": 256, "service_ms": 0.05, "service_dist": "constant"}


def node(node_id: str, kind: str, dc: str | None = None, **props) -> dict:
    out = {"id": node_id, "kind": kind, "x": 0, "y": 0, "props": props}
    if dc:
        out["dc"] = dc
    return out


def edges(*pairs: str) -> list[dict]:
    return [{"from": a, "to": b} for a, b in (pair.split(">") for pair in pairs)]


def web_tier(traffic: dict, extra_nodes: list, extra_edges: list[str], scenario: list | None = None) -> dict:
    return {
        "version": 1,
        "traffic": traffic,
        "nodes": [node("users", "users"), node("web", "web_server", **QUICK), *extra_nodes],
        "edges": edges("users>web", *extra_edges),
        "scenario": scenario or [],
    }


def with_cdn(rps: float = 20_000, files: int = 5000, zipf: float = 0.8, capacity: int = 250, ttl_s: float = 0.0):
    """users -> cdn -> object storage for static files; everything else to the web server."""
    return {
        "version": 1,
        "traffic": {"rps": rps, "static_ratio": 1.0, "static_files": files, "zipf": zipf},
        "nodes": [
            node("users", "users"),
            node("web", "web_server", **QUICK),
            node("cdn", "cdn", capacity_keys=capacity, ttl_s=ttl_s, **QUICK),
            node("files", "object_store", **QUICK),
        ],
        "edges": edges("users>web", "users>cdn", "cdn>files"),
    }


def two_regions(ttl_s: float = 10.0, routing: str = "failover", clients: int = 1000, rps: float = 2000.0,
                scenario: list | None = None, kr_share: float = 0.0) -> dict:  # fmt: skip
    """Users in us-east (and ap-northeast with kr_share) -> dns -> a load balancer in each of two data centers."""
    users = [node("us", "users", region="us-east")]
    if kr_share:
        users.append(node("kr", "users", region="ap-northeast", share=kr_share))
    return {
        "version": 1,
        "traffic": {"rps": rps, "clients": clients},
        "nodes": [
            *users,
            node("dns", "dns", routing=routing, ttl_s=ttl_s),
            node("east", "data_center", region="us-east"),
            node("seoul", "data_center", region="ap-northeast"),
            node("lb1", "load_balancer", "east"),
            node("lb2", "load_balancer", "seoul"),
            node("web1", "web_server", "east", **QUICK),
            node("web2", "web_server", "seoul", **QUICK),
        ],
        "edges": edges(*[f"{u['id']}>dns" for u in users], "dns>lb1", "dns>lb2", "lb1>web1", "lb2>web2"),
        "scenario": scenario or [],
    }


def flow(frame: dict, source: str, target: str) -> float:
    found = next(e for e in frame["edges"] if e["from"] == source and e["to"] == target)
    return sum(found["flows"].values())


class TestRequestClasses:
    def test_defaults_leave_existing_documents_as_they_were(self):
        plain = engine.Simulation(engine.load(balanced(rps=400)), seed=3)
        explicit_doc = balanced(rps=400)
        explicit_doc["traffic"].update(static_ratio=0, login_ratio=0)
        explicit = engine.Simulation(engine.load(explicit_doc), seed=3)
        for _ in range(5):
            a, b = plain.step(0.5), explicit.step(0.5)
            assert json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)
        report = engine.run(balanced(rps=400), 10, seed=3)
        assert report["latency_ms"]["by_class"]["static"]["completed"] == 0
        assert report["latency_ms"]["by_class"]["login"]["completed"] == 0

    def test_shares_split_the_requests_and_each_class_has_its_latency(self):
        doc = web_tier(
            {"rps": 5000, "static_ratio": 0.3, "login_ratio": 0.1, "job_ratio": 0.1, "read_ratio": 0.75},
            [node("db", "database", **QUICK)],
            ["web>db"],
        )
        report = engine.run(doc, 20, seed=2)
        by_class = report["latency_ms"]["by_class"]
        total = report["completed"]
        for name, share in (("static", 0.3), ("login", 0.1), ("job", 0.1), ("read", 0.5 * 0.75), ("write", 0.5 * 0.25)):
            assert by_class[name]["completed"] / total == pytest.approx(share, abs=0.01), name
        # Static files never reach the database, nor do jobs (the web server does them itself, with
        # no queue); logins, reads and writes do.
        assert report["nodes"]["db"]["arrivals"] / total == pytest.approx(0.6, abs=0.01)
        assert by_class["static"]["p50"] == pytest.approx(0.05, rel=0.03)
        assert by_class["login"]["p50"] == pytest.approx(0.10, rel=0.03)

    def test_the_frames_carry_flows_of_every_class(self):
        doc = web_tier({"rps": 1000, "static_ratio": 0.5, "login_ratio": 0.2}, [], [])
        frame = engine.Simulation(engine.load(doc), seed=1).step(2.0)
        flows = frame["edges"][0]["flows"]
        assert set(flows) == {"read", "write", "job", "static", "login"}
        assert flows["static"] == pytest.approx(500, rel=0.1)
        assert flows["login"] == pytest.approx(200, rel=0.15)
        assert set(frame["totals"]["by_class"]) == set(flows)

    def test_web_servers_send_static_files_to_object_storage_when_they_have_one(self):
        doc = web_tier(
            {"rps": 2000, "static_ratio": 0.4},
            [node("files", "object_store", **QUICK), node("db", "database", **QUICK)],
            ["web>files", "web>db"],
        )
        report = engine.run(doc, 10, seed=1)
        nodes = report["nodes"]
        # Every request the web server finished went on to one of the two (one may be in flight at the end).
        assert nodes["files"]["arrivals"] + nodes["db"]["arrivals"] == nodes["web"]["completed"]
        static_done = report["latency_ms"]["by_class"]["static"]["completed"]
        assert nodes["files"]["arrivals"] == pytest.approx(static_done, abs=1)
        assert nodes["files"]["arrivals"] == pytest.approx(0.4 * nodes["web"]["completed"], rel=0.03)

    def test_a_login_starts_a_new_session_instead_of_losing_one(self):
        logins = sessions("local", servers=2, clients=100, rps=1000)
        logins["traffic"]["login_ratio"] = 1.0
        assert engine.run(logins, 10, seed=1)["data"]["sessions_lost"] == 0
        assert engine.run(sessions("local", servers=2, clients=100, rps=1000), 10, seed=1)["data"]["sessions_lost"] > 0

    def test_the_ratios_together_must_not_exceed_one(self):
        doc = web_tier({"rps": 10, "static_ratio": 0.6, "login_ratio": 0.3, "job_ratio": 0.2}, [], [])
        with pytest.raises(engine.TopologyError) as error:
            engine.load(doc)
        assert error.value.problems[0]["path"] == "traffic"
        assert "more than 1" in error.value.problems[0]["message"]


class TestCdn:
    def test_hit_ratio_matches_ches_approximation_and_misses_load_the_origin(self):
        report = engine.run(with_cdn(), 60, seed=1, warmup_s=5)
        expected = che_lru_hit_ratio(popularity(5000, 0.8), 250)
        cdn = report["nodes"]["cdn"]
        assert cdn["hit_ratio"] == pytest.approx(expected, abs=0.02)
        assert report["nodes"]["files"]["arrivals"] == pytest.approx(cdn["arrivals"] * (1 - cdn["hit_ratio"]), rel=0.01)
        assert report["nodes"]["web"]["arrivals"] == 0

    def test_ttl_expiry_matches_the_renewal_formula(self):
        files, rps, ttl = 2000, 2000.0, 1.0
        report = engine.run(with_cdn(rps=rps, files=files, capacity=files, ttl_s=ttl), 100, seed=1, warmup_s=5)
        p = popularity(files, 0.8)
        expected = float(np.sum(p * (rps * p * ttl / (1 + rps * p * ttl))))
        assert report["nodes"]["cdn"]["hit_ratio"] == pytest.approx(expected, abs=0.01)

    def test_frames_give_the_cdn_hit_ratio_apart_from_caches(self):
        frame = engine.Simulation(engine.load(with_cdn(rps=5000)), seed=1).step(5.0)
        assert frame["totals"]["cdn_hit_ratio"] == frame["nodes"]["cdn"]["hit_ratio"] > 0.3
        assert frame["totals"]["hit_ratio"] is None

    def test_users_get_static_files_from_the_nearest_cdn_that_is_up(self):
        doc = {
            "version": 1,
            "traffic": {"rps": 2000, "static_ratio": 1.0, "static_files": 10},
            "nodes": [
                node("users", "users", region="ap-northeast"),
                node("us", "data_center", region="us-east"),
                node("kr", "data_center", region="ap-northeast"),
                node("cdn_us", "cdn", "us", **QUICK),
                node("cdn_kr", "cdn", "kr", **QUICK),
                node("files", "object_store", "us", **QUICK),
            ],
            "edges": edges("users>cdn_us", "users>cdn_kr", "cdn_us>files", "cdn_kr>files"),
            "scenario": [{"at": 5, "action": "kill", "target": "cdn_kr"}],
        }
        sim = engine.Simulation(engine.load(doc), seed=1)
        sim.step(4.0)
        near = sim.step(1.0)
        assert flow(near, "users", "cdn_kr") > 1500 and flow(near, "users", "cdn_us") == 0
        # Ten files, all held: a hit costs the round trip to the edge in the same region and its service.
        assert near["totals"]["by_class"]["static"]["p50"] == pytest.approx(1.0 + 0.05, rel=0.03)
        sim.step(1.0)
        far = sim.step(1.0)
        assert flow(far, "users", "cdn_kr") == 0 and far["totals"]["error_rate"] == 0
        rtt = region_rtt_ms("ap-northeast", "us-east")
        assert far["totals"]["by_class"]["static"]["p50"] == pytest.approx(rtt + 0.05, rel=0.03)

    @pytest.mark.parametrize("order", ["grouped", "scattered"])
    def test_geo_dns_names_each_regions_cdn_whatever_the_order_of_the_edges(self, order):
        # Through a DNS, each region's users get static files from their own region's CDN. The
        # edges out of the DNS may be drawn in any order, between other edges.
        pairs = ["us>dns", "kr>dns", "dns>lb", "dns>cdn_us", "dns>cdn_kr", "lb>web", "cdn_us>files", "cdn_kr>files"]
        if order == "scattered":
            pairs = ["us>dns", "kr>dns", "dns>cdn_us", "cdn_us>files", "lb>web", "dns>lb", "cdn_kr>files", "dns>cdn_kr"]
        doc = {
            "version": 1,
            "traffic": {"rps": 4000, "static_ratio": 0.5, "static_files": 10, "clients": 1000},
            "nodes": [
                node("us", "users", region="us-east", share=0.5),
                node("kr", "users", region="ap-northeast", share=0.5),
                node("dns", "dns", routing="geo"),
                node("east", "data_center", region="us-east"),
                node("seoul", "data_center", region="ap-northeast"),
                node("lb", "load_balancer", "east"),
                node("web", "web_server", "east", **QUICK),
                node("cdn_us", "cdn", "east", **QUICK),
                node("cdn_kr", "cdn", "seoul", **QUICK),
                node("files", "object_store", "east", **QUICK),
            ],
            "edges": edges(*pairs),
        }
        frame = engine.Simulation(engine.load(doc), seed=1).step(3.0)
        for cdn in ("cdn_us", "cdn_kr"):
            assert frame["nodes"][cdn]["arrivals_rps"] == pytest.approx(1000, rel=0.1), cdn
        # Static files never reach the web servers; the rest does.
        assert frame["nodes"]["web"]["arrivals_rps"] == pytest.approx(2000, rel=0.1)

    def test_every_users_group_gets_the_cdn_whatever_the_order_of_the_edges(self):
        # The edges are listed by kind rather than by source, as a drawing often leaves them.
        doc = {
            "version": 1,
            "traffic": {"rps": 4000, "static_ratio": 1.0, "static_files": 10},
            "nodes": [
                node("east", "users", region="us-east", share=0.5),
                node("west", "users", region="us-west", share=0.5),
                node("web", "web_server", **QUICK),
                node("cdn", "cdn", **QUICK),
                node("files", "object_store", **QUICK),
            ],
            "edges": edges("east>web", "west>web", "east>cdn", "west>cdn", "cdn>files"),
        }
        frame = engine.Simulation(engine.load(doc), seed=1).step(2.0)
        assert flow(frame, "east", "web") == flow(frame, "west", "web") == 0
        assert flow(frame, "east", "cdn") > 1500 and flow(frame, "west", "cdn") > 1500


class TestRegions:
    @pytest.mark.parametrize("region", ["us-east", "ap-northeast", "eu-west"])
    def test_crossing_regions_adds_the_tables_round_trip_to_the_latency(self, region):
        doc = {
            "version": 1,
            "traffic": {"rps": 500},
            "nodes": [
                node("users", "users", region=region),
                node("dc", "data_center", region="us-east"),
                node("web", "web_server", "dc", workers=64, service_ms=10, service_dist="constant"),
                node("db", "database", "dc", **QUICK),
            ],
            "edges": edges("users>web", "web>db"),
        }
        p50 = engine.run(doc, 10, seed=1)["latency_ms"]["p50"]
        # Inside one data center the web server reaches its database at no network cost.
        assert p50 == pytest.approx(region_rtt_ms(region, "us-east") + 10 + 0.05, rel=0.023)

    def test_nodes_outside_data_centers_cost_no_network_time(self):
        doc = web_tier({"rps": 500}, [], [])
        doc["nodes"][0]["props"]["region"] = "sa-east"
        assert engine.run(doc, 5, seed=1)["latency_ms"]["p50"] == pytest.approx(0.05, rel=0.023)

    def test_the_catalog_gives_a_symmetric_table(self):
        regions = engine.catalog_json()["regions"]
        table = np.array(regions["rtt_ms"])
        assert (table == table.T).all()
        assert (np.diag(table) == 1.0).all()
        assert table.min() >= 1.0 and table.max() > 100


class TestDns:
    def test_clients_keep_a_dead_entry_point_until_their_answer_expires(self):
        # Each client sends 2 requests a second; the record moves to lb2 when lb1 dies at t = 10.
        # A client is still on the old address s seconds later if it resolved within ttl - s before
        # the change: the share is (ttl - s) / (ttl + 1/rate) (its renewal cycle is ttl plus the wait
        # for its next request), falling to 0 at ttl.
        ttl, rate = 10.0, 2.0
        doc = two_regions(ttl_s=ttl, clients=5000, rps=10_000, scenario=[{"at": 10, "action": "kill", "target": "lb1"}])
        sim = engine.Simulation(engine.load(doc), seed=1)
        frames = [sim.step(1.0) for _ in range(22)]
        assert all(f["totals"]["error_rate"] == 0 for f in frames[:10])
        assert "dns now answers us with lb2" in " ".join(e["message"] for e in frames[10]["events"])
        for s in range(10):
            expected = (ttl - s - 0.5) / (ttl + 1 / rate)
            assert frames[10 + s]["totals"]["error_rate"] == pytest.approx(expected, abs=0.02), s
        assert frames[20]["totals"]["error_rate"] == 0 and frames[21]["totals"]["error_rate"] == 0
        assert flow(frames[21], "dns", "lb2") == pytest.approx(10_000, rel=0.05)

    def test_clients_keep_their_answer_whatever_the_order_of_the_edges(self):
        # The DNS's edges come after the balancers' in the document: a client's cached answer must
        # still be recognised as one of the DNS's, so the dead entry point fails until the TTL runs out.
        kill = [{"at": 10, "action": "kill", "target": "lb1"}]
        doc = two_regions(ttl_s=10.0, clients=5000, rps=10_000, scenario=kill)
        doc["edges"] = edges("us>dns", "lb1>web1", "lb2>web2", "dns>lb1", "dns>lb2")
        sim = engine.Simulation(engine.load(doc), seed=1)
        sim.step(10.0)
        assert sim.step(1.0)["totals"]["error_rate"] == pytest.approx(9.5 / 10.5, abs=0.02)

    def test_changing_the_record_by_hand_moves_clients_as_their_answers_expire(self):
        sim = engine.Simulation(engine.load(two_regions(ttl_s=4.0)), seed=1)
        sim.step(5.0)
        sim.set("dns", {"record": "lb2"})
        first = sim.step(1.0)
        assert "dns now answers us with lb2" in first["events"][0]["message"]
        assert 0 < flow(first, "dns", "lb2") < flow(first, "dns", "lb1")
        sim.step(3.0)
        after = sim.step(1.0)
        assert flow(after, "dns", "lb1") == 0 and flow(after, "dns", "lb2") > 1800

    def test_a_ttl_of_zero_moves_everyone_at_once(self):
        doc = two_regions(ttl_s=0.0, scenario=[{"at": 2, "action": "kill", "target": "web1"}])
        sim = engine.Simulation(engine.load(doc), seed=1)
        sim.step(2.0)
        assert sim.step(1.0)["totals"]["error_rate"] == 0

    def test_geo_routing_sends_each_region_to_its_nearest_data_center_that_is_up(self):
        doc = two_regions(routing="geo", ttl_s=1.0, kr_share=1.0,
                          scenario=[{"at": 3, "action": "kill", "target": "seoul"}])  # fmt: skip
        sim = engine.Simulation(engine.load(doc), seed=1)
        sim.step(2.0)
        before = sim.step(1.0)
        assert flow(before, "dns", "lb1") == pytest.approx(1000, rel=0.1)
        assert flow(before, "dns", "lb2") == pytest.approx(1000, rel=0.1)
        # Each region is served close to home: one same-region round trip plus the service.
        assert before["totals"]["p99"] < 2.0
        sim.step(1.5)
        after = sim.step(1.0)
        assert flow(after, "dns", "lb2") == 0 and flow(after, "dns", "lb1") == pytest.approx(2000, rel=0.1)
        assert after["totals"]["error_rate"] == 0
        # Seoul's users now cross the Pacific: half the requests take the round trip to us-east.
        assert after["totals"]["p99"] == pytest.approx(region_rtt_ms("ap-northeast", "us-east") + 0.05, rel=0.03)

    def test_failover_routing_prefers_the_first_entry_point_and_comes_back_to_it(self):
        doc = two_regions(ttl_s=0.0, scenario=[{"at": 1, "action": "kill", "target": "web1"},
                                               {"at": 2, "action": "revive", "target": "web1"}])  # fmt: skip
        sim = engine.Simulation(engine.load(doc), seed=1)
        first, second, third = sim.step(1.0), sim.step(1.0), sim.step(1.0)
        assert flow(first, "dns", "lb2") == 0
        assert flow(second, "dns", "lb1") == 0  # lb1 is up but nothing behind it serves
        assert flow(third, "dns", "lb2") == 0


class TestDataCenters:
    def test_a_data_center_outage_takes_everything_in_it_down_and_revive_brings_it_back(self):
        doc = two_regions(ttl_s=0.0, scenario=[{"at": 1, "action": "kill", "target": "seoul"},
                                               {"at": 2, "action": "revive", "target": "seoul"}])  # fmt: skip
        sim = engine.Simulation(engine.load(doc), seed=1)
        sim.step(1.0)
        down = sim.step(1.0)
        assert [down["nodes"][n]["up"] for n in ("seoul", "lb2", "web2", "east", "lb1", "web1")] == [
            False, False, False, True, True, True,
        ]  # fmt: skip
        event = down["events"][0]
        assert event["t"] == 1.0 and event["message"] == "Data center seoul went down, and with it lb2, web2."
        up = sim.step(1.0)
        assert all(up["nodes"][n]["up"] for n in ("seoul", "lb2", "web2"))
        assert up["events"][0]["message"] == "Data center seoul is back up, and with it lb2, web2."


def replicated_across(lag_ms: float = 100.0, scenario: list | None = None) -> dict:
    """Half the users reach a web server in the east, by the primary; half one in the west, which
    reads from the replica there and writes to the primary in the east."""
    return {
        "version": 1,
        "traffic": {"rps": 4000, "read_ratio": 0.8, "keys": 200, "zipf": 0.9},
        "nodes": [
            node("users", "users"),
            node("east", "data_center", region="us-east"),
            node("west", "data_center", region="us-west"),
            node("web_e", "web_server", "east", **QUICK),
            node("web_w", "web_server", "west", **QUICK),
            node("primary", "database", "east", **QUICK),
            node("replica", "database", "west", role="replica", lag_ms=lag_ms, **QUICK),
        ],
        "edges": edges(
            "users>web_e", "users>web_w", "web_e>primary", "web_w>primary", "web_w>replica", "primary>replica"
        ),  # fmt: skip
        "scenario": scenario or [],
    }


class TestPartition:
    def test_a_partition_cuts_requests_and_replication_until_it_heals(self):
        doc = replicated_across(scenario=[{"at": 5, "action": "partition", "target": "east", "other": "west"},
                                          {"at": 10, "action": "heal", "target": "west", "other": "east"}])  # fmt: skip
        sim = engine.Simulation(engine.load(doc), seed=1)
        frames = [sim.step(1.0) for _ in range(16)]
        stale = [f["totals"]["stale_reads"] / max(1.0, flow(f, "web_w", "replica")) for f in frames]
        # Before: a read is stale when its key was written within the lag (800 writes a second).
        p = popularity(200, 0.9)
        expected = float(np.sum(p * (1 - np.exp(-800 * p * 0.1))))
        baseline = np.mean(stale[1:5])
        assert baseline == pytest.approx(expected, abs=0.03)
        assert "is cut" in frames[5]["events"][0]["message"] and frames[5]["events"][0]["t"] == 5.0
        # Writes from the west to the primary in the east fail; reads from the local replica go on,
        # while the east keeps writing.
        assert all(f["totals"]["error_rate"] == pytest.approx(0.1, abs=0.02) for f in frames[6:10])
        assert all(flow(f, "primary", "replica") == 0 for f in frames[5:10])
        # The replica falls further and further behind: more and more keys were written since.
        assert stale[5] > baseline and stale[9] > 0.9
        assert "works again" in frames[10]["events"][0]["message"]
        # Replication catches up within the lag; then stale reads are back to what they were.
        assert all(f["totals"]["error_rate"] == 0 for f in frames[11:])
        assert np.mean(stale[12:]) == pytest.approx(baseline, abs=0.05)

    def test_health_checks_see_a_server_across_a_partition_as_down(self):
        doc = two_regions(ttl_s=0.0)
        doc["edges"].append({"from": "lb1", "to": "web2"})
        doc["scenario"] = [{"at": 1, "action": "partition", "target": "east", "other": "seoul"}]
        sim = engine.Simulation(engine.load(doc), seed=1)
        sim.step(1.0)
        cut = sim.step(1.0)
        assert flow(cut, "lb1", "web2") == 0 and cut["totals"]["error_rate"] == 0


class TestValidation:
    @pytest.mark.parametrize(
        ("change", "path", "words"),
        [
            (lambda d: d["nodes"][5].update(dc="lb1"), "nodes[5].dc", "not a data center"),
            (lambda d: d["nodes"][5].update(dc="nowhere"), "nodes[5].dc", "not a data center"),
            (lambda d: d["nodes"][0].update(dc="east"), "nodes[0].dc", "region instead"),
            (lambda d: d["nodes"][2].update(dc="seoul"), "nodes[2].dc", "inside another"),
            (lambda d: d["nodes"][2]["props"].update(region="mars"), "nodes[2].props.region", "one of"),
            (lambda d: d["nodes"][1]["props"].update(record="web1"), "nodes[1].props.record", "connected to"),
            (
                lambda d: d.update(scenario=[{"at": 1, "action": "partition", "target": "lb1", "other": "east"}]),
                "scenario[0].target",
                "data center",
            ),
            (
                lambda d: d.update(scenario=[{"at": 1, "action": "partition", "target": "east", "other": "web1"}]),
                "scenario[0].other",
                "not one",
            ),
            (
                lambda d: d.update(scenario=[{"at": 1, "action": "heal", "target": "east", "other": "east"}]),
                "scenario[0].other",
                "two different",
            ),
            (lambda d: d["edges"].append({"from": "dns", "to": "web1"}), None, None),
            (lambda d: d["edges"].append({"from": "web1", "to": "dns"}), "edges[5]", "cannot send"),
        ],
    )
    def test_it_refuses_what_does_not_fit_with_a_clear_problem(self, change, path, words):
        doc = two_regions()
        change(doc)
        if path is None:
            engine.load(doc)
            return
        with pytest.raises(engine.TopologyError) as error:
            engine.load(doc)
        problems = {p["path"]: p["message"] for p in error.value.problems}
        assert path in problems, problems
        assert words in problems[path]

    def test_users_ask_one_dns(self):
        doc = two_regions()
        doc["nodes"].append(node("dns2", "dns"))
        doc["edges"] += edges("us>dns2", "dns2>lb1")
        with pytest.raises(engine.TopologyError) as error:
            engine.load(doc)
        message = "Users 'us' ask dns, dns2; a group of users asks one DNS."
        assert error.value.problems == [{"path": "us", "message": message}]

    def test_a_live_partition_of_something_else_is_refused(self):
        sim = engine.Simulation(engine.load(two_regions()), seed=1)
        with pytest.raises(engine.ActionError, match="data center"):
            sim.act({"action": "partition", "target": "east", "other": "lb2"})


class TestAnalysis:
    def test_one_data_center_and_one_dns_are_single_points_of_failure(self):
        doc = two_regions()
        for n in doc["nodes"]:
            if n.get("dc") == "seoul":
                n["dc"] = "east"
        findings = {(f.kind, f.node) for f in engine.analyze(engine.load(doc))}
        assert ("single_point_of_failure", "east") in findings
        assert ("single_point_of_failure", "dns") in findings
        assert not any(f[1] in ("east", "seoul") for f in findings if f[0] == "unreachable")
        spread = {(f.kind, f.node) for f in engine.analyze(engine.load(two_regions()))}
        assert ("single_point_of_failure", "east") not in spread and ("single_point_of_failure", "dns") in spread


def test_the_same_seed_gives_the_same_frames_with_every_feature():
    doc = two_regions(routing="geo", ttl_s=2.0, kr_share=0.5, scenario=[
        {"at": 1, "action": "kill", "target": "seoul"},
        {"at": 2, "action": "partition", "target": "east", "other": "seoul"},
    ])  # fmt: skip
    doc["traffic"].update(static_ratio=0.3, login_ratio=0.1)
    doc["nodes"].append(node("cdn", "cdn", "east", **QUICK))
    doc["edges"] += edges("dns>cdn", "cdn>web1")
    runs = []
    for _ in range(2):
        sim = engine.Simulation(engine.load(doc), seed=9)
        runs.append(json.dumps([sim.step(0.7) for _ in range(5)], sort_keys=True))
    assert runs[0] == runs[1]
