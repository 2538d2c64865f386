import json

import pytest

import engine
from engine.kernels import layout as k
from tests.engine.documents import balanced, single_server


def frames(simulation: engine.Simulation, count: int, seconds: float = 1.0) -> list[dict]:
    return [simulation.step(seconds) for _ in range(count)]


def fresh(doc: dict | None = None, seed: int = 0) -> engine.Simulation:
    return engine.Simulation(engine.load(doc or balanced()), seed=seed)


class TestFrames:
    def test_a_frame_has_the_documented_shape(self):
        frame = fresh().step(1.0)
        assert set(frame) == {"t", "dt", "nodes", "edges", "totals", "data", "events", "met", "window"}
        assert set(frame["data"]) == {"stale_reads", "lost_writes", "sessions_lost", "keys_lost", "keys_moved",
                                      "txn_committed", "txn_aborted", "txn_partial", "twopc_ms"}  # fmt: skip
        assert frame["nodes"]["db"]["keys"] == 100_000
        assert set(frame["nodes"]["web1"]) == {
            "up",
            "rps",
            "arrivals_rps",
            "errors_rps",
            "errors_by_cause",
            "util",
            "queue",
            "role",
            "hit_ratio",
            "instances",
        }
        assert set(frame["totals"]) == {"offered_rps", "rps", "errors_rps", "error_rate", "p50", "p95", "p99",
                                        "by_class", "hit_ratio", "cdn_hit_ratio", "stale_reads", "lost_writes",
                                        "queue_depth", "sessions_lost", "cost_per_month"}  # fmt: skip
        assert set(frame["totals"]["by_class"]) == {"read", "write", "job", "static", "login"}
        assert set(frame["totals"]["by_class"]["read"]) == {"p50", "p95", "p99"}
        assert [(e["from"], e["to"]) for e in frame["edges"]] == [(e["from"], e["to"]) for e in balanced()["edges"]]
        assert frame["nodes"]["db"]["role"] == "primary"
        json.dumps(frame)

    def test_rates_are_per_simulated_second(self):
        simulation = fresh(balanced(rps=1000))
        frames(simulation, 2)
        frame = simulation.step(5.0)
        assert frame["totals"]["offered_rps"] == pytest.approx(1000, rel=0.1)
        assert frame["nodes"]["users"]["rps"] == pytest.approx(frame["totals"]["offered_rps"])
        flows = {(e["from"], e["to"]): e["flows"] for e in frame["edges"]}
        assert flows[("lb", "web1")]["read"] + flows[("lb", "web1")]["write"] == pytest.approx(500, rel=0.1)
        assert flows[("users", "lb")]["read"] / frame["totals"]["offered_rps"] == pytest.approx(0.9, abs=0.03)

    def test_round_robin_splits_evenly(self):
        frame = frames(fresh(balanced(rps=1000)), 3)[-1]
        assert frame["nodes"]["web1"]["arrivals_rps"] == pytest.approx(frame["nodes"]["web2"]["arrivals_rps"], abs=1)

    def test_latency_percentiles_are_ordered(self):
        totals = frames(fresh(), 3, 2.0)[-1]["totals"]
        assert 0 < totals["p50"] <= totals["p95"] <= totals["p99"]
        assert totals["p50"] > 5

    def test_an_idle_slice_has_no_latencies(self):
        frame = fresh(balanced(rps=0)).step(1.0)
        assert frame["totals"]["p50"] is None
        assert frame["totals"]["rps"] == 0


def assert_same_report(a, b, path: str = "report") -> None:
    if isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for key in a:
            assert_same_report(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, float) and isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-12, abs=1e-12), path
    else:
        assert type(a) is type(b) and a == b, path


class TestDeterminism:
    def test_the_same_seed_gives_the_same_frames(self):
        first = json.dumps(frames(fresh(seed=7), 5))
        assert json.dumps(frames(fresh(seed=7), 5)) == first

    def test_another_seed_gives_other_frames(self):
        assert json.dumps(frames(fresh(seed=7), 3)) != json.dumps(frames(fresh(seed=8), 3))

    def test_slicing_does_not_change_what_happens(self):
        one = fresh(seed=3)
        one.step(2.0)
        many = fresh(seed=3)
        for _ in range(8):
            many.step(0.25)
        # Every count is the same. Sums of times (latency, busy time) are added up slice by slice,
        # so they may differ in their last bits.
        assert_same_report(one.report(2.0), many.report(2.0))

    def test_actions_replay_identically(self):
        def scripted() -> str:
            simulation = fresh(seed=5)
            out = frames(simulation, 2)
            simulation.act({"action": "kill", "target": "web1"})
            out += frames(simulation, 2)
            simulation.act({"action": "revive", "target": "web1"})
            return json.dumps(out + frames(simulation, 2))

        assert scripted() == scripted()


class TestKillAndRevive:
    def test_traffic_moves_to_the_survivor(self):
        simulation = fresh(balanced(rps=300))
        before = frames(simulation, 3)[-1]
        simulation.act({"action": "kill", "target": "web1"})
        killed = simulation.step(1.0)
        after = simulation.step(1.0)
        assert killed["events"][0]["kind"] == "kill"
        assert after["nodes"]["web1"] == {**after["nodes"]["web1"], "up": False, "rps": 0.0, "queue": 0}
        assert after["nodes"]["web2"]["rps"] == pytest.approx(2 * before["nodes"]["web2"]["rps"], rel=0.2)
        assert after["totals"]["error_rate"] == 0.0

    def test_what_the_dead_server_held_fails(self):
        simulation = fresh(single_server(rps=90, workers=1, service_ms=10))
        frames(simulation, 5)
        web = simulation.state.nint[simulation.topology.index("web")]
        held = web[k.I_BUSY] + web[k.I_QLEN]
        simulation.act({"action": "kill", "target": "web"})
        frame = simulation.step(0.001)
        message = frame["events"][0]["message"]
        lost = int(message.split("the ")[1].split(" ")[0])
        assert lost == held > 0
        assert frame["totals"]["errors_rps"] * frame["dt"] >= lost

    def test_requests_sent_to_a_dead_server_fail(self):
        simulation = fresh(single_server(rps=100))
        simulation.act({"action": "kill", "target": "web"})
        frame = simulation.step(2.0)
        assert frame["totals"]["rps"] == 0
        assert frame["totals"]["error_rate"] == 1.0
        assert frame["nodes"]["web"]["errors_rps"] == pytest.approx(100, rel=0.2)

    def test_a_dead_load_balancer_fails_everything(self):
        simulation = fresh()
        simulation.act({"action": "kill", "target": "lb"})
        frame = simulation.step(2.0)
        assert frame["totals"]["error_rate"] == 1.0
        assert frame["nodes"]["web1"]["arrivals_rps"] == 0

    def test_revive_restores_the_split(self):
        simulation = fresh(balanced(rps=400))
        simulation.act({"action": "kill", "target": "web1"})
        frames(simulation, 2)
        simulation.act({"action": "revive", "target": "web1"})
        frame = frames(simulation, 2)[-1]
        assert frame["nodes"]["web1"]["up"] is True
        assert frame["nodes"]["web1"]["rps"] == pytest.approx(frame["nodes"]["web2"]["rps"], rel=0.2)
        assert frame["totals"]["error_rate"] == 0.0

    def test_a_scenario_kills_at_its_time(self):
        simulation = fresh(balanced(scenario=[{"at": 2.5, "action": "kill", "target": "web2"}]))
        first, second, third = frames(simulation, 3)
        assert first["nodes"]["web2"]["up"] and second["nodes"]["web2"]["up"]
        assert third["nodes"]["web2"]["up"] is False
        assert third["events"][0]["t"] == 2.5

    @pytest.mark.parametrize(
        "action, words",
        [
            ({"action": "kill", "target": "ghost"}, "not a node"),
            ({"action": "explode", "target": "web1"}, "not an action"),
            ({"action": "kill", "target": "users"}, "Users cannot"),
            ({"action": "kill"}, "needs a target"),
        ],
    )
    def test_it_refuses_bad_actions_clearly(self, action, words):
        with pytest.raises(engine.ActionError, match=words):
            fresh().act(action)


class TestLiveChanges:
    def test_more_workers_lower_utilisation(self):
        simulation = fresh(single_server(rps=300, workers=4, service_ms=10))
        before = frames(simulation, 3)[-1]["nodes"]["web"]["util"]
        simulation.set("web", {"workers": 8})
        after = frames(simulation, 3)[-1]["nodes"]["web"]["util"]
        assert after == pytest.approx(before / 2, rel=0.15)

    def test_a_higher_rate_arrives(self):
        simulation = fresh(balanced(rps=100))
        simulation.set("traffic", {"rps": 400})
        frame = frames(simulation, 3)[-1]
        assert frame["totals"]["offered_rps"] == pytest.approx(400, rel=0.15)

    def test_growing_the_queue_keeps_waiting_requests(self):
        simulation = fresh(single_server(rps=150, workers=1, service_ms=10, queue_limit=50))
        frames(simulation, 2)
        simulation.set("web", {"queue_limit": 500})
        simulation.set("traffic", {"rps": 10})
        frames(simulation, 20)
        report = simulation.report(1.0)
        web = simulation.state.nint[simulation.topology.index("web")]
        assert report["requests"] == report["completed"] + report["errors"] + web[k.I_BUSY] + web[k.I_QLEN]

    def test_it_refuses_bad_values_with_the_catalogs_words(self):
        with pytest.raises(engine.TopologyError) as caught:
            fresh().set("web1", {"workers": 0})
        assert "whole number" in caught.value.problems[0]["message"]
        with pytest.raises(engine.TopologyError):
            fresh().set("traffic", {"rps": -1})
        with pytest.raises(engine.ActionError):
            fresh().set("ghost", {"workers": 2})


class TestRun:
    def test_the_report_has_the_documented_shape(self):
        report = engine.run(balanced(), 30, seed=1, warmup_s=5)
        assert set(report) == {"duration_s", "requests", "completed", "errors", "error_rate", "throughput_rps",
                               "latency_ms", "nodes", "data", "cost_per_month"}  # fmt: skip
        assert set(report["latency_ms"]) == {"mean", "p50", "p95", "p99", "by_class"}
        assert set(report["latency_ms"]["by_class"]["write"]) == {"completed", "p50", "p95", "p99"}
        assert report["latency_ms"]["by_class"]["job"] == {"completed": 0, "p50": None, "p95": None, "p99": None}
        assert set(report["nodes"]["web1"]) == {"arrivals", "completed", "dropped", "dropped_by_cause",
                                                "sessions_lost", "utilization", "mean_queue", "mean_wait_ms",
                                                "mean_latency_ms", "hit_ratio", "mean_instances"}  # fmt: skip
        assert set(report["data"]) == {
            "stale_reads",
            "lost_writes",
            "sessions_lost",
            "keys_lost",
            "keys_moved",
            "txn_committed",
            "txn_aborted",
            "txn_partial",
            "twopc_ms",
        }
        assert json.loads(json.dumps(report)) == report

    def test_it_measures_only_after_the_warmup(self):
        report = engine.run(balanced(rps=100), 10, seed=1, warmup_s=100)
        assert report["requests"] == pytest.approx(1000, rel=0.15)
        assert report["throughput_rps"] == pytest.approx(100, rel=0.15)

    def test_work_is_conserved(self):
        report = engine.run(balanced(rps=500), 20, seed=2)
        in_flight = report["requests"] - report["completed"] - report["errors"]
        assert 0 <= in_flight < 50
        assert (
            report["nodes"]["db"]["arrivals"]
            == report["nodes"]["web1"]["completed"] + report["nodes"]["web2"]["completed"]
        )


def test_a_whole_number_scenario_time_keeps_simulated_time_a_float():
    # An int reaching the kernels made numba compile a second copy of them mid-run (47 s in a lesson).
    simulation = engine.Simulation(engine.load(balanced(scenario=[{"at": 1, "action": "kill", "target": "web1"}])))
    simulation.step(2.0)
    assert isinstance(simulation.t, float)
    assert isinstance(simulation.next_due(), (float, type(None)))
