"""A frame's work is bounded whatever the topology and speed ask: past the budget, simulated time slows."""

import pytest

from playground.sim.simulation import LiveSimulation
from tests.playground.conftest import make_document


def flood(rps: float, pattern: str = "constant", peak: float = 1.0) -> dict:
    document = make_document("A flood")
    document["traffic"] = {**document["traffic"], "rps": rps, "pattern": pattern, "peak": peak, "period_s": 10}
    return document


def offered(frame: dict) -> float:
    return frame["totals"]["offered_rps"] * frame["dt"]


class TestStepBudget:
    def test_light_traffic_keeps_the_chosen_speed(self):
        live = LiveSimulation(frames_per_second=10, step_requests=5_000)
        live.load(make_document())
        live.speed = 10.0
        frame = live.advance()
        assert frame["pace"] == 1.0
        assert frame["t"] == pytest.approx(1.0)

    def test_two_million_rps_at_a_hundred_times_is_cut_to_the_budget(self):
        budget = 5_000
        live = LiveSimulation(frames_per_second=10, step_requests=budget)
        live.load(flood(2_000_000))
        live.speed = 100.0
        frame = live.advance()
        # Asked for 10 simulated seconds (20 million requests): it simulated the budget's worth.
        assert frame["pace"] < 0.001
        assert frame["t"] == pytest.approx(budget / 2_000_000)
        assert offered(frame) <= budget * 1.1

    def test_the_budget_holds_through_the_peak_of_a_pattern_and_a_spike(self):
        budget = 5_000
        live = LiveSimulation(frames_per_second=10, step_requests=budget)
        live.load(flood(100_000, pattern="spike", peak=50))
        live.act({"action": "spike", "factor": 20, "seconds": 600})
        live.speed = 100.0
        for _ in range(40):
            frame = live.advance()
            assert offered(frame) <= budget * 1.1
        assert frame["pace"] < 1.0

    def test_a_live_change_of_rate_changes_the_pace(self):
        live = LiveSimulation(frames_per_second=10, step_requests=5_000)
        live.load(make_document())
        live.speed = 100.0
        assert live.advance()["pace"] == 1.0
        live.set("traffic", {"rps": 1_000_000})
        assert live.advance()["pace"] < 1.0
        live.set("traffic", {"rps": 100})
        assert live.advance()["pace"] == 1.0
