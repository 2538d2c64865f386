"""Horizontal scaling while a simulation runs: a web server's instances boot, run and drain.

A web server with `instances` is a group of identical kernel rows (engine.model.state): the load
balancer in front has an edge to each, so it spreads requests over the running ones with its own
algorithm and health checks. This module decides, between kernel calls, which rows run:

- scaling out turns off rows on (growing the arrays when none is left); each boots for `boot_s`
  and then runs; the load balancer sends to it from its next health check (at once when it checks
  all the time);
- scaling in cancels booting instances first, then deregisters running ones (newest first): the
  load balancer stops sending to them at once and they finish what they hold (connection
  draining), then stop.
"""

import numpy as np

from engine.catalog import messages
from engine.kernels import layout as k
from engine.kernels.layout import BOOTING, DRAINING, OFF, RUNNING

# How often draining instances are checked for having finished (simulated seconds); a timer, so
# that when they stop does not depend on how time is sliced into frames.
DRAIN_CHECK_S = 1.0


class Scaling:
    def __init__(self, simulation):
        self.simulation = simulation
        # Instances booting together: batch id -> (node, rows).
        self.batches: dict[int, tuple[int, list[int]]] = {}
        self.next_batch = 0
        self.draining = False

    @property
    def state(self):
        return self.simulation.state

    def rows(self, node: int, *states: int) -> list[int]:
        return [row for row in self.state.rows_of[node] if self.state.row_state[row] in states]

    def provisioned(self, node: int) -> int:
        """Instances that count: running or booting (draining ones are on their way out)."""
        return len(self.rows(node, RUNNING, BOOTING))

    def set_instances(self, node: int, count: int) -> tuple[int, int]:
        """Run `count` instances of `node` from now on; returns how many were added and removed."""
        have = self.provisioned(node)
        if count > have:
            self.add(node, count - have)
            return count - have, 0
        if count < have:
            self.remove(node, have - count)
            return 0, have - count
        return 0, 0

    def add(self, node: int, count: int) -> None:
        state, now = self.state, self.simulation.t
        rows = self.rows(node, OFF)[:count]
        if len(rows) < count:
            rows += state.add_rows(node, count - len(rows), 0, now)
            state.link()
            state.resize(self.simulation.topology, self.simulation.t)
        boot_s = self.simulation.topology.props[node]["boot_s"]
        for row in rows:
            state.row_state[row] = BOOTING
            state.nint[row, k.I_UP] = 0
        batch, self.next_batch = self.next_batch, self.next_batch + 1
        self.batches[batch] = (node, rows)
        if boot_s > 0:
            self.simulation.add_timer(now + boot_s, "boot", batch)
        else:
            self.booted(batch)

    def booted(self, batch: int) -> None:
        """A batch of instances finished booting: they run, and the load balancer can find them."""
        node, rows = self.batches.pop(batch)
        state, now = self.state, self.simulation.t
        rows = [row for row in rows if state.row_state[row] == BOOTING]
        for row in rows:
            state.row_state[row] = RUNNING
            state.nint[row, k.I_UP] = 1
            state.nflt[row, k.F_LAST] = now
        if rows:
            self.simulation.health.sync_instant()
            name = self.simulation.topology.ids[node]
            running = len(self.rows(node, RUNNING))
            self.simulation.announce(
                "instances_up", name, messages.INSTANCES_UP, target=name, running=running, added=len(rows)
            )

    def remove(self, node: int, count: int) -> None:
        state = self.state
        booting = self.rows(node, BOOTING)[::-1][:count]
        for row in booting:
            state.row_state[row] = OFF
        running = self.rows(node, RUNNING)[::-1][: count - len(booting)]
        for row in running:
            state.row_state[row] = DRAINING
            # Deregistered: no balancer sends to it any more, whatever its health checks said.
            state.eint[np.asarray(state.edge_to) == row, k.EI_HEALTHY] = 0
        if running and not self.draining:
            self.draining = True
            self.simulation.add_timer(self.simulation.t + DRAIN_CHECK_S, "drain_check", -1)
        self.stop_drained()

    def stop_drained(self) -> None:
        """Draining instances with nothing left in hand stop; checked again while any is draining."""
        state = self.state
        rows = np.flatnonzero(state.row_state == DRAINING)
        for row in rows:
            if state.nint[row, k.I_BUSY] + state.nint[row, k.I_QLEN] == 0:
                state.row_state[row] = OFF
                state.nint[row, k.I_UP] = 0
        self.draining = bool(np.any(state.row_state == DRAINING))

    def drain_check(self) -> None:
        self.stop_drained()
        if self.draining:
            self.simulation.add_timer(self.simulation.t + DRAIN_CHECK_S, "drain_check", -1)
