"""Vertical scaling (machine size), horizontal scaling (instances) and autoscaling.

Theory: M/M/1 mean wait rho / (mu - lambda) (Kleinrock, Queueing Systems vol. 1, 3.2), with the
service time divided by the size's speed (docs/engine.md, "Scaling").
"""

import json
import math

import pytest

import engine
from engine.catalog.world import SIZES
from tests.engine.documents import balanced, farm, sessions, single_server


def fresh(doc: dict, seed: int = 0) -> engine.Simulation:
    return engine.Simulation(engine.load(doc), seed=seed)


def steps(simulation: engine.Simulation, count: int, seconds: float = 1.0) -> list[dict]:
    return [simulation.step(seconds) for _ in range(count)]


class TestSize:
    def test_a_bigger_machine_waits_as_theory_says_for_its_faster_service(self):
        lam, service_ms = 250.0, 10.0
        doc = single_server(lam, service_ms=service_ms)
        doc["nodes"][1]["props"]["size"] = "large"
        web = engine.run(doc, 1500, seed=3, warmup_s=20)["nodes"]["web"]
        mu = 1000.0 / service_ms * SIZES["large"].speed
        assert web["utilization"] == pytest.approx(lam / mu, abs=0.01)
        assert web["mean_wait_ms"] == pytest.approx(1000.0 * (lam / mu) / (mu - lam), rel=0.05)

    def test_each_size_up_is_faster_but_buys_less_speed_per_dollar(self):
        # Measured, not read off the table: the utilisation at the same load on every size.
        utils, costs = [], []
        for size in SIZES:
            doc = single_server(60, workers=1, service_ms=10)
            doc["nodes"][1]["props"]["size"] = size
            report = engine.run(doc, 200, seed=1, warmup_s=5)
            utils.append(report["nodes"]["web"]["utilization"])
            costs.append(report["cost_per_month"])
        speeds = [utils[0] / u for u in utils]
        assert all(a < b for a, b in zip(speeds, speeds[1:]))
        per_dollar = [s / c for s, c in zip(speeds, costs)]
        assert all(a > b for a, b in zip(per_dollar, per_dollar[1:]))
        assert costs == sorted(costs) and costs[-1] == 16 * costs[0]

    def test_even_the_biggest_machine_cannot_take_ten_times_the_load(self):
        # A small machine with one worker at 10 ms serves 100 rps; the biggest one does not serve 1,000.
        doc = single_server(1000, workers=1, service_ms=10, queue_limit=100)
        doc["nodes"][1]["props"]["size"] = max(SIZES, key=lambda name: SIZES[name].cores)
        report = engine.run(doc, 60, seed=2, warmup_s=5)
        assert report["nodes"]["web"]["utilization"] > 0.99
        assert report["errors"] > 0.2 * report["requests"]

    def test_scaling_the_size_live_lowers_utilisation_and_raises_the_cost(self):
        simulation = fresh(single_server(rps=300, workers=4, service_ms=10))
        before = steps(simulation, 3)[-1]
        simulation.act({"action": "scale", "target": "web", "size": "xlarge"})
        after = steps(simulation, 3)
        speedup = SIZES["xlarge"].speed
        assert after[-1]["nodes"]["web"]["util"] == pytest.approx(before["nodes"]["web"]["util"] / speedup, rel=0.2)
        assert after[-1]["totals"]["cost_per_month"] == 8 * before["totals"]["cost_per_month"]
        assert after[0]["events"][0]["message"] == (
            "web moved from a small to a xlarge machine: 4.7x the speed for 8x the cost ($160 a month)."
        )
        # The sizes are choices: each page shows them by their label in its language.
        assert after[0]["events"][0]["choices"] == ["before", "size"]

    def test_scale_takes_workers_and_size_together(self):
        simulation = fresh(single_server(rps=100, workers=2))
        simulation.act({"action": "scale", "target": "web", "workers": 6, "size": "medium"})
        events = simulation.step(0.5)["events"]
        assert [event["message"].split(":")[0] for event in events] == [
            "web scaled from 2 to 6 workers.",
            "web moved from a small to a medium machine",
        ]

    @pytest.mark.parametrize(
        "action, words",
        [
            ({"action": "scale", "target": "web1"}, "at least one of workers, size"),
            ({"action": "scale", "target": "web1", "size": "huge"}, "size must be one of small, medium"),
        ],
    )
    def test_it_refuses_a_scale_it_cannot_apply(self, action, words):
        with pytest.raises(engine.ActionError, match=words):
            fresh(balanced()).act(action)


def pool_of(doc: dict, instances: int, boot_s: float = 5.0, **lb_props) -> dict:
    """farm-like: users -> lb -> one web server `web` running `instances` instances."""
    doc["nodes"][1]["props"].update(lb_props)
    web = next(node for node in doc["nodes"] if node["id"] == "web1")
    web["props"].update(instances=instances, boot_s=boot_s)
    return doc


class TestInstances:
    def test_the_load_balancer_spreads_requests_evenly_over_the_instances(self):
        simulation = fresh(pool_of(farm("round_robin", servers=1, rps=2000, workers=8, service_ms=5), 4))
        frame = simulation.step(5.0)
        web = frame["nodes"]["web1"]
        assert web["instances"] == 4 and [p["state"] for p in web["pool"]] == ["running"] * 4
        rates = [p["rps"] for p in web["pool"]]
        assert max(rates) - min(rates) <= 1.0  # round robin: within one request over 5 s
        assert web["rps"] == pytest.approx(sum(rates))
        # Four machines share the load: each is a quarter as busy as one alone would be.
        assert web["util"] == pytest.approx(2000 * 0.005 / (4 * 8), rel=0.1)
        assert frame["totals"]["cost_per_month"] == 4 * SIZES["small"].monthly_usd
        flows = frame["edges"][1]["flows"]
        assert flows["read"] + flows["write"] == pytest.approx(frame["totals"]["offered_rps"], rel=0.01)

    def test_scaling_out_adds_instances_after_they_boot(self):
        simulation = fresh(pool_of(farm("round_robin", servers=1, rps=1000, workers=8, service_ms=5), 2, boot_s=3))
        before = steps(simulation, 2)[-1]["nodes"]["web1"]
        simulation.act({"action": "scale", "target": "web1", "instances": 4})
        booting = steps(simulation, 3)
        booted = steps(simulation, 3)
        assert booting[0]["events"][0]["message"] == (
            "web1 scales out from 2 to 4 instances; the new ones boot for 3 s."
        )
        assert [p["state"] for p in booting[-1]["nodes"]["web1"]["pool"]] == ["running"] * 2 + ["booting"] * 2
        assert booting[-1]["nodes"]["web1"]["pool"][2]["rps"] == 0.0
        # Paid for while booting.
        assert booting[0]["totals"]["cost_per_month"] == 4 * SIZES["small"].monthly_usd
        assert booted[0]["events"][0]["message"] == "web1 now runs 4 instances: 2 more finished booting."
        assert booted[-1]["nodes"]["web1"]["instances"] == 4
        assert booted[-1]["nodes"]["web1"]["util"] == pytest.approx(before["util"] / 2, rel=0.2)
        assert all(p["rps"] > 200 for p in booted[-1]["nodes"]["web1"]["pool"])

    def test_a_booted_instance_waits_for_the_next_health_check(self):
        doc = pool_of(farm("round_robin", servers=1, rps=1000), 1, boot_s=1, health_check_s=5)
        simulation = fresh(doc)
        simulation.step(0.5)
        simulation.act({"action": "scale", "target": "web1", "instances": 2})
        frames = steps(simulation, 10, 0.5)  # boots at 1.5 s; the balancer checks at 5 s
        new = [frame["nodes"]["web1"]["pool"][1] for frame in frames]
        assert [p["state"] for p in new[:2]] == ["booting"] * 2
        assert all(p["state"] == "running" and p["rps"] == 0.0 for p in new[2:9])
        assert new[9]["rps"] > 0

    def test_scaling_in_drains_without_failing_a_request(self):
        doc = pool_of(farm("least_connections", servers=1, rps=2000, workers=4, service_ms=10), 6)
        simulation = fresh(doc, seed=4)
        steps(simulation, 2)
        simulation.act({"action": "scale", "target": "web1", "instances": 3})
        frames = steps(simulation, 3)
        assert frames[0]["events"][0]["message"] == (
            "web1 scales in from 6 to 3 instances; the ones leaving finish their requests first."
        )
        assert sum(frame["totals"]["errors_rps"] for frame in frames) == 0.0
        assert frames[-1]["nodes"]["web1"]["instances"] == 3
        assert len(frames[-1]["nodes"]["web1"]["pool"]) == 3  # the drained ones stopped
        assert frames[-1]["totals"]["cost_per_month"] == 3 * SIZES["small"].monthly_usd

    def test_it_grows_past_the_instances_it_started_with_under_load(self):
        simulation = fresh(pool_of(farm("round_robin", servers=1, rps=3000, workers=4, service_ms=5), 1, boot_s=0))
        steps(simulation, 2)
        simulation.act({"action": "scale", "target": "web1", "instances": 6})
        # The first instance's backlog drains within seconds (it still gets its sixth of new requests).
        frame = steps(simulation, 5)[-1]
        assert frame["nodes"]["web1"]["instances"] == 6
        assert frame["totals"]["error_rate"] == 0.0
        assert frame["totals"]["rps"] == pytest.approx(3000, rel=0.1)

    def test_killing_the_server_kills_every_instance_and_revive_brings_them_back(self):
        simulation = fresh(pool_of(farm("round_robin", servers=2, rps=1000), 3))
        simulation.step(1.0)
        simulation.act({"action": "kill", "target": "web1"})
        killed = simulation.step(1.0)
        assert killed["nodes"]["web1"]["up"] is False
        assert not any(p["up"] for p in killed["nodes"]["web1"]["pool"])
        assert killed["nodes"]["web1"]["rps"] == 0.0 and killed["nodes"]["web2"]["rps"] > 900
        simulation.act({"action": "revive", "target": "web1"})
        back = simulation.step(1.0)
        assert all(p["up"] and p["rps"] > 0 for p in back["nodes"]["web1"]["pool"])

    def test_instances_keep_their_own_sessions(self):
        # Two instances of one server are two machines: round robin loses sessions between them.
        doc = pool_of(sessions("local", servers=1, clients=50, rps=500), 2)
        report = engine.run(doc, 10, seed=1, warmup_s=2)
        assert report["data"]["sessions_lost"] == pytest.approx(0.5 * report["requests"], rel=0.1)

    def test_the_same_seed_and_scaling_give_the_same_frames(self):
        def scripted() -> str:
            doc = pool_of(farm("two_choices", servers=1, rps=1500), 2, boot_s=1.5)
            doc["scenario"] = [{"at": 1, "action": "scale", "target": "web1", "instances": 5},
                               {"at": 4, "action": "scale", "target": "web1", "instances": 2}]  # fmt: skip
            simulation = fresh(doc, seed=9)
            return json.dumps(steps(simulation, 6, 0.7))

        assert scripted() == scripted()

    def test_instances_need_a_load_balancer_in_front(self):
        doc = single_server(100)
        doc["nodes"][1]["props"]["instances"] = 3
        with pytest.raises(engine.TopologyError) as caught:
            engine.load(doc)
        assert caught.value.problems == [{
            "path": "nodes[1].props.instances",
            "message": "Web server 'web' would run 3 instances, but users send to it directly: only a load "
                       "balancer spreads requests over instances. Put one in front.",
        }]  # fmt: skip
        with pytest.raises(engine.ActionError, match="only a load balancer spreads"):
            fresh(single_server(100)).act({"action": "scale", "target": "web", "instances": 2})

    def test_only_web_servers_run_instances(self):
        with pytest.raises(engine.ActionError, match="Only web servers run several instances; 'db' is a database"):
            fresh(balanced()).act({"action": "scale", "target": "db", "instances": 2})


def spiked(autoscaling: str) -> dict:
    """Two instances at 60% utilisation (240 rps of 20 ms on 2 x 4 workers), then four times the
    traffic for 150 s from t = 30."""
    doc = farm("least_connections", servers=1, rps=240, workers=4, service_ms=20)
    doc["nodes"][2]["props"].update(
        instances=2, boot_s=10, autoscaling=autoscaling, min_instances=2, max_instances=12, target_util=0.6
    )
    doc["scenario"] = [{"at": 30, "action": "spike", "factor": 4, "seconds": 150}]
    return doc


def mean(values) -> float:
    values = list(values)
    return sum(values) / len(values)


class TestAutoscaling:
    @pytest.fixture(scope="class")
    @classmethod
    def runs(cls) -> dict[str, list[dict]]:
        out = {}
        for mode in ("off", "on"):
            simulation = fresh(spiked(mode), seed=1)
            out[mode] = steps(simulation, 52, 5.0)  # frame i ends at 5 (i + 1) s
        return out

    def test_under_a_spike_instances_grow_and_p99_recovers(self, runs):
        before = runs["on"][2:6]  # 15 to 30 s
        settled = runs["on"][24:36]  # the spike's last minute, 120 to 180 s
        web = [frame["nodes"]["web1"] for frame in settled]
        assert mean(w["instances"] for w in web) >= 7  # 960 rps at 60% needs 8
        assert mean(w["util"] for w in web) == pytest.approx(0.6, abs=0.1)
        assert max(frame["totals"]["p99"] for frame in settled) < 2 * mean(f["totals"]["p99"] for f in before)
        assert sum(frame["totals"]["errors_rps"] for frame in settled) == 0.0
        first = next(e for frame in runs["on"] for e in frame["events"] if e["kind"] == "autoscale" and e["t"] > 30)
        assert first["t"] == 35.0
        before_count = first["params"]["before"]
        assert first["message"] == (
            f"web1 autoscaling: instances {before_count} -> {first['params']['after']} (utilisation 100%, target "
            "60%); the new ones boot for 10 s."
        )
        # Utilisation reads at most 100%: it grows by at most 1 / target_util per evaluation (less when
        # an instance booted during the period, as the mean of instances running counts).
        assert before_count < first["params"]["after"] <= math.ceil(before_count / 0.6)

    def test_without_autoscaling_the_spike_overwhelms_the_servers(self, runs):
        before, settled = runs["off"][2:6], runs["off"][24:36]
        assert all(frame["nodes"]["web1"]["instances"] == 2 for frame in settled)
        assert min(frame["totals"]["p99"] for frame in settled) > 20 * mean(f["totals"]["p99"] for f in before)
        assert mean(frame["totals"]["error_rate"] for frame in settled) > 0.3

    def test_after_the_spike_it_scales_in_one_instance_at_a_time(self, runs):
        after = runs["on"][36:]  # 180 to 260 s
        removals = [e for frame in after for e in frame["events"] if e["kind"] == "autoscale"]
        assert len(removals) >= 3
        assert all(e["message"].endswith("the one leaving finishes its requests first.") for e in removals)
        assert all(b["t"] - a["t"] >= 15 for a, b in zip(removals, removals[1:]))
        counts = [frame["nodes"]["web1"]["instances"] for frame in after]
        assert all(a - b <= 1 for a, b in zip(counts, counts[1:])) and counts[-1] < counts[0]
        assert sum(frame["totals"]["errors_rps"] for frame in after) == 0.0

    def test_it_costs_more_only_while_it_needs_to(self, runs):
        cost = [frame["totals"]["cost_per_month"] for frame in runs["on"]]
        assert max(cost[24:36]) >= 8 * SIZES["small"].monthly_usd
        assert cost[-1] < max(cost)

    def test_it_refuses_a_minimum_above_the_maximum(self):
        doc = spiked("on")
        doc["nodes"][2]["props"].update(min_instances=5, max_instances=3)
        with pytest.raises(engine.TopologyError) as caught:
            engine.load(doc)
        assert caught.value.problems[0]["path"] == "nodes[2].props.min_instances"


class TestAutoscalingArithmetic:
    def test_instances_that_just_booted_do_not_count_for_the_work_measured_before(self):
        # 9 instances at about 87% (target 60%) want ceil(9 x 0.87 / 0.6) = 14. They boot for
        # 10 s, twice the evaluation period, so they finish as an evaluation measures the last 5 s
        # that 9 instances worked: 14 is still the answer, not 14 x 0.87 / 0.6 = 21.
        doc = farm("least_connections", servers=1, rps=1566, workers=4, service_ms=20)
        doc["nodes"][2]["props"].update(instances=9, boot_s=10, autoscaling="on", min_instances=2,
                                        max_instances=40, target_util=0.6)  # fmt: skip
        simulation = fresh(doc, seed=2)
        frames = steps(simulation, 8, 5.0)
        counts = [e["params"]["after"] for f in frames for e in f["events"] if e["kind"] == "autoscale"]
        assert counts and counts[0] == pytest.approx(14, abs=1)
        settled = frames[-1]["nodes"]["web1"]
        assert settled["instances"] == counts[0] and len(counts) == 1
        assert settled["util"] == pytest.approx(0.87 * 9 / counts[0], abs=0.06)


class TestKillOneInstance:
    """One machine of a pool fails: the others go on (before, Kill took every instance down)."""

    @pytest.mark.parametrize("seed", range(5))
    def test_the_other_instances_go_on_and_the_balancer_drops_the_dead_one(self, seed: int):
        doc = pool_of(farm("round_robin", servers=1, rps=2000, workers=8, service_ms=5, health_check_s=1), 3)
        simulation = engine.Simulation(engine.load(doc), seed=seed)
        assert "pooled" in simulation.step(1.2)["met"]["web1"]  # between health checks (at 1 s and 2 s)
        simulation.act({"action": "kill_instance", "target": "web1", "instance": 2})
        frame = simulation.step(0.5)
        web = frame["nodes"]["web1"]
        assert web["up"] is True
        assert [p["up"] for p in web["pool"]] == [True, False, True]
        assert frame["events"][0]["message"].startswith("Instance 2 of web1 was killed;")
        assert frame["events"][0]["message"].endswith("and 2 instances go on.")
        # Until the next health check a third of the requests go to the dead instance and fail.
        assert 0.2 < frame["totals"]["error_rate"] < 0.45
        later = [simulation.step(0.5) for _ in range(4)][-1]
        assert later["totals"]["error_rate"] == 0
        assert later["nodes"]["web1"]["pool"][1]["rps"] == 0
        assert "pooled" in later["met"]["web1"]  # two instances still run
        simulation.act({"action": "revive", "target": "web1"})
        assert [p["up"] for p in simulation.step(0.5)["nodes"]["web1"]["pool"]] == [True, True, True]

    def test_it_refuses_an_instance_that_is_not_there(self):
        simulation = engine.Simulation(engine.load(pool_of(farm("round_robin", servers=1), 2)), seed=0)
        simulation.step(0.1)
        with pytest.raises(engine.ActionError, match="no instance 3 running"):
            simulation.act({"action": "kill_instance", "target": "web1", "instance": 3})
        simulation.act({"action": "kill_instance", "target": "web1", "instance": 1})
        with pytest.raises(engine.ActionError, match="already down"):
            simulation.act({"action": "kill_instance", "target": "web1", "instance": 1})

    def test_a_single_machine_is_killed_whole(self):
        simulation = engine.Simulation(engine.load(farm("round_robin", servers=2)), seed=0)
        assert "pooled" not in simulation.step(0.1)["met"].get("web1", [])
        with pytest.raises(engine.ActionError, match="runs 1 instance now"):
            simulation.act({"action": "kill_instance", "target": "web1", "instance": 1})
