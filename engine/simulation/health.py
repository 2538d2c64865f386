"""Load balancers' health checks: a balancer learns that a server died or came back at its next check.

A balancer with `health_check_s` h > 0 checks at h, 2h, ... after its checking (re)started. A check
changes what the balancer believes only if something changed since the last one: a server died or
came back, booted or drained, or a partition cut or healed an edge. All of these happen between
kernel calls (live actions, scenario steps, the simulation's timers), so the checks that would find
nothing are not run: whenever a balancer believes something no longer true, it gets one check at
its next tick. The frames are those of checking at every tick, at a cost that does not grow with
how often balancers check (20 balancers checking every millisecond at speed 100 were 2 million
checks a wall-clock second, each a Python loop over every edge, holding the GIL for whole frames).

With h = 0 a balancer knows at once (sync_instant): as if it checked continuously.
"""

import math

import numpy as np

from engine.catalog import messages
from engine.kernels import layout as k
from engine.kernels.layout import RUNNING

# A balancer checks at most this often: a tiny positive health_check_s (1e-300) would otherwise
# never let simulated time pass (found by the fuzz test).
MIN_HEALTH_CHECK_S = 0.001


class HealthChecks:
    def __init__(self, simulation):
        self.simulation = simulation
        # Per checking balancer: when its checks (re)started, the tick (1, 2, ...) of its last
        # check, and the tick of the check it has coming, if any.
        self.anchor: dict[int, float] = {}
        self.last_tick: dict[int, int] = {}
        self.armed: dict[int, int] = {}
        # Each kernel edge's source row; kernel edges only grow (new instances), so it is kept
        # until there are more.
        self.sources = np.zeros(0, dtype=np.int64)

    @property
    def state(self):
        return self.simulation.state

    def interval(self, node: int) -> float:
        return max(self.simulation.topology.props[node]["health_check_s"], MIN_HEALTH_CHECK_S)

    def schedule(self, node: int) -> None:
        """(Re)start a load balancer's checks, every health_check_s from now (if it is above 0)."""
        simulation = self.simulation
        simulation.cancel_timers("health_check", node)
        for table in (self.anchor, self.last_tick, self.armed):
            table.pop(node, None)
        if simulation.topology.kinds[node] == "load_balancer" and simulation.topology.props[node]["health_check_s"] > 0:
            self.anchor[node], self.last_tick[node] = simulation.t, 0

    def truth(self) -> np.ndarray:
        """Per kernel edge, 1 if a check would find its target up: running, up, and not cut off."""
        state = self.state
        serving = (state.nint[:, k.I_UP] == 1) & (state.row_state == RUNNING)
        return (serving[state.edge_to] & (state.eint[:, k.EI_CUT] == 0)).astype(np.int64)

    def edge_sources(self) -> np.ndarray:
        kedges = self.state.kedges
        if len(self.sources) != len(kedges):
            self.sources = np.fromiter((source for source, _ in kedges), dtype=np.int64, count=len(kedges))
        return self.sources

    def notice_changes(self) -> None:
        """Give each checking balancer that believes something no longer true a check at its next tick."""
        if len(self.anchor) == len(self.armed):
            return
        stale = self.state.eint[:, k.EI_HEALTHY] != self.truth()
        if not stale.any():
            return
        for node in sorted(set(self.edge_sources()[stale].tolist()) & self.anchor.keys() - self.armed.keys()):
            self.arm(node)

    def arm(self, node: int) -> None:
        """The next tick of the balancer's checks from now (now itself if it is one), after its last."""
        interval, anchor = self.interval(node), self.anchor[node]
        tick = max(self.last_tick[node] + 1, math.ceil((self.simulation.t - anchor) / interval - 1e-9))
        self.armed[node] = tick
        self.simulation.add_timer(anchor + tick * interval, "health_check", node)

    def check(self, node: int) -> None:
        """A balancer checks each server behind it and stops or resumes sending to it."""
        simulation, state = self.simulation, self.state
        self.last_tick[node] = self.armed.pop(node)
        edges = np.flatnonzero(self.edge_sources() == node)
        truth = self.truth()[edges]
        flipped = edges[state.eint[edges, k.EI_HEALTHY] != truth]
        state.eint[edges, k.EI_HEALTHY] = truth
        lb = simulation.topology.ids[node]
        for edge in flipped.tolist():
            target = state.kedges[edge][1]
            if state.row_state[target] != RUNNING:
                continue  # an instance leaving or not yet booted: no failed check, nothing to say
            up = state.eint[edge, k.EI_HEALTHY]
            server = simulation.row_name(target)
            template = messages.HEALTH_BACK if up else messages.HEALTH_REMOVED
            simulation.announce("health_check", server, template, balancer=lb, target=server)

    def sync_instant(self) -> None:
        """Balancers checking all the time (health_check_s 0) know every server's state at once."""
        topology, state = self.simulation.topology, self.state
        instant = np.array([props.get("health_check_s", 1.0) == 0 for props in topology.props], dtype=bool)
        edges = np.flatnonzero(instant[np.asarray(state.row_node)[self.edge_sources()]])
        if len(edges):
            state.eint[edges, k.EI_HEALTHY] = self.truth()[edges]
