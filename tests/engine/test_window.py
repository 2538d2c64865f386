"""The headline numbers a class reads are measured over the last WINDOW_S simulated seconds, so
they hold still at steady traffic while each frame's own numbers jump."""

import pytest

import engine
from engine.readouts.window import WINDOW_S
from tests.engine.documents import balanced

SEEDS = range(20)


def frames(document: dict, seed: int, count: int, dt: float = 0.1) -> list[dict]:
    simulation = engine.Simulation(engine.load(document), seed=seed)
    return [simulation.step(dt) for _ in range(count)]


def test_the_window_is_the_whole_run_report_over_its_seconds():
    """Fifty frames of 0.1 s from the start: the window is the run, so it says what the report says."""
    simulation = engine.Simulation(engine.load(balanced(200.0)), seed=3)
    for _ in range(50):
        window = simulation.step(0.1)["window"]
    report = simulation.report(5.0)
    assert window["s"] == pytest.approx(WINDOW_S)
    assert window["rps"] == pytest.approx(report["throughput_rps"], abs=1e-3)
    assert window["error_rate"] == pytest.approx(report["errors"] / report["requests"], abs=1e-4)
    for q in ("p50", "p95", "p99"):
        assert window[q] == pytest.approx(report["latency_ms"][q], abs=1e-3)


def test_the_window_keeps_only_the_newest_seconds():
    run = frames(balanced(200.0), seed=1, count=120)
    newest = run[-50:]
    completed = sum(frame["totals"]["rps"] * frame["dt"] for frame in newest)
    assert run[-1]["window"]["s"] == pytest.approx(WINDOW_S)
    assert run[-1]["window"]["rps"] == pytest.approx(completed / WINDOW_S, rel=1e-3)
    # Before the window fills it says how much it covers.
    assert run[9]["window"]["s"] == pytest.approx(1.0)


def test_a_frame_longer_than_the_window_is_the_window():
    run = frames(balanced(200.0), seed=2, count=3, dt=12.0)
    assert run[-1]["window"]["s"] == pytest.approx(12.0)
    assert run[-1]["window"]["rps"] == pytest.approx(run[-1]["totals"]["rps"], abs=1e-3)


@pytest.mark.parametrize("seed", SEEDS)
def test_at_steady_traffic_the_windowed_numbers_hold_still(seed: int):
    """200 rps for 30 s: after the window fills, its throughput stays within 175 and 225 and its
    p99 within a factor 1.6, on every seed, while single frames range far wider."""
    run = frames(balanced(200.0), seed=seed, count=300)[60:]
    windowed = [frame["window"]["rps"] for frame in run]
    assert min(windowed) >= 175 and max(windowed) <= 225
    p99 = [frame["window"]["p99"] for frame in run]
    assert max(p99) / min(p99) < 1.6
    per_frame = [frame["totals"]["rps"] for frame in run]
    assert max(per_frame) - min(per_frame) > 3 * (max(windowed) - min(windowed))


def test_the_window_counts_cache_and_cdn_hits():
    document = balanced(200.0)
    document["nodes"].append({"id": "cache", "kind": "cache", "x": 250, "y": 100, "props": {}})
    document["edges"] += [{"from": "web1", "to": "cache"}, {"from": "web2", "to": "cache"}]
    window = frames(document, seed=0, count=100)[-1]["window"]
    assert 0 < window["hit_ratio"] < 1
    assert window["cdn_hit_ratio"] is None  # no CDN: nothing to say, not 0 %
