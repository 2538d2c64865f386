"""Replications over seeds and their confidence intervals.

Student t interval: mean +- t(0.975, n - 1) s / sqrt(n) (any statistics text, e.g. Law, Simulation
Modeling and Analysis, 5th ed., 9.4.1). M/M/1 mean wait rho / (mu - lambda): Kleinrock vol. 1, 3.2.
"""

import json

import pytest

import engine
from engine.readouts.statistics import interval, summarize, t_quantile
from tests.engine.documents import balanced, single_server
from tests.engine.test_cli_and_analysis import cli


class TestInterval:
    def test_it_is_the_student_t_interval(self):
        result = interval([1.0, 2.0, 3.0])
        half = 4.303 * 1.0 / 3**0.5
        assert result == pytest.approx({"mean": 2.0, "low": 2.0 - half, "high": 2.0 + half})

    def test_one_value_has_no_bounds(self):
        assert interval([5.0]) == {"mean": 5.0, "low": None, "high": None}

    @pytest.mark.parametrize("freedom, expected", [(1, 12.706), (30, 2.042), (40, 2.021), (120, 1.980), (10**6, 1.960)])
    def test_the_quantiles_match_the_tables(self, freedom, expected):
        assert t_quantile(freedom) == pytest.approx(expected, abs=0.001)

    def test_it_keeps_the_reports_shape(self):
        reports = [{"a": 1, "b": {"c": None, "d": 2.0}, "e": None}, {"a": 3, "b": {"c": 4.0, "d": 2.0}, "e": None}]
        summary = summarize(reports)
        assert summary["a"]["mean"] == 2.0
        assert summary["b"]["c"] == {"mean": 4.0, "low": None, "high": None}
        assert summary["b"]["d"] == {"mean": 2.0, "low": 2.0, "high": 2.0}
        assert summary["e"] is None


class TestReplicate:
    def test_its_interval_covers_the_mm1_mean_wait(self):
        lam, mu = 500.0, 1000.0
        summary = engine.replicate(single_server(lam, service_ms=1.0), 100, replications=10, seed=1, warmup_s=5)
        wait = summary["nodes"]["web"]["mean_wait_ms"]
        assert wait["low"] < 1000.0 * (lam / mu) / (mu - lam) < wait["high"]
        assert wait["high"] - wait["low"] < 0.1

    def test_the_mean_is_the_mean_of_the_runs(self):
        summary = engine.replicate(balanced(), 5, replications=3, seed=4)
        requests = [engine.run(balanced(), 5, seed=seed)["requests"] for seed in (4, 5, 6)]
        assert summary["requests"]["mean"] == pytest.approx(sum(requests) / 3)
        assert (summary["replications"], summary["seeds"]) == (3, [4, 6])
        json.dumps(summary)

    def test_it_refuses_a_silly_count(self):
        with pytest.raises(ValueError, match="from 1 to 1000"):
            engine.replicate(balanced(), 5, replications=0)

    def test_the_command_line_prints_intervals(self, tmp_path):
        path = tmp_path / "topology.json"
        path.write_text(json.dumps(balanced()))
        done = cli("run", str(path), "--duration", "5", "--replications", "3")
        assert done.returncode == 0, done.stderr
        summary = json.loads(done.stdout)
        assert summary["latency_ms"]["p95"]["low"] <= summary["latency_ms"]["p95"]["mean"]
