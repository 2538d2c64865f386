"""The engine against queueing theory, on long runs with the warm-up dropped.

Formulas: Kleinrock, Queueing Systems vol. 1 (1975), M/M/1 in 3.2, M/M/c and Erlang C in 3.5;
Pollaczek-Khinchine mean value formula for M/G/1 (Gross and Harris, Fundamentals of Queueing
Theory, 5.1.1) with constant service for M/D/1.
"""

import math

import pytest

import engine
from tests.engine.documents import single_server

# Service of 1 ms keeps the runs short in simulated time; queueing results are scale-free.
SERVICE_MS = 1.0
MU = 1000.0 / SERVICE_MS
DURATION_S = 2000.0
WARMUP_S = 50.0


def erlang_c(c: int, offered: float) -> float:
    """Probability that an arrival waits in M/M/c with offered load a = lambda / mu (Erlang C)."""
    rho = offered / c
    head = sum(offered**k / math.factorial(k) for k in range(c))
    tail = offered**c / (math.factorial(c) * (1 - rho))
    return tail / (head + tail)


def measured(rps: float, workers: int = 1, dist: str = "exponential", seed: int = 3) -> dict:
    report = engine.run(single_server(rps, workers, SERVICE_MS, dist), DURATION_S, seed=seed, warmup_s=WARMUP_S)
    return report["nodes"]["web"]


class TestSingleServer:
    def test_it_matches_the_mm1_mean_wait(self):
        lam = 700.0
        rho = lam / MU
        web = measured(lam)
        expected_wait_ms = 1000.0 * rho / (MU - lam)
        assert web["mean_wait_ms"] == pytest.approx(expected_wait_ms, rel=0.05)
        assert web["utilization"] == pytest.approx(rho, abs=0.01)

    def test_it_matches_the_mmc_mean_wait(self):
        c, lam = 4, 3000.0
        offered = lam / MU
        web = measured(lam, workers=c)
        expected_wait_ms = 1000.0 * erlang_c(c, offered) / (c * MU - lam)
        assert web["mean_wait_ms"] == pytest.approx(expected_wait_ms, rel=0.05)
        assert web["utilization"] == pytest.approx(offered / c, abs=0.01)

    def test_it_matches_the_md1_mean_wait(self):
        lam = 700.0
        rho = lam / MU
        web = measured(lam, dist="constant")
        expected_wait_ms = 1000.0 * rho / (2 * MU * (1 - rho))
        assert web["mean_wait_ms"] == pytest.approx(expected_wait_ms, rel=0.05)

    def test_littles_law_holds_for_the_queue(self):
        lam = 700.0
        web = measured(lam, seed=11)
        arrival_rate = web["arrivals"] / DURATION_S
        assert web["mean_queue"] == pytest.approx(arrival_rate * web["mean_wait_ms"] / 1000.0, rel=0.03)

    def test_time_at_the_node_is_wait_plus_service(self):
        web = measured(500.0, seed=5)
        assert web["mean_latency_ms"] == pytest.approx(web["mean_wait_ms"] + SERVICE_MS, rel=0.02)

    def test_lognormal_service_keeps_its_mean(self):
        web = measured(300.0, dist="lognormal", seed=8)
        assert web["mean_latency_ms"] - web["mean_wait_ms"] == pytest.approx(SERVICE_MS, rel=0.02)
        assert web["utilization"] == pytest.approx(0.3, abs=0.01)
