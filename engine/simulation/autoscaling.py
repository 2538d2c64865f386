"""Autoscaling: a target-tracking policy on a web server's instances (engine.simulation.scaling does the work).

Every EVALUATE_S simulated seconds the policy reads the utilisation of the server's instances over
the last period (busy time over workers x instance-seconds) and computes the instances that would
bring it to `target_util`: ceil(mean running x utilisation / target_util), kept within
`min_instances`..`max_instances`. Scaling out is quick: when that is more than the instances
running and booting, and utilisation is more than 5% above the target, the difference is added
at once (they boot for `boot_s`). Scaling in is
gentle: only when the last SCALE_IN_AFTER evaluations in a row (15 s) all wanted fewer instances
than are running, and nothing is booting, one instance is removed (it drains first); the count
then starts again. As in a cloud's target tracking, utilisation cannot show more than 100%, so
a server far past its capacity grows by at most 1 / target_util per period, and booting
instances count as capacity already, so a slow boot does not make the policy overshoot. "Mean
running" is the instances that ran over the period, on average: instances that finish booting
just before an evaluation did none of the work measured.
"""

import math

from engine.catalog import messages
from engine.kernels import layout as k
from engine.kernels.layout import RUNNING

EVALUATE_S = 5.0
# Scale out only when utilisation is above the target by this factor, so that noise around the
# target does not add instances the next evaluations take away again.
TOLERANCE = 1.05
SCALE_IN_AFTER = 3
AUTOSCALING_PROPS = {"autoscaling", "min_instances", "max_instances", "target_util"}


class Autoscaler:
    def __init__(self, simulation):
        self.simulation = simulation
        # Per node: the busy time, instance-seconds and time at its last evaluation, and how
        # many evaluations in a row wanted fewer instances.
        self.seen: dict[int, tuple[float, float]] = {}
        self.low: dict[int, int] = {}
        # Per node: when its evaluations (re)started
        self.started: dict[int, float] = {}
        for node in range(len(simulation.topology.ids)):
            self.schedule(node)

    def on(self, node: int) -> bool:
        topology = self.simulation.topology
        return topology.kinds[node] == "web_server" and topology.props[node]["autoscaling"] == "on"

    def schedule(self, node: int) -> None:
        """(Re)start a node's evaluations, every EVALUATE_S from now, if its autoscaling is on."""
        self.simulation.cancel_timers("autoscale", node)
        self.seen.pop(node, None)
        self.started[node] = self.simulation.t
        self.low[node] = 0
        if self.on(node):
            self.simulation.add_timer(self.simulation.t + EVALUATE_S, "autoscale", node)

    def forget(self) -> None:
        """The measured totals were cleared (end of the warm-up): measure periods afresh."""
        self.seen.clear()
        self.started = dict.fromkeys(self.started, self.simulation.t)

    def utilisation(self, node: int) -> tuple[float, float]:
        """The instances' utilisation since the last evaluation (0 when none ran), and how many
        instances ran on average over that time."""
        state, now = self.simulation.state, self.simulation.t
        state.sync_totals()
        rows = state.rows_of[node]
        busy, seconds = float(state.nstat[1, rows, k.S_BUSY].sum()), float(state.inst_s[1, rows].sum())
        before_busy, before_seconds, before_t = self.seen.get(node, (0.0, 0.0, self.started.get(node, 0.0)))
        self.seen[node] = (busy, seconds, now)
        capacity = max(1, int(state.nint[node, k.I_WORKERS])) * (seconds - before_seconds)
        util = (busy - before_busy) / capacity if capacity > 0 else 0.0
        mean_running = (seconds - before_seconds) / (now - before_t) if now > before_t else 0.0
        return util, mean_running

    def evaluate(self, node: int) -> None:
        simulation, scaling = self.simulation, self.simulation.scaling
        simulation.add_timer(simulation.t + EVALUATE_S, "autoscale", node)
        props = simulation.topology.props[node]
        (util, mean_running), goal = self.utilisation(node), props["target_util"]
        running, provisioned = len(scaling.rows(node, RUNNING)), scaling.provisioned(node)
        low, high = props["min_instances"], props["max_instances"]
        # The work measured is what the instances running over the period did: instances that
        # finished booting just now did none of it, so they must not multiply it.
        wanted = min(high, max(low, math.ceil(mean_running * util / goal - 1e-9)))
        name = simulation.topology.ids[node]
        said = {"target": name, "util": round(100 * util), "goal": round(100 * goal), "before": provisioned}
        if (wanted > provisioned and util > goal * TOLERANCE) or provisioned < low:
            after = max(wanted, low)
            scaling.set_instances(node, after)
            simulation.announce("autoscale", name, messages.AUTOSCALED_OUT, **said, after=after,
                                boot_s=props["boot_s"])  # fmt: skip
            self.low[node] = 0
        elif provisioned > high:
            scaling.set_instances(node, high)
            self.low[node] = 0
        elif wanted < running and provisioned == running:
            self.low[node] += 1
            if self.low[node] >= SCALE_IN_AFTER:
                scaling.set_instances(node, running - 1)
                simulation.announce("autoscale", name, messages.AUTOSCALED_IN, **said, after=running - 1)
                self.low[node] = 0
        else:
            self.low[node] = 0
