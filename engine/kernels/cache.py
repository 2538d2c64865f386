"""Cache contents for the kernels: which keys each cache node holds, with LRU, LFU or FIFO eviction
and TTL expiry, in fixed-size flat arrays (no Python objects, nothing grows in a run).

Layout (n nodes; C slots: every cache's capacity, one after another; T table cells):

    cmeta[n, CM_*]  int64 per node: slot offset and capacity, table offset and mask, entries held,
                    most and least recent slot (LRU, FIFO), policy, free-stack height, access tick,
                    offset and length of its request counters (LFU)
    cint[C, CI_*]   int64 per slot: key, previous and next slot in recency order, use count and tick
                    of its last use (LFU), its place in the LFU heap; and, by place rather than slot,
                    each cache's LFU min-heap of slots ordered by (use count, tick of last use) and
                    its stack of free slots
    cexp[C]         float64 per slot: simulated time the entry expires
    ctab[T]         each cache's open-addressing hash table (linear probing, a power of two at least
                    twice the capacity): global slot + 1, or 0 for an empty cell
    ccount[K]       each LFU cache's count of lookups per key, held or not: key k counts in cell
                    k mod length, exact up to MAX_COUNTERS keys, shared by a few keys beyond

Recency list: `head` is the most recently filled (FIFO) or used (LRU) entry, `tail` the next victim.
LFU is "perfect LFU" (Breslau et al., "Web caching and Zipf-like distributions", INFOCOM 1999):
it counts every lookup of every key since the cache started, kept or not, and evicts the held
key with the lowest count, the least recently used among equals. (An LFU that forgets the count
of an evicted key freezes whatever it held first and can stay far below; a killed cache does
forget.)
Expiry is lazy, as memcached's: an expired entry is found stale (a miss) and removed when read.
The time to live is the caller's (the node's `ttl_s`); 0 never expires.
"""

import numpy as np

from engine.catalog.codes import POLICY_CODES
from engine.kernels.jit import jit
from engine.kernels.rng import mix64

P_LRU, P_LFU, P_FIFO = (POLICY_CODES[p] for p in ("lru", "lfu", "fifo"))
CM_OFF, CM_CAP, CM_TOFF, CM_TMASK, CM_SIZE, CM_HEAD, CM_TAIL, CM_POLICY, CM_FREE, CM_TICK, CM_KOFF, CM_KLEN = range(12)
N_CMETA = 12
MAX_COUNTERS = 1 << 22
CI_KEY, CI_PREV, CI_NEXT, CI_USES, CI_TICK, CI_HPOS, CI_HEAP, CI_FREE = range(8)
N_CINT = 8
NONE = -1


def table_size(capacity: int) -> int:
    """Cells of a cache's hash table: a power of two, at least twice the capacity (load <= 1/2)."""
    return 1 << max(1, (2 * capacity - 1).bit_length())


def layout(capacities: list[int], policies: list[int], keys: int) -> tuple:
    """Arrays for caches of those capacities (0 for nodes that are no cache), every cache empty."""
    n = len(capacities)
    cmeta = np.zeros((n, N_CMETA), dtype=np.int64)
    sizes = [table_size(c) if c > 0 else 0 for c in capacities]
    counters = [min(keys, MAX_COUNTERS) if c > 0 and p == P_LFU else 0 for c, p in zip(capacities, policies)]
    cmeta[:, CM_KLEN] = counters
    cmeta[:, CM_KOFF] = np.concatenate([[0], np.cumsum(counters)[:-1]])
    cmeta[:, CM_CAP] = capacities
    cmeta[:, CM_OFF] = np.concatenate([[0], np.cumsum(capacities)[:-1]])
    cmeta[:, CM_TOFF] = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    cmeta[:, CM_TMASK] = [size - 1 for size in sizes]
    cmeta[:, CM_POLICY] = policies
    slots = max(1, sum(capacities))
    cint = np.zeros((slots, N_CINT), dtype=np.int64)
    ctab = np.zeros(max(1, sum(sizes)), dtype=np.int64)
    ccount = np.zeros(max(1, sum(counters)), dtype=np.int64)
    for node in range(n):
        if capacities[node] > 0:
            clear(cmeta, cint, ctab, ccount, node)
    return cmeta, cint, np.zeros(slots, dtype=np.float64), ctab, ccount


@jit
def clear(cmeta, cint, ctab, ccount, node):
    """Empty a cache and forget its counts (it died, or it starts)."""
    off, cap, toff = cmeta[node, CM_OFF], cmeta[node, CM_CAP], cmeta[node, CM_TOFF]
    ctab[toff : toff + cmeta[node, CM_TMASK] + 1] = 0
    ccount[cmeta[node, CM_KOFF] : cmeta[node, CM_KOFF] + cmeta[node, CM_KLEN]] = 0
    for i in range(cap):
        cint[off + i, CI_FREE] = off + cap - 1 - i
    cmeta[node, CM_FREE] = cap
    cmeta[node, CM_SIZE] = 0
    cmeta[node, CM_HEAD] = NONE
    cmeta[node, CM_TAIL] = NONE


# The hash table


@jit(inline="always")
def _find(cmeta, cint, ctab, node, key):
    """The cell holding `key` (>= 0), or -1 - the empty cell where it would go."""
    toff, mask = cmeta[node, CM_TOFF], cmeta[node, CM_TMASK]
    i = mix64(key) & mask
    while True:
        entry = ctab[toff + i]
        if entry == 0:
            return -1 - i
        if cint[entry - 1, CI_KEY] == key:
            return i
        i = (i + 1) & mask


@jit(inline="always")
def _unhash(cmeta, cint, ctab, node, i):
    """Empty cell i and shift later entries of its probe run back (Knuth's Algorithm R): no tombstones."""
    toff, mask = cmeta[node, CM_TOFF], cmeta[node, CM_TMASK]
    j = i
    while True:
        j = (j + 1) & mask
        entry = ctab[toff + j]
        if entry == 0:
            break
        home = mix64(cint[entry - 1, CI_KEY]) & mask
        # The entry may move back to i unless its home lies cyclically in (i, j].
        stays = (i < home <= j) if i <= j else (home > i or home <= j)
        if not stays:
            ctab[toff + i] = entry
            i = j
    ctab[toff + i] = 0


# Recency list (LRU, FIFO)


@jit(inline="always")
def _unlink(cmeta, cint, node, slot):
    prev, nxt = cint[slot, CI_PREV], cint[slot, CI_NEXT]
    if prev == NONE:
        cmeta[node, CM_HEAD] = nxt
    else:
        cint[prev, CI_NEXT] = nxt
    if nxt == NONE:
        cmeta[node, CM_TAIL] = prev
    else:
        cint[nxt, CI_PREV] = prev


@jit(inline="always")
def _push_head(cmeta, cint, node, slot):
    head = cmeta[node, CM_HEAD]
    cint[slot, CI_PREV] = NONE
    cint[slot, CI_NEXT] = head
    if head == NONE:
        cmeta[node, CM_TAIL] = slot
    else:
        cint[head, CI_PREV] = slot
    cmeta[node, CM_HEAD] = slot


# LFU heap


@jit(inline="always")
def _less(cint, a, b):
    return cint[a, CI_USES] < cint[b, CI_USES] or (
        cint[a, CI_USES] == cint[b, CI_USES] and cint[a, CI_TICK] < cint[b, CI_TICK]
    )


@jit(inline="always")
def _place(cint, off, pos, slot):
    cint[off + pos, CI_HEAP] = slot
    cint[slot, CI_HPOS] = pos


@jit(inline="always")
def _sift_up(cint, off, pos):
    slot = cint[off + pos, CI_HEAP]
    while pos > 0:
        parent = (pos - 1) // 2
        if not _less(cint, slot, cint[off + parent, CI_HEAP]):
            break
        _place(cint, off, pos, cint[off + parent, CI_HEAP])
        pos = parent
    _place(cint, off, pos, slot)


@jit(inline="always")
def _sift_down(cint, off, size, pos):
    slot = cint[off + pos, CI_HEAP]
    while True:
        child = 2 * pos + 1
        if child >= size:
            break
        if child + 1 < size and _less(cint, cint[off + child + 1, CI_HEAP], cint[off + child, CI_HEAP]):
            child += 1
        if not _less(cint, cint[off + child, CI_HEAP], slot):
            break
        _place(cint, off, pos, cint[off + child, CI_HEAP])
        pos = child
    _place(cint, off, pos, slot)


@jit(inline="always")
def _heap_remove(cmeta, cint, node, slot):
    """Take a slot out of the LFU heap; call before the cache's size goes down."""
    off, last = cmeta[node, CM_OFF], cmeta[node, CM_SIZE] - 1
    pos = cint[slot, CI_HPOS]
    if pos == last:
        return
    _place(cint, off, pos, cint[off + last, CI_HEAP])
    _sift_down(cint, off, last, pos)
    _sift_up(cint, off, pos)


# Entries


@jit(inline="always")
def _tick(cmeta, node):
    cmeta[node, CM_TICK] += 1
    return cmeta[node, CM_TICK]


@jit(inline="always")
def _remove(cmeta, cint, ctab, node, slot, cell):
    if cmeta[node, CM_POLICY] == P_LFU:
        _heap_remove(cmeta, cint, node, slot)
    else:
        _unlink(cmeta, cint, node, slot)
    _unhash(cmeta, cint, ctab, node, cell)
    cmeta[node, CM_SIZE] -= 1
    cint[cmeta[node, CM_OFF] + cmeta[node, CM_FREE], CI_FREE] = slot
    cmeta[node, CM_FREE] += 1


@jit(inline="always")
def _victim(cmeta, cint, node):
    if cmeta[node, CM_POLICY] == P_LFU:
        return cint[cmeta[node, CM_OFF], CI_HEAP]
    return cmeta[node, CM_TAIL]


@jit(inline="always")
def _count(cmeta, ccount, node, key):
    return cmeta[node, CM_KOFF] + key % cmeta[node, CM_KLEN]


@jit
def get(cmeta, cint, cexp, ctab, ccount, node, key, now, ttl):
    """Look a key up: True on a hit (the entry counts as used), False on a miss or an expired entry."""
    policy = cmeta[node, CM_POLICY]
    if policy == P_LFU:
        ccount[_count(cmeta, ccount, node, key)] += 1
    cell = _find(cmeta, cint, ctab, node, key)
    if cell < 0:
        return False
    slot = ctab[cmeta[node, CM_TOFF] + cell] - 1
    if ttl > 0.0 and cexp[slot] <= now:
        _remove(cmeta, cint, ctab, node, slot, cell)
        return False
    if policy == P_LRU:
        _unlink(cmeta, cint, node, slot)
        _push_head(cmeta, cint, node, slot)
    elif policy == P_LFU:
        cint[slot, CI_USES] = ccount[_count(cmeta, ccount, node, key)]
        cint[slot, CI_TICK] = _tick(cmeta, node)
        _sift_down(cint, cmeta[node, CM_OFF], cmeta[node, CM_SIZE], cint[slot, CI_HPOS])
    return True


@jit
def put(cmeta, cint, cexp, ctab, ccount, node, key, now, ttl):
    """Fill a key after a miss, evicting one entry if the cache is full. Returns True if it evicted."""
    expires = now + ttl
    cell = _find(cmeta, cint, ctab, node, key)
    if cell >= 0:
        # Another miss of the same key filled it first: the entry is fresh again.
        cexp[ctab[cmeta[node, CM_TOFF] + cell] - 1] = expires
        return False
    evicted = cmeta[node, CM_SIZE] == cmeta[node, CM_CAP]
    if evicted:
        victim = _victim(cmeta, cint, node)
        victim_cell = _find(cmeta, cint, ctab, node, cint[victim, CI_KEY])
        _remove(cmeta, cint, ctab, node, victim, victim_cell)
        cell = _find(cmeta, cint, ctab, node, key)
    cmeta[node, CM_FREE] -= 1
    slot = cint[cmeta[node, CM_OFF] + cmeta[node, CM_FREE], CI_FREE]
    ctab[cmeta[node, CM_TOFF] - 1 - cell] = slot + 1
    cint[slot, CI_KEY] = key
    cexp[slot] = expires
    if cmeta[node, CM_POLICY] == P_LFU:
        cint[slot, CI_USES] = ccount[_count(cmeta, ccount, node, key)]
        cint[slot, CI_TICK] = _tick(cmeta, node)
        _place(cint, cmeta[node, CM_OFF], cmeta[node, CM_SIZE], slot)
        cmeta[node, CM_SIZE] += 1
        _sift_up(cint, cmeta[node, CM_OFF], cint[slot, CI_HPOS])
    else:
        _push_head(cmeta, cint, node, slot)
        cmeta[node, CM_SIZE] += 1
    return evicted


@jit
def drop(cmeta, cint, ctab, node, key):
    """Invalidate a key (a write changed it). Returns True if the cache held it."""
    cell = _find(cmeta, cint, ctab, node, key)
    if cell < 0:
        return False
    _remove(cmeta, cint, ctab, node, ctab[cmeta[node, CM_TOFF] + cell] - 1, cell)
    return True
