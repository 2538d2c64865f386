"""Replica sets while a simulation runs: which database is primary, failover when it dies, and
how long a synchronous primary holds each write.

A replica set is a primary and the databases it has edges to (its replicas), as the document
draws them; the primary's `replication` and `failover_s` apply to the whole set. The kernel
records what it needs per set (last write per key, recent commit times; see engine.kernels);
this module decides roles between kernel calls.
"""

import numpy as np

from engine.catalog import messages
from engine.kernels import layout as k


class Replication:
    def __init__(self, simulation):
        self.simulation = simulation
        self.sets = simulation.topology.replica_sets
        # When each set's primary died, while its failover is pending.
        self.down_at: list[float | None] = [None] * len(self.sets)
        self.update_write_waits()

    @property
    def nint(self) -> np.ndarray:
        return self.simulation.state.nint

    def settings(self, index: int) -> dict:
        return self.simulation.topology.props[self.sets[index][0]]

    def set_of(self, node: int) -> int | None:
        return next((index for index, members in enumerate(self.sets) if node in members), None)

    def primary(self, index: int) -> int:
        return next(m for m in self.sets[index] if self.nint[m, k.I_ROLE] == k.ROLE_PRIMARY)

    def name(self, node: int) -> str:
        return self.simulation.topology.ids[node]

    def update_write_waits(self) -> None:
        """A synchronous primary holds each write until its slowest replica that is up has it."""
        nflt = self.simulation.state.nflt
        nflt[:, k.F_WRITE_WAIT] = 0.0
        self.nint[:, k.I_SYNC] = 0
        for index, members in enumerate(self.sets):
            if self.settings(index)["replication"] != "sync":
                continue
            primary = self.primary(index)
            self.nint[primary, k.I_SYNC] = 1
            lags = [nflt[m, k.F_LAG] for m in members if m != primary and self.nint[m, k.I_UP]]
            nflt[primary, k.F_WRITE_WAIT] = max(lags, default=0.0)

    def on_kill(self, node: int) -> None:
        index = self.set_of(node)
        if index is not None and node == self.primary(index):
            delay = self.settings(index)["failover_s"]
            self.down_at[index] = self.simulation.t
            self.simulation.add_timer(self.simulation.t + delay, "failover", index)
            name = self.name(node)
            self.simulation.announce("primary_down", name, messages.PRIMARY_DOWN, target=name, delay=delay)
        self.update_write_waits()

    def on_revive(self, node: int) -> tuple[str, dict] | None:
        """What a revived database says (a template and its params), if it belongs to a replica set."""
        index = self.set_of(node)
        if index is None:
            return None
        self.update_write_waits()
        primary = self.primary(index)
        if node == primary:
            self.down_at[index] = None
            self.simulation.cancel_timers("failover", index)
            return messages.REVIVED_PRIMARY, {"target": self.name(node)}
        return messages.REVIVED_REPLICA, {"target": self.name(node), "primary": self.name(primary)}

    def failover(self, index: int) -> None:
        """Promote the replica with the least lag that is up; async writes it had not received are lost."""
        old = self.primary(index)
        delay = self.settings(index)["failover_s"]
        candidates = [m for m in self.sets[index] if m != old and self.nint[m, k.I_UP]]
        if not candidates:
            self.simulation.add_timer(self.simulation.t + delay, "failover", index)
            name = self.name(old)
            self.simulation.announce("failover", name, messages.NO_REPLICA_TO_PROMOTE, target=name)
            return
        nflt = self.simulation.state.nflt
        new = min(candidates, key=lambda m: (nflt[m, k.F_LAG], m))
        lost = self.unreplicated(index, nflt[new, k.F_LAG])
        self.nint[new, k.I_ROLE] = k.ROLE_PRIMARY
        self.nint[old, k.I_ROLE] = k.ROLE_REPLICA
        self.simulation.state.gstat[0, k.G_LOST] += lost
        self.down_at[index] = None
        self.update_write_waits()
        name = self.name(new)
        self.simulation.announce(
            "failover", name, messages.PROMOTED, target=name, delay=delay, lost=lost, old=self.name(old)
        )

    def unreplicated(self, index: int, lag: float) -> int:
        """Writes the primary committed within `lag` before it died: the replica never got them."""
        ring, seen = self.simulation.state.rring[index], int(self.simulation.state.rmeta[index, 1])
        times = ring[: min(seen, len(ring))]
        return int(np.count_nonzero(times > self.down_at[index] - lag))
