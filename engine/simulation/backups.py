"""Bad writes and backups while a simulation runs: replication copies a bad write to every
replica; a backup's snapshot brings the data back, all but what was written after it.

The data of a database is counted in rows (keys): `State.data_rows` is how many it should hold (the
whole key space, or its shard's part) and `State.missing` how many a bad write deleted and no
restore brought back. A snapshot records, for the database it backs up, the rows missing then
and the writes its replica set had committed (the kernel's F_WRITES); a restore puts every
member of the set back to the snapshot's rows and loses the writes committed since.
"""

from engine.catalog import messages
from engine.kernels import layout as k


class Backups:
    def __init__(self, simulation):
        self.simulation = simulation
        topology = simulation.topology
        self.source = {
            target: source for source, target in topology.edges
            if topology.kinds[target] == "backup" and topology.kinds[source] == "database"
        }  # fmt: skip
        # Each backup's newest snapshot: (time, rows missing then, writes committed by then).
        self.snapshots: dict[int, tuple[float, float, float]] = {}
        # Bad writes on their way to a replica: {replica: [share, ...]}, landing with "bad_write" timers.
        self.pending: dict[int, list[float]] = {}
        # How many of a replica's pending bad writes found it down: they land after it comes back
        # and catches up, as every write it missed does, not on the dead machine.
        self.deferred: dict[int, int] = {}
        for backup in self.source:
            self.snapshot(backup)

    @property
    def state(self):
        return self.simulation.state

    def name(self, node: int) -> str:
        return self.simulation.topology.ids[node]

    def members(self, node: int) -> list[int]:
        """The databases that hold the same data as `node`: its replica set, or itself."""
        index = self.simulation.replication.set_of(node)
        return list(self.simulation.replication.sets[index]) if index is not None else [node]

    def primary(self, node: int) -> int:
        index = self.simulation.replication.set_of(node)
        return self.simulation.replication.primary(index) if index is not None else node

    def held(self, node: int) -> float:
        return self.state.data_rows[node] - self.state.missing[node]

    def writes(self, node: int) -> float:
        return float(sum(self.state.nflt[m, k.F_WRITES] for m in self.members(node)))

    def snapshot(self, backup: int) -> None:
        """Copy the database's data now (if it is up) and come back after interval_s."""
        simulation, source = self.simulation, self.source[backup]
        if self.state.nint[source, k.I_UP] and self.state.nint[backup, k.I_UP]:
            self.snapshots[backup] = (simulation.t, float(self.state.missing[source]), self.writes(source))
            self.state.snapshot_t[backup] = simulation.t
        interval = simulation.topology.props[backup]["interval_s"]
        simulation.add_timer(simulation.t + interval, "snapshot", backup)

    def takes_writes(self, node: int) -> bool:
        """Whether the node is a primary now (requirement takes_writes): failover changes it."""
        return self.state.nint[node, k.I_ROLE] != k.ROLE_REPLICA

    def backed_up(self, node: int) -> bool:
        """Whether the node is a backup or a backup copies its data (requirement backed_up)."""
        return bool(self.backups_of(node))

    def problem(self, action: str, target: str) -> str | None:
        """Why a live bad_write or restore cannot apply to that node now, or None."""
        node = self.simulation.topology.index(target)
        if action == "bad_write" and not self.takes_writes(node):
            return f"{target} is a replica, which takes no writes: send the bad write to its primary."
        if action == "restore" and not self.backed_up(node):
            return f"{target} has no backup to restore from: connect it to a backup node."
        return None

    def bad_write(self, target: str, share: float) -> None:
        simulation = self.simulation
        node = self.primary(simulation.topology.index(target))
        deleted = round(share * self.held(node))
        self.state.missing[node] += deleted
        replicas = [m for m in self.members(node) if m != node]
        for replica in replicas:
            self.pending.setdefault(replica, []).append(share)
            simulation.add_timer(simulation.t + self.state.nflt[replica, k.F_LAG], "bad_write", replica)
        params = {"target": self.name(node), "deleted": deleted, "percent": round(100 * share, 1)}
        if replicas:
            params["replicas"] = ", ".join(self.name(r) for r in replicas)
        template = messages.BAD_WRITE if replicas else messages.BAD_WRITE_ALONE
        simulation.announce("bad_write", self.name(node), template, **params)

    def land(self, replica: int) -> None:
        """A bad write reaches a replica, as every write does."""
        shares = self.pending.get(replica)
        if not shares:
            return
        if not self.state.nint[replica, k.I_UP]:
            self.deferred[replica] = self.deferred.get(replica, 0) + 1
            return
        share = shares.pop(0)
        deleted = round(share * self.held(replica))
        self.state.missing[replica] += deleted
        lag = self.state.nflt[replica, k.F_LAG] * 1000
        self.simulation.announce(
            "bad_write", self.name(replica), messages.BAD_WRITE_REPLICA, target=self.name(replica), lag=lag,
            deleted=deleted,
        )  # fmt: skip

    def on_revive(self, node: int) -> None:
        """A replica back up catches up with what it missed, the bad writes among it, after its lag."""
        for _ in range(self.deferred.pop(node, 0)):
            self.simulation.add_timer(self.simulation.t + self.state.nflt[node, k.F_LAG], "bad_write", node)

    def backups_of(self, node: int) -> list[int]:
        if self.simulation.topology.kinds[node] == "backup":
            return [node]
        members = self.members(node)
        return [backup for backup, source in self.source.items() if source in members]

    def restore(self, target: str) -> None:
        simulation = self.simulation
        node = simulation.topology.index(target)
        taken = [(self.snapshots[b][0], b) for b in self.backups_of(node) if b in self.snapshots]
        if not taken:
            simulation.announce("restore", target, messages.NO_SNAPSHOT, target=target)
            return
        _, backup = max(taken, key=lambda pair: (pair[0], -pair[1]))
        at, missing, writes = self.snapshots[backup]
        source = self.source[backup]
        members = self.members(source)
        primary = self.primary(source)
        restored = max(0, round(self.state.missing[primary] - missing))
        lost = max(0, round(self.writes(source) - writes))
        for member in members:
            self.state.missing[member] = min(missing, self.state.data_rows[member])
            self.pending.pop(member, None)
            self.deferred.pop(member, None)
            simulation.cancel_timers("bad_write", member)
        self.state.gstat[0, k.G_LOST] += lost
        simulation.announce(
            "restore", self.name(primary), messages.RESTORED, target=self.name(primary), backup=self.name(backup),
            at=at, restored=restored, lost=lost,
        )  # fmt: skip
