"""The random draws the kernels use, against exact distributions."""

import math

import numpy as np
import pytest

from engine.rng import seeded_state, zipf, zipf_params


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
