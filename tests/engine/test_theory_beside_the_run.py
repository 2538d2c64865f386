"""Each frame's window names the textbook model a node fits and what it predicts, beside what the
run measured: M/M/c or M/D/1 for a web server, Che, FIFO or top-keys for a cache."""

import pytest

import engine
from engine.readouts.theory import erlang_c, queue_wait_s
from tests.engine.documents import cached, single_server
from tests.engine.test_theory import erlang_c as textbook_erlang_c


def window_after(document: dict, seconds: float, seed: int = 0) -> dict:
    simulation = engine.Simulation(engine.load(document), seed=seed)
    for _ in range(round(seconds / 0.1)):
        frame = simulation.step(0.1)
    return frame["window"]["nodes"]


@pytest.mark.parametrize(("workers", "offered"), [(1, 0.5), (4, 3.2), (32, 30.0), (100, 80.0)])
def test_erlang_c_is_the_textbook_formula(workers: int, offered: float):
    assert erlang_c(workers, offered) == pytest.approx(textbook_erlang_c(workers, offered), rel=1e-9)


def test_the_models_give_the_known_waits():
    assert queue_wait_s(1, 0.001, 800, constant=False) == pytest.approx(0.004)  # rho / (mu - lambda)
    assert queue_wait_s(1, 0.001, 800, constant=True) == pytest.approx(0.002)  # half of M/M/1's
    assert queue_wait_s(1, 0.001, 1000, constant=False) is None  # rho = 1: no steady state


@pytest.mark.parametrize("seed", range(10))
def test_a_single_server_shows_the_m_m_1_wait_at_its_measured_arrival_rate(seed: int):
    node = window_after(single_server(800, workers=1, service_ms=1), 10.0, seed)["web"]
    theory = node["theory"]
    assert theory["model"] == "M/M/1"
    rate = node["arrivals_rps"] / 1000
    assert theory["wait_ms"] == pytest.approx(rate / (1 - rate), rel=1e-3)
    # Five seconds at rho = 0.8 is a noisy sample of a slow-mixing queue: within a factor 1.6.
    assert 1 / 1.6 < node["wait_ms"] / theory["wait_ms"] < 1.6


def test_constant_service_on_one_worker_is_m_d_1_and_other_shapes_get_no_model():
    assert window_after(single_server(500, dist="constant", service_ms=1), 2.0)["web"]["theory"]["model"] == "M/D/1"
    assert "theory" not in window_after(single_server(500, workers=2, dist="constant", service_ms=1), 2.0)["web"]
    assert "theory" not in window_after(single_server(500, dist="lognormal", service_ms=1), 2.0)["web"]


@pytest.mark.parametrize(("policy", "model"), [("lru", "Che (LRU)"), ("fifo", "Martina et al. (FIFO)"),
                                               ("lfu", "top keys (LFU)")])  # fmt: skip
def test_a_warm_read_only_cache_measures_about_what_its_model_predicts(policy: str, model: str):
    document = cached(rps=20_000, keys=2000, zipf=0.8, capacity=200, policy=policy, read_ratio=1.0)
    node = window_after(document, 8.0)["cache"]
    assert node["theory"]["model"] == model
    assert node["hit_ratio"] == pytest.approx(node["theory"]["hit_ratio"], abs=0.03)


def test_a_ttl_that_expires_keys_leaves_the_models_but_a_long_one_does_not():
    """About 1,000 lookups a second; a key stays a few hundred lookups in a 100-key LRU anyway."""
    assert "theory" not in window_after(cached(rps=1000, ttl_s=0.05), 1.0)["cache"]
    assert window_after(cached(rps=1000, ttl_s=300.0), 1.0)["cache"]["theory"]["model"] == "Che (LRU)"


def test_a_big_pool_of_workers_does_not_overflow():
    """The factorials of the textbook form overflow a float past about 170 workers; the engine's does not."""
    assert 0 < erlang_c(500, 450.0) < 1
