"""Replica sets and shard groups: which databases hold the same data, found once from the drawing.

The validator reads them off a document that may be broken anywhere (by node id); the compiler
computes them once per topology (by node index) and everything else reads `Topology.replica_sets`
and `Topology.shard_groups`.
"""

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass


def shard_group_members(databases: Iterable[tuple[Hashable, dict]]) -> dict[str, list]:
    """Each shard group's primaries, in order, from (node, props with defaults) of the databases.
    A replica copies its primary's shard and is in no group itself."""
    groups: dict[str, list] = {}
    for node, props in databases:
        name = props["shard_group"]
        if isinstance(name, str) and name and props["role"] == "primary":
            groups.setdefault(name, []).append(node)
    return groups


def replica_sets(kinds: Sequence[str], edges: Sequence[tuple[int, int]]) -> tuple[tuple[int, ...], ...]:
    """Each primary that replicates, followed by its replicas (the databases it has edges to)."""
    sets = []
    for node, kind in enumerate(kinds):
        replicas = [target for source, target in edges if source == node and kinds[target] == "database"]
        if kind == "database" and replicas:
            sets.append((node, *replicas))
    return tuple(sets)


@dataclass(frozen=True)
class ShardGroup:
    """Primaries sharing a `shard_group` name: `shards` active ones first, then spares, each in
    document order; settings from the first (the validator makes them agree)."""

    name: str
    shards: tuple[int, ...]
    active: int
    consistent: bool
    vnodes: int
    fan_out: bool
    webs: tuple[int, ...]
    # Relational shards commit a transaction across shards with two-phase commit, this much longer (ms)
    atomic: bool = True
    twopc_ms: float = 0.0


def shard_groups(
    kinds: Sequence[str], props: Sequence[dict], edges: Sequence[tuple[int, int]]
) -> tuple[ShardGroup, ...]:
    databases = [(node, props[node]) for node, kind in enumerate(kinds) if kind == "database"]
    groups = []
    for name, members in shard_group_members(databases).items():
        active = [m for m in members if props[m]["shard_state"] == "active"]
        first = props[members[0]]
        webs = sorted({s for s, t in edges if t in members and kinds[s] == "web_server"})
        groups.append(ShardGroup(
            name, tuple(active + [m for m in members if m not in active]), len(active),
            first["sharding"] == "consistent", first["vnodes"], first["denormalized"] == "no", tuple(webs),
            first["model"] == "relational", first["twopc_ms"],
        ))  # fmt: skip
    return tuple(groups)
