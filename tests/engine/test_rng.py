"""The random draws the kernels use, against exact distributions."""

import math

import numpy as np
import pytest
from numba import njit

from engine.kernels import rng
from engine.kernels.layout import BINS, LATENCY_EDGES_MS
from engine.kernels.rng import seeded_state, zipf, zipf_params
from engine.kernels.serve import latency_bin


@pytest.mark.parametrize("keys, exponent", [(50, 0.9), (50, 0.0), (20, 2.0), (1000, 1.0), (1, 0.8)])
def test_zipf_draws_follow_the_exact_probabilities(keys, exponent):
    rng, params, draws = seeded_state(1), zipf_params(keys, exponent), 100_000
    ranks = np.array([zipf(rng, keys, exponent, *params) for _ in range(draws)])
    assert ranks.min() >= 1 and ranks.max() <= keys
    weights = np.arange(1, keys + 1, dtype=np.float64) ** -exponent
    expected = draws * weights / weights.sum()
    observed = np.bincount(ranks, minlength=keys + 1)[1:]
    chi_square = float(np.sum((observed - expected) ** 2 / expected))
    freedom = keys - 1
    # Pearson's statistic has mean k - 1 and variance 2 (k - 1); five deviations is far out.
    assert chi_square <= freedom + 5 * math.sqrt(2 * max(freedom, 1))


def test_zipf_draws_depend_only_on_the_seed():
    params = zipf_params(10_000, 0.9)

    def sequence(seed: int) -> list[int]:
        rng = seeded_state(seed)
        return [zipf(rng, 10_000, 0.9, *params) for _ in range(50)]

    assert sequence(3) == sequence(3)
    assert sequence(3) != sequence(4)


def test_exponential_draws_are_numpys_ziggurat_draw_for_draw(monkeypatch):
    # The sampler's own code (not compiled) fed the 64-bit words numpy's Generator gets from the
    # same PCG64 stream: same tables, same rejections, so the same numbers (to rounding in the tables).
    words = iter(np.random.PCG64(7).random_raw(400_000).tolist())
    monkeypatch.setattr(rng, "next_u64", lambda state: next(words))
    monkeypatch.setattr(rng, "uniform", rng.uniform.py_func)
    ours = np.array([rng.standard_exponential.py_func(None) for _ in range(100_000)])
    numpys = np.random.Generator(np.random.PCG64(7)).standard_exponential(100_000)
    np.testing.assert_allclose(ours, numpys, rtol=1e-12)


@njit
def compiled_exponentials(state, n):
    out = np.empty(n)
    for i in range(n):
        out[i] = rng.exponential(state, 2.0)
    return out


def test_compiled_exponential_draws_follow_the_exponential_law():
    draws = np.sort(compiled_exponentials(seeded_state(3), 400_000))
    n = len(draws)
    law = 1.0 - np.exp(-draws / 2.0)
    kolmogorov = max(np.max(np.arange(1, n + 1) / n - law), np.max(law - np.arange(n) / n))
    assert kolmogorov < 1.95 / math.sqrt(n)  # the 0.1% critical value
    assert draws.mean() == pytest.approx(2.0, abs=4 * 2.0 / math.sqrt(n))
    # The tail past the ziggurat's base layer (7.7 mean units) is drawn separately.
    tail = n * math.exp(-8.0)
    assert np.count_nonzero(draws > 2.0 * 8.0) == pytest.approx(tail, abs=4 * math.sqrt(tail))


def test_latency_bins_hold_what_their_edges_say():
    samples = 10.0 ** np.random.default_rng(1).uniform(-5.0, 9.0, 100_000)
    edges = np.concatenate([LATENCY_EDGES_MS, samples, np.nextafter(LATENCY_EDGES_MS, 0.0)])
    for ms in edges:
        b = latency_bin(ms)
        low = -np.inf if b == 0 else LATENCY_EDGES_MS[b]
        high = np.inf if b == BINS - 1 else LATENCY_EDGES_MS[b + 1]
        assert low <= ms < high
