"""Timers (health checks, autoscaling, backups, draining, failover) are bounded work per step.

Timers run in Python between kernel calls, holding the GIL. 20 balancers checking every
millisecond, each with 50 instances behind it, at speed 100 (10 simulated seconds a frame) were
200,000 checks a frame, each a Python loop over every edge: one frame held the process for
minutes. Now a check runs only when it can find something (engine.simulation.health), and a step
fires at most MAX_STEP_TIMERS timers, ending early (its frame's dt says so) rather than stalling.
Work is counted as the engine reports it (Simulation.work), never timed.
"""

import pytest

import engine
from engine.simulation.simulation import MAX_STEP_TIMERS
from tests.engine.reports import assert_same_run

FAILURE_EVENTS = ("failing", "failures_ended")

# A live simulation at speed 100 and 10 frames a second steps 10 simulated seconds a frame.
FRAME_S = 100 / 10


def pairs(count: int, instances: int, health_check_s: float, autoscaling: str = "off") -> dict:
    """users -> lb_i -> web_i (with `instances` instances), `count` times."""
    nodes = [{"id": "users", "kind": "users", "x": 0, "y": 0}]
    edges = []
    for i in range(count):
        nodes.append({"id": f"lb{i}", "kind": "load_balancer", "x": 100, "y": 100 * i,
                      "props": {"health_check_s": health_check_s}})  # fmt: skip
        web = {"instances": instances, "workers": 8, "service_ms": 10, "boot_s": 1, "autoscaling": autoscaling}
        if autoscaling == "on":
            web.update(min_instances=1, max_instances=instances)
        nodes.append({"id": f"web{i}", "kind": "web_server", "x": 200, "y": 100 * i, "props": web})
        edges += [{"from": "users", "to": f"lb{i}"}, {"from": f"lb{i}", "to": f"web{i}"}]
    return {"version": 1, "title": "timers", "traffic": {"rps": 2000}, "nodes": nodes, "edges": edges}


def busy_timers(seed: int) -> engine.Simulation:
    """A small case with every kind of timer: health checks, autoscaling (boots, draining), a
    backup's snapshots, a primary's failover, and a kill and revive that checks must find."""
    doc = pairs(2, 4, 0.25, autoscaling="on")
    doc["traffic"]["rps"] = 300
    doc["nodes"] += [
        {"id": "db", "kind": "database", "x": 300, "y": 0, "props": {"failover_s": 2}},
        {"id": "replica", "kind": "database", "x": 400, "y": 0, "props": {"role": "replica"}},
        {"id": "backup", "kind": "backup", "x": 300, "y": 100, "props": {"interval_s": 1}},
    ]
    doc["edges"] += [{"from": "web0", "to": "db"}, {"from": "web1", "to": "db"}, {"from": "db", "to": "replica"},
                     {"from": "db", "to": "backup"}]  # fmt: skip
    doc["scenario"] = [
        {"at": 7, "action": "kill", "target": "web0"},
        {"at": 9, "action": "revive", "target": "web0"},
        {"at": 20, "action": "kill", "target": "db"},
        {"at": 40, "action": "revive", "target": "db"},
    ]
    return engine.Simulation(engine.load(doc), seed=seed)


def run_to(simulation: engine.Simulation, t: float, max_timers: int) -> list[dict]:
    frames = []
    while t - simulation.t > 1e-9:
        frames.append(simulation.step(min(30.0, t - simulation.t), max_timers=max_timers))
    return frames


@pytest.fixture(scope="class")
def simulation():
    """20 balancers checking at the minimum interval, 50 instances behind each, one frame in."""
    simulation = engine.Simulation(engine.load(pairs(20, 50, 0.001)), seed=0)
    simulation.step(FRAME_S)
    return simulation


class TestHealthChecksAtTheMinimumInterval:
    def test_a_frame_at_speed_100_fires_no_checks_that_cannot_find_anything(self, simulation):
        frame = simulation.step(FRAME_S)
        assert frame["dt"] == FRAME_S
        assert simulation.work["timers"] == 0
        assert frame["totals"]["errors_rps"] == 0 and frame["totals"]["rps"] > 1900

    def test_a_killed_server_is_found_by_the_next_check_and_back_after_revive(self, simulation):
        simulation.act({"action": "kill", "target": "web3"})
        frame = simulation.step(FRAME_S)
        # One check, by the one balancer whose servers changed, within its millisecond.
        assert simulation.work["timers"] == 1
        removed = [e for e in frame["events"] if e["template"] == engine.messages.HEALTH_REMOVED]
        assert len(removed) == 50 and {e["params"]["balancer"] for e in removed} == {"lb3"}
        killed_at = simulation.t - FRAME_S
        assert len({e["t"] for e in removed}) == 1 and killed_at <= removed[0]["t"] <= killed_at + 0.001
        assert frame["nodes"]["lb3"]["errors_rps"] > 0  # nowhere to send once all are out
        simulation.act({"action": "revive", "target": "web3"})
        frame = simulation.step(FRAME_S)
        assert simulation.work["timers"] == 1
        back = [e for e in frame["events"] if e["template"] == engine.messages.HEALTH_BACK]
        assert len(back) == 50
        assert simulation.step(FRAME_S)["totals"]["errors_rps"] == 0


class TestStepCeiling:
    def test_a_long_step_with_many_timers_ends_early_and_says_so(self):
        # 20 autoscaled servers evaluate every 5 s: 14,400 evaluations in an hour.
        simulation = engine.Simulation(engine.load(pairs(20, 2, 1.0, autoscaling="on")), seed=0)
        frame = simulation.step(3600.0)
        assert simulation.work["timers"] == MAX_STEP_TIMERS
        assert 0 < frame["dt"] < 3600 and simulation.t == frame["dt"]
        assert frame["totals"]["rps"] > 1900

    @pytest.mark.parametrize("seed", [0, 1, 2, 3])
    def test_steps_cut_short_by_the_ceiling_give_the_results_of_uncut_ones(self, seed):
        cut, whole = busy_timers(seed), busy_timers(seed)
        cut_frames, whole_frames = run_to(cut, 60.0, max_timers=3), run_to(whole, 60.0, max_timers=10**9)
        assert len(cut_frames) > 10 * len(whole_frames)
        assert max(cut.work["timers"], 3) == 3

        # The failure causes' events are read at the ends of frames (engine.simulation.failures), so
        # their times and rates follow the frames; they name the same nodes.
        def logged(frames: list[dict], read_at_frame_ends: bool) -> list[dict]:
            return [e for f in frames for e in f["events"] if (e["kind"] in FAILURE_EVENTS) == read_at_frame_ends]

        assert logged(cut_frames, False) == logged(whole_frames, False)
        assert {e["target"] for e in logged(cut_frames, True)} == {e["target"] for e in logged(whole_frames, True)}
        assert_same_run(cut.report(60.0), whole.report(60.0))
