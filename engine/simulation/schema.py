"""Schema changes (the alter_table action): a relational table's ALTER holds a lock, a schemaless
store has no schema to change.

The lock lives in the kernels (engine.kernels.serve._start_service reads F_LOCK_UNTIL): a write
that starts on the database before the lock is released waits for it, holding its worker. Here
the action sets the lock, and a timer says when it is released.
"""

from engine.catalog import messages
from engine.kernels import layout as k


class SchemaChanges:
    def __init__(self, simulation) -> None:
        self.simulation = simulation

    def alter(self, target: str, seconds: float) -> None:
        """Start an ALTER TABLE on a relational database: its writes wait `seconds` for the lock
        (a new ALTER while one runs extends it). A NoSQL store takes new fields at once."""
        sim = self.simulation
        node = sim.topology.index(target)
        if sim.topology.props[node]["model"] == "nosql":
            sim.announce("alter_table", target, messages.SCHEMALESS, target=target)
            return
        until = max(float(sim.state.nflt[node, k.F_LOCK_UNTIL]), sim.t + seconds)
        sim.state.nflt[node, k.F_LOCK_UNTIL] = until
        sim.cancel_timers("lock_released", node)
        sim.add_timer(until, "lock_released", node)
        sim.announce("alter_table", target, messages.TABLE_LOCKED, target=target, seconds=until - sim.t)

    def released(self, node: int) -> None:
        target = self.simulation.topology.ids[node]
        self.simulation.announce("lock_released", target, messages.LOCK_RELEASED, target=target)
