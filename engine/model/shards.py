"""Where a shard group's keys are placed: its rmeta row, the shard each database holds, and how many
keys (rows) each shard's databases hold. Written at the start (engine.model.state) and when a
shard is added (engine.simulation.sharding).

With consistent hashing each shard owns `vnodes` points on a ring of 63-bit hashes, placed by its
node (not its number), so a joining shard leaves every other point where it was.
"""

import numpy as np

from engine.kernels import layout as k
from engine.kernels.rng import mix64
from engine.kernels.shards import count_keys
from engine.model.structure import ShardGroup
from engine.model.topology import Topology

# Keeps the ring's points apart from the keys' hashes (engine.kernels.layout.SHARD_SALT).
RING_SALT = 3 << 40
# Counting which keys move costs a hash (and a search of the ring) per key: up to this many keys
# exactly, beyond it on an even sample of about this many, scaled up.
EXACT_KEYS = 1 << 21


def fill_row(rmeta: np.ndarray, row: int, group: ShardGroup, active: list[int]) -> None:
    """Write a group's placement for these active shard primaries (shard i is active[i])."""
    rmeta[row, :] = 0
    rmeta[row, k.SG_MODE] = k.SHARD_CONSISTENT if group.consistent else k.SHARD_MODULO
    rmeta[row, k.SG_ACTIVE] = len(active)
    rmeta[row, k.SG_FAN] = int(group.fan_out)
    rmeta[row, k.SG_ATOMIC] = int(group.atomic)
    rmeta[row, k.SG_TWOPC_US] = round(group.twopc_ms * 1000.0)
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


def layout(topology: Topology, nint: np.ndarray, rmeta: np.ndarray, rows: np.ndarray) -> None:
    """At the start: number the shards, fill each group's row and count the keys each shard holds."""
    for g, group in enumerate(topology.shard_groups):
        row = topology.first_shard_row + g
        number(topology, nint, list(group.shards))
        nint[list(group.webs), k.I_GROUP] = row
        fill_row(rmeta, row, group, list(group.shards[: group.active]))
        count_rows(topology, rmeta, row, list(group.shards), rows)


def number(topology: Topology, nint: np.ndarray, shards: list[int]) -> None:
    for shard, primary in enumerate(shards):
        nint[topology.data_set(primary), k.I_SHARD] = shard


def count_rows(topology: Topology, rmeta: np.ndarray, row: int, shards: list[int], rows: np.ndarray) -> None:
    """The rows (keys) each shard's databases hold; spares hold none."""
    keys = topology.traffic["keys"]
    step = sample_step(keys)
    counts = np.zeros(len(shards), dtype=np.int64)
    count_keys(rmeta, row, keys, step, counts)
    for shard, primary in enumerate(shards):
        rows[topology.data_set(primary)] = min(keys, counts[shard] * step)
