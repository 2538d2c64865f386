"""Vertical scaling (machine size), horizontal scaling (instances) and autoscaling.

Theory: M/M/1 mean wait rho / (mu - lambda) (Kleinrock, Queueing Systems vol. 1, 3.2), with the
service time divided by the size's speed (docs/engine.md, "Scaling").
"""

import pytest

import engine
from engine.catalog import SIZES
from tests.engine.documents import balanced, single_server


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
