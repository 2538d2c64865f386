"""Shard groups while a simulation runs: where each key lives, adding a shard, a hot key.

A shard group is the primaries whose `shard_group` has the same name (engine.model.structure);
each holds the keys that map to it, and its replicas copy it. The web servers in front of the
group send each request to the shard of its key (engine.kernels.data.shard_of reads the group's rmeta
row). Shards are numbered: the active ones 0..n-1, spares after them; `add_shard` makes a spare
shard n (engine.model.shards places the keys).
"""

import numpy as np

from engine.catalog import messages
from engine.kernels import layout as k
from engine.kernels.data import shard_of
from engine.kernels.shards import count_moved, forget_moved
from engine.model.shards import count_rows, fill_row, number, sample_step


class Sharding:
    def __init__(self, simulation):
        self.simulation = simulation
        self.groups = list(simulation.topology.shard_groups)
        # Each group's shard primaries in shard order (spares after the active ones) and how many are active.
        self.order = [list(g.shards) for g in self.groups]
        self.active = [g.active for g in self.groups]

    def group_of(self, node: int) -> int | None:
        return next((g for g, shards in enumerate(self.order) if node in shards), None)

    def is_spare(self, node: int) -> bool:
        """Whether the node is a spare shard that add_shard can add (requirement spare_shard)."""
        g = self.group_of(node)
        return g is not None and self.order[g].index(node) >= self.active[g]

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
        row = topology.first_shard_row + g
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
            topology.ids[self.order[g][shard_of(state.rmeta, topology.first_shard_row + g, key)]]
            for g in range(len(self.groups))
        ]
