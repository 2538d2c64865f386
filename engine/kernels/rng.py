"""xoshiro256** random numbers for the kernels, with the state as an explicit uint64[4] array.

No global seeding: each simulation owns its state array, so the same seed gives the same run.
Reference: Blackman and Vigna, "Scrambled linear pseudorandom number generators" (2021).
"""

import math

import numpy as np
from numba import int64, uint64

from engine.kernels.jit import jit

MASK = 0xFFFFFFFFFFFFFFFF


def seeded_state(seed: int) -> np.ndarray:
    """Four state words from splitmix64, as the xoshiro authors recommend for seeding."""
    state = np.empty(4, dtype=np.uint64)
    x = seed & MASK
    for i in range(4):
        x = (x + 0x9E3779B97F4A7C15) & MASK
        z = x
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        state[i] = z ^ (z >> 31)
    return state


@jit(inline="always")
def _rotl(x, k):
    return (x << uint64(k)) | (x >> uint64(64 - k))


@jit
def next_u64(s):
    result = _rotl(s[1] * uint64(5), 7) * uint64(9)
    t = s[1] << uint64(17)
    s[2] ^= s[0]
    s[3] ^= s[1]
    s[1] ^= s[2]
    s[0] ^= s[3]
    s[2] ^= t
    s[3] = _rotl(s[3], 45)
    return result


@jit
def uniform(s):
    """A double in [0, 1) from the top 53 bits."""
    return float(next_u64(s) >> uint64(11)) * (1.0 / 9007199254740992.0)


# Exponential draws by Marsaglia and Tsang's ziggurat ("The ziggurat method for generating random
# variables", J. Stat. Softw. 5(8), 2000), in the 256-layer, 53-bit form of numpy's Generator
# (random_standard_exponential): 98.9% of draws take one 64-bit word, a table look-up and a
# multiply, where inversion takes a log; exponential draws were a fifth of the M/M/c bench's time.
ZIGGURAT_LAYERS = 256
ZIGGURAT_R = 7.69711747013104972  # where the base layer's tail starts
ZIGGURAT_V = 0.0039496598225815571993  # the area of every layer


def ziggurat_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per layer: the accept threshold on 53 bits, the width per unit of those bits, and exp(-x) at
    the layer's edge (Marsaglia and Tsang's zigset, with 2^53 for 2^32)."""
    scale = 2.0**53
    ke = np.zeros(ZIGGURAT_LAYERS, dtype=np.uint64)
    we = np.zeros(ZIGGURAT_LAYERS, dtype=np.float64)
    fe = np.zeros(ZIGGURAT_LAYERS, dtype=np.float64)
    edge = previous = ZIGGURAT_R
    q = ZIGGURAT_V / math.exp(-edge)
    ke[0] = np.uint64(edge / q * scale)
    we[0], we[-1] = q / scale, edge / scale
    fe[0], fe[-1] = 1.0, math.exp(-edge)
    for i in range(ZIGGURAT_LAYERS - 2, 0, -1):
        edge = -math.log(ZIGGURAT_V / edge + math.exp(-edge))
        ke[i + 1] = np.uint64(edge / previous * scale)
        previous = edge
        fe[i], we[i] = math.exp(-edge), edge / scale
    return ke, we, fe


# Module-level arrays: numba compiles them into the kernels as constants.
ZIGGURAT_KE, ZIGGURAT_WE, ZIGGURAT_FE = ziggurat_tables()


@jit(inline="always")
def standard_exponential(s):
    """An exponential draw of mean 1."""
    while True:
        bits = next_u64(s) >> uint64(3)
        layer = int64(bits & uint64(0xFF))
        bits >>= uint64(8)
        x = float(bits) * ZIGGURAT_WE[layer]
        if bits < ZIGGURAT_KE[layer]:
            return x
        if layer == 0:
            # Past the base layer's edge the exponential starts afresh (it has no memory).
            return ZIGGURAT_R - math.log1p(-uniform(s))
        fe = ZIGGURAT_FE
        if (fe[layer - 1] - fe[layer]) * uniform(s) + fe[layer] < math.exp(-x):
            return x


@jit(inline="always")
def exponential(s, mean):
    return mean * standard_exponential(s)


@jit
def standard_normal(s):
    # Box-Muller; one of the pair is enough and keeps the draw count per call fixed.
    u1 = 1.0 - uniform(s)
    u2 = uniform(s)
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


@jit
def mix64(x):
    """A well-spread non-negative hash of an integer (splitmix64's finaliser), for sticky choices."""
    z = uint64(x) + uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> uint64(30))) * uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> uint64(27))) * uint64(0x94D049BB133111EB)
    return int64((z ^ (z >> uint64(31))) >> uint64(1))


# Zipf ranks by rejection-inversion: exact, O(1) expected time and no table however many keys.
# Hörmann and Derflinger, "Rejection-inversion to generate variates from monotone discrete
# distributions", ACM TOMACS 6(3), 1996; arranged as in Apache Commons RNG's
# RejectionInversionZipfSampler. Rank k in 1..n has probability proportional to k^-exponent.


@jit(inline="always")
def _log1p_over(x):
    return math.log1p(x) / x if abs(x) > 1e-8 else 1.0 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x))


@jit(inline="always")
def _expm1_over(x):
    return math.expm1(x) / x if abs(x) > 1e-8 else 1.0 + x * 0.5 * (1.0 + x * (1.0 / 3.0) * (1.0 + 0.25 * x))


@jit
def _h(x, exponent):
    return math.exp(-exponent * math.log(x))


@jit
def _h_integral(x, exponent):
    log_x = math.log(x)
    return _expm1_over((1.0 - exponent) * log_x) * log_x


@jit
def _h_integral_inverse(x, exponent):
    t = max(-1.0, x * (1.0 - exponent))
    return math.exp(_log1p_over(t) * x)


def zipf_params(n: int, exponent: float) -> tuple[float, float, float]:
    """The sampler's constants for n ranks: H(1.5) - 1, H(n + 0.5) and the squeeze s."""
    squeeze = 2.0 - _h_integral_inverse(_h_integral(2.5, exponent) - _h(2.0, exponent), exponent)
    return _h_integral(1.5, exponent) - 1.0, _h_integral(n + 0.5, exponent), squeeze


@jit
def zipf(s, n, exponent, h_x1, h_n, squeeze):
    """A rank from 1 (the most popular) to n."""
    while True:
        u = h_n + uniform(s) * (h_x1 - h_n)
        x = _h_integral_inverse(u, exponent)
        k = min(max(int(x + 0.5), 1), n)
        if k - x <= squeeze or u >= _h_integral(k + 0.5, exponent) - _h(k, exponent):
            return k
