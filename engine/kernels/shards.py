"""The kernels of adding a shard: counting the keys each shard holds and those that move, and making
the caches forget the moved ones."""

import numpy as np

from engine.kernels import cache
from engine.kernels.data import shard_of
from engine.kernels.jit import jit


@jit
def count_keys(rmeta, row, keys, step, counts):
    """How many keys (of an even sample, every step-th) each shard holds."""
    for key in range(0, keys, step):
        counts[shard_of(rmeta, row, key)] += 1


@jit
def count_moved(before, after, row, keys, step):
    moved = 0
    for key in range(0, keys, step):
        moved += shard_of(before, row, key) != shard_of(after, row, key)
    return moved


# Allocates its list of moved keys, so it keeps numba's reference counting (rare: add_shard only).
@jit(_nrt=True)
def forget_moved(cmeta, cint, ctab, node, before, after, row):
    """A cache forgets every key it holds that moved to another shard; returns how many."""
    toff, size = cmeta[node, cache.CM_TOFF], cmeta[node, cache.CM_TMASK] + 1
    moved = np.empty(cmeta[node, cache.CM_SIZE], dtype=np.int64)
    n = 0
    for i in range(size):
        entry = ctab[toff + i]
        if entry > 0:
            key = cint[entry - 1, cache.CI_KEY]
            if shard_of(before, row, key) != shard_of(after, row, key):
                moved[n] = key
                n += 1
    # Collected first: dropping a key shifts others in the table.
    for j in range(n):
        cache.drop(cmeta, cint, ctab, node, moved[j])
    return n
