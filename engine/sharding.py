"""Shard groups while a simulation runs: where each key lives, adding a shard, a hot key.

A shard group is the primaries whose `shard_group` has the same name (engine.topology.shard_groups);
each holds the keys that map to it, and its replicas copy it. The web servers in front of the
group send each request to the shard of its key (engine.kernel.shard_of reads the group's rmeta
row). Shards are numbered: the active ones 0..n-1, spares after them; `add_shard` makes a spare
shard n. With consistent hashing each shard owns `vnodes` points on a ring of 63-bit hashes,
placed by its node (not its number), so a joining shard leaves every other point where it was.
"""

import numpy as np
from numba import njit

from engine import cache, messages
from engine import kernel as k
from engine.rng import mix64
from engine.topology import ShardGroup, Topology, replica_sets, shard_groups

# Keeps the ring's points apart from the keys' hashes (engine.kernel.SHARD_SALT).
RING_SALT = 3 << 40
# Counting which keys move costs a hash (and a search of the ring) per key: up to this many keys
# exactly, beyond it on an even sample of about this many, scaled up.
EXACT_KEYS = 1 << 21


def first_row(topology: Topology) -> int:
    """rmeta's rows: one per replica set (at least one), then one per shard group."""
    return max(1, len(replica_sets(topology)))


def members(topology: Topology, primary: int) -> list[int]:
    """A shard's databases: its primary and the replicas it copies to."""
    return next((s for s in replica_sets(topology) if s[0] == primary), [primary])


def fill_row(rmeta: np.ndarray, row: int, group: ShardGroup, active: list[int]) -> None:
    """Write a group's placement for these active shard primaries (shard i is active[i])."""
    rmeta[row, :] = 0
    rmeta[row, k.SG_MODE] = k.SHARD_CONSISTENT if group.consistent else k.SHARD_MODULO
    rmeta[row, k.SG_ACTIVE] = len(active)
    rmeta[row, k.SG_FAN] = int(group.fan_out)
    if not group.consistent:
        return
    points = sorted((mix64(RING_SALT + (node << 12) + v), shard) for shard, node in enumerate(active)
                    for v in range(group.vnodes))  # fmt: skip
    owners = k.SG_RING + (rmeta.shape[1] - k.SG_RING) // 2
    rmeta[row, k.SG_POINTS] = len(points)
    rmeta[row, k.SG_RING : k.SG_RING + len(points)] = [h for h, _ in points]
    rmeta[row, owners : owners + len(points)] = [shard for _, shard in points]


def sample_step(keys: int) -> int:
    return max(1, -(-keys // EXACT_KEYS))


@njit(cache=True, nogil=True, _nrt=False)
def count_keys(rmeta, row, keys, step, counts):
    """How many keys (of an even sample, every step-th) each shard holds."""
    for key in range(0, keys, step):
        counts[k.shard_of(rmeta, row, key)] += 1


@njit(cache=True, nogil=True, _nrt=False)
def count_moved(before, after, row, keys, step):
    moved = 0
    for key in range(0, keys, step):
        moved += k.shard_of(before, row, key) != k.shard_of(after, row, key)
    return moved


# Allocates its list of moved keys, so it keeps numba's reference counting (rare: add_shard only).
@njit(cache=True, nogil=True)
def forget_moved(cmeta, cint, ctab, node, before, after, row):
    """A cache forgets every key it holds that moved to another shard; returns how many."""
    toff, size = cmeta[node, cache.CM_TOFF], cmeta[node, cache.CM_TMASK] + 1
    moved = np.empty(cmeta[node, cache.CM_SIZE], dtype=np.int64)
    n = 0
    for i in range(size):
        entry = ctab[toff + i]
        if entry > 0:
            key = cint[entry - 1, cache.CI_KEY]
            if k.shard_of(before, row, key) != k.shard_of(after, row, key):
                moved[n] = key
                n += 1
    # Collected first: dropping a key shifts others in the table.
    for j in range(n):
        cache.drop(cmeta, cint, ctab, node, moved[j])
    return n


def layout(topology: Topology, nint: np.ndarray, rmeta: np.ndarray, rows: np.ndarray) -> None:
    """At the start: number the shards, fill each group's row and count the keys each shard holds."""
    for g, group in enumerate(shard_groups(topology)):
        row = first_row(topology) + g
        number(topology, nint, list(group.shards))
        nint[list(group.webs), k.I_GROUP] = row
        fill_row(rmeta, row, group, list(group.shards[: group.active]))
        count_rows(topology, rmeta, row, list(group.shards), rows)


def number(topology: Topology, nint: np.ndarray, shards: list[int]) -> None:
    for shard, primary in enumerate(shards):
        nint[members(topology, primary), k.I_SHARD] = shard


def count_rows(topology: Topology, rmeta: np.ndarray, row: int, shards: list[int], rows: np.ndarray) -> None:
    """The rows (keys) each shard's databases hold; spares hold none."""
    keys = topology.traffic["keys"]
    step = sample_step(keys)
    counts = np.zeros(len(shards), dtype=np.int64)
    count_keys(rmeta, row, keys, step, counts)
    for shard, primary in enumerate(shards):
        rows[members(topology, primary)] = min(keys, counts[shard] * step)


class Sharding:
    def __init__(self, simulation):
        self.simulation = simulation
        self.groups = shard_groups(simulation.topology)
        # Each group's shard primaries in shard order (spares after the active ones) and how many are active.
        self.order = [list(g.shards) for g in self.groups]
        self.active = [g.active for g in self.groups]

    def group_of(self, node: int) -> int | None:
        return next((g for g, shards in enumerate(self.order) if node in shards), None)

    def problem(self, target: str) -> str | None:
        """Why add_shard cannot apply to that node now, or None."""
        node = self.simulation.topology.index(target)
        g = self.group_of(node)
        if g is None:
            return f"{target} is in no shard group: give it a shard_group and shard_state spare to add it as a shard."
        if self.order[g].index(node) < self.active[g]:
            return f"{target} already holds a shard of {self.groups[g].name}."
        return None

    def add(self, target: str) -> None:
        simulation = self.simulation
        problem = self.problem(target)
        if problem:
            simulation.announce("add_shard", target, messages.SHARD_NOT_SPARE, target=target)
            return
        topology, state = simulation.topology, simulation.state
        node = topology.index(target)
        g = self.group_of(node)
        row = first_row(topology) + g
        shards = self.order[g]
        shards.remove(node)
        shards.insert(self.active[g], node)
        self.active[g] += 1
        before = state.rmeta.copy()
        number(topology, state.nint, shards)
        fill_row(state.rmeta, row, self.groups[g], shards[: self.active[g]])
        keys = topology.traffic["keys"]
        step = sample_step(keys)
        moved = min(keys, count_moved(before, state.rmeta, row, keys, step) * step)
        state.gstat[0, k.G_KEYS_MOVED] += moved
        count_rows(topology, state.rmeta, row, shards, state.data_rows)
        np.minimum(state.missing, state.data_rows, out=state.missing)
        caches = sorted({t for s, t in topology.edges if s in self.groups[g].webs and topology.kinds[t] == "cache"})
        for c in caches:
            forget_moved(state.cmeta, state.cint, state.ctab, c, before, state.rmeta, row)
        simulation.announce(
            "add_shard", target, messages.SHARD_ADDED, target=target, group=self.groups[g].name,
            shards=self.active[g], moved=moved, keys=keys, percent=round(100 * moved / keys, 1),
        )  # fmt: skip

    def holders(self, key: int) -> list[str]:
        """The shard primary (by document) that holds `key`, in each group."""
        state, topology = self.simulation.state, self.simulation.topology
        return [
            topology.ids[self.order[g][k.shard_of(state.rmeta, first_row(topology) + g, key)]]
            for g in range(len(self.groups))
        ]
