"""A running simulation: steps through simulated time, applies live actions and changes."""

import heapq

from engine.catalog import messages
from engine.catalog.actions import ACTIONS
from engine.catalog.world import SIZES
from engine.kernels import entry
from engine.kernels import layout as k
from engine.kernels.layout import DRAINING, RUNNING
from engine.model.live import changed
from engine.model.state import State
from engine.model.topology import Topology, arrival_rates, configure_node, traffic_array, with_defaults
from engine.model.validate import action_problems, unbalanced_instances
from engine.readouts.frames import frame, report
from engine.readouts.stories import Exemplars, row_name, told
from engine.readouts.window import WINDOW_S, Window
from engine.simulation.autoscaling import AUTOSCALING_PROPS, Autoscaler
from engine.simulation.backups import Backups
from engine.simulation.failures import Failures
from engine.simulation.geo import Geo
from engine.simulation.health import HealthChecks
from engine.simulation.replication import Replication
from engine.simulation.requirements import Requirements
from engine.simulation.scaling import Scaling
from engine.simulation.schema import SchemaChanges
from engine.simulation.sharding import Sharding

# Below this, a slice is only rounding noise from splitting at scenario times.
MIN_SLICE = 1e-9
MAX_STEP_S = 3600.0
# The most timers (and scenario steps) one step fires. Timers run in Python, holding the GIL: past
# this many, the step ends early, at the last one's time, and its frame covers less simulated time
# than asked (its "dt" says how much). Many autoscaled servers over a long step would otherwise
# hold the process for seconds. Stepping on gives the same results as one long step, bit for bit:
# the kernel is called over the same slices.
MAX_STEP_TIMERS = 2_000
# The most stories of sampled requests a frame may carry (Simulation's `stories`)
MAX_STORIES = 200
# Rows of the stories' table per story a frame may carry: requests sampled in one frame may finish
# in a later one (a long queue), and sampling pauses while every row is taken.
STORY_ROWS = 4


class ActionError(ValueError):
    """A live action the engine cannot apply; the message says why."""


class Simulation:
    """Same topology, seed and actions give the same frames, bit for bit.

    With `stories` > 0, each frame also tells the stories of up to that many sampled requests
    (engine.kernels.trace), and which of the last window's were slowest or failed; the sample is
    chosen without a random draw, so every other number of the frames stays the same."""

    def __init__(self, topology: Topology, seed: int = 0, stories: int = 0):
        if not (isinstance(stories, int) and 0 <= stories <= MAX_STORIES):
            raise ValueError(f"stories must be a whole number from 0 to {MAX_STORIES}.")
        self.topology = topology
        self.seed = seed
        self.stories = stories
        self.state = State(topology, seed, story_rows=STORY_ROWS * stories)
        self.exemplars = Exemplars(WINDOW_S)
        self.t = 0.0
        self.events: list[dict] = []
        self.pending = list(topology.scenario)
        # Things the simulation itself does at set times, as a heap of (t, sequence, kind, node).
        self.timers: list[tuple[float, int, str, int]] = []
        self.timer_seq = 0
        self.spike = 1.0
        # The hot_key action's share of requests that ask for key 0.
        self.hot_share = 0.0
        # What the last step did: timers fired and kernel events (arrivals and departures).
        self.work = {"timers": 0, "events": 0}
        self.health = HealthChecks(self)
        for node in range(len(topology.ids)):
            self.health.schedule(node)
        self.scaling = Scaling(self)
        self.autoscaler = Autoscaler(self)
        self.health.sync_instant()
        self.replication = Replication(self)
        self.sharding = Sharding(self)
        self.backups = Backups(self)
        self.schema = SchemaChanges(self)
        self.geo = Geo(self)
        self.requirements = Requirements(self)
        self.window = Window(topology)
        self.failures = Failures(self)

    def step(self, seconds: float, max_timers: int = MAX_STEP_TIMERS) -> dict:
        """Advance simulated time and return the frame of what happened in that slice: `seconds`,
        or less when that would fire more than max_timers timers (the frame's "dt" says)."""
        if not 0 < seconds <= MAX_STEP_S:
            raise ValueError(f"A step must be longer than 0 and at most {MAX_STEP_S:g} simulated seconds.")
        start, end = self.t, self.t + seconds
        self.work = {"timers": 0, "events": 0}
        self.sample(seconds)
        while True:
            # Live changes between steps and what each timer changed, before time moves on.
            self.health.notice_changes()
            due = self.next_due()
            if due is None or due >= end:
                break
            if self.work["timers"] >= max_timers and self.t - start > MIN_SLICE:
                end = self.t
                break
            self.run_until(max(due, self.t))
            self.fire_next()
            self.work["timers"] += 1
        self.run_until(end)
        self.failures.observe(end - start)
        events, self.events = self.events, []
        result = frame(self.topology, self.state, self.t, end - start, events)
        result["met"] = self.met()
        result["window"] = self.window.add(self.state, end - start)
        if self.stories:
            result["stories"] = told(self.topology, self.state, self.stories)
            result["exemplars"] = self.exemplars.add(result["stories"], end - start)
        # Cleared after the frame, not before: a live action between steps counts in the next one.
        self.state.clear_slice()
        return result

    def sample(self, seconds: float) -> None:
        """Let up to `stories` requests start a story in this step, one in about every `every` of
        them, which aims at half the budget over the step (so it seldom runs out before the end)."""
        if not self.stories:
            return
        expected = self.arrival_ceiling() * seconds
        every = max(1, round(2.0 * expected / self.stories))
        scalars = self.state.scalars
        scalars[k.SC_TRACE_LEFT] = self.stories
        scalars[k.SC_TRACE_EVERY] = every
        scalars[k.SC_TRACE_NEXT] = scalars[k.SC_SEQ] + 1 + every // 2

    def arrival_ceiling(self) -> float:
        """The most requests a second the users can send from now on (the pattern's peak and any
        spike included): what bounds the work of a step of a given length."""
        traffic = self.state.traffic
        peak = 1.0 if traffic[k.T_PATTERN] == k.PATTERN_CONSTANT else max(1.0, float(traffic[k.T_PEAK]))
        return float(self.state.nflt[:, k.F_RATE].sum()) * peak

    def run_until(self, t_end: float) -> None:
        if t_end - self.t > MIN_SLICE:
            self.state.count_instances(t_end - self.t)
            # float(): a scenario's whole-second "at" must not compile a second, int64 kernel.
            self.work["events"] += self.state.call(entry.advance, float(t_end))
            self.t = t_end

    def next_due(self) -> float | None:
        times = [self.pending[0]["at"]] if self.pending else []
        times += [self.timers[0][0]] if self.timers else []
        # Always a float: a whole-number scenario time ("at": 31) would otherwise reach the kernels as
        # an int and make numba compile a second copy of them, for most of a minute, mid-run.
        return float(min(times)) if times else None

    def fire_next(self) -> None:
        """Apply the earliest scenario step or timer; a scenario step goes first at the same time."""
        if self.pending and (not self.timers or self.pending[0]["at"] <= self.timers[0][0]):
            self.apply(self.pending.pop(0))
            return
        _, _, kind, node = heapq.heappop(self.timers)
        if kind == "health_check":
            self.health.check(node)
        elif kind == "spike_end":
            self.end_spike()
        elif kind == "failover":
            self.replication.failover(node)
        elif kind == "boot":
            self.scaling.booted(node)
        elif kind == "drain_check":
            self.scaling.drain_check()
        elif kind == "autoscale":
            self.autoscaler.evaluate(node)
        elif kind == "snapshot":
            self.backups.snapshot(node)
        elif kind == "bad_write":
            self.backups.land(node)
        elif kind == "lock_released":
            self.schema.released(node)

    def add_timer(self, t: float, kind: str, node: int) -> None:
        heapq.heappush(self.timers, (t, self.timer_seq, kind, node))
        self.timer_seq += 1

    def cancel_timers(self, kind: str, node: int | None = None) -> None:
        """Forget pending timers of that kind (for that node, unless None)."""
        self.timers = [timer for timer in self.timers if timer[2] != kind or node not in (None, timer[3])]
        heapq.heapify(self.timers)

    def row_name(self, row: int) -> str:
        """A node's id, with the instance's number for a web server that has several: web#2."""
        return row_name(self.topology, self.state, row)

    def in_service(self, node: int) -> list[int]:
        """The rows of a node that are there to be killed, revived or slowed: every instance
        running or draining (a node without instances is its one row)."""
        return [row for row in self.state.rows_of[node] if self.state.row_state[row] in (RUNNING, DRAINING)]

    def act(self, action: dict) -> None:
        """Apply a live action now, such as {"action": "kill", "target": "web1"}."""
        problems = action_problems(action, dict(zip(self.topology.ids, self.topology.kinds)))
        if problems:
            raise ActionError(" ".join(problem["message"] for problem in problems))
        name, target = action["action"], action.get("target")
        why = None
        if name == "add_shard":
            why = self.sharding.problem(target)
        elif name in ("bad_write", "restore"):
            why = self.backups.problem(name, target)
        elif name == "kill_instance":
            why = self.instance_problem(target, action.get("instance", 1))
        if why:
            raise ActionError(why)
        self.apply(action)

    def apply(self, action: dict) -> None:
        """Apply a validated action: its params are filled from the catalog's defaults."""
        spec = ACTIONS[action["action"]]
        params = {**with_defaults(spec.params, action), "target": action.get("target")}
        getattr(self, f"apply_{action['action']}")(**params)

    def apply_kill(self, target: str) -> None:
        node = self.topology.index(target)
        if self.topology.kinds[node] == "data_center":
            self.data_center(node, up=False)
            return
        rows = [row for row in self.in_service(node) if self.state.nint[row, k.I_UP]]
        if rows:
            held = int(sum(self.state.nint[row, k.I_BUSY] + self.state.nint[row, k.I_QLEN] for row in rows))
            lost = sum(self.state.call(entry.kill, row, self.t) for row in rows)
            template, params = self.kill_message(node, held, lost)
            sessions = sum(self.state.forget_sessions(row) for row in rows)
            if sessions:
                template, params = messages.KILLED_SESSIONS, {**params, "sessions": sessions}
            self.announce("kill", target, template, **params)
            self.health.sync_instant()
            self.replication.on_kill(node)
            self.geo.answer(announce=True)

    def pool_row(self, node: int, instance: int) -> int | None:
        """The row of a web server's instance as the pool shows it (counted from 1), if it exists."""
        rows = self.state.rows_of[node]
        return rows[instance - 1] if 1 <= instance <= len(rows) else None

    def instance_problem(self, target: str, instance: int) -> str | None:
        """Why kill_instance cannot apply now, or None."""
        node = self.topology.index(target)
        running = self.in_service(node)
        if len(running) < 2:
            return f"{target} runs {len(running)} instance now: kill it whole, or scale it out first."
        row = self.pool_row(node, instance)
        if row not in running:
            return (
                f"{target} has no instance {instance} running (its running instances: "
                + ", ".join(str(self.state.rows_of[node].index(r) + 1) for r in running)
                + ")."
            )
        if not self.state.nint[row, k.I_UP]:
            return f"Instance {instance} of {target} is already down."
        return None

    def apply_kill_instance(self, target: str, instance: int) -> None:
        node = self.topology.index(target)
        row = self.pool_row(node, instance)
        if row not in self.in_service(node) or not self.state.nint[row, k.I_UP]:
            return  # a scenario's kill of an instance that is not there (scaled in, already dead)
        lost = self.state.call(entry.kill, row, self.t)
        self.state.forget_sessions(row)
        running = sum(1 for r in self.in_service(node) if self.state.nint[r, k.I_UP])
        self.announce("kill", target, messages.KILLED_INSTANCE, target=target, instance=instance, lost=lost,
                      running=running)  # fmt: skip
        self.health.sync_instant()

    def kill_message(self, node: int, held: int, lost: int) -> tuple[str, dict]:
        target, kind = self.topology.ids[node], self.topology.kinds[node]
        if kind == "message_queue":
            return messages.KILLED_QUEUE, {"target": target, "lost": lost}
        if kind == "worker":
            queue = self.topology.ids[self.state.nint[node, k.I_SOURCE]]
            return messages.KILLED_WORKER, {"target": target, "returned": held - lost, "queue": queue, "lost": lost}
        return messages.KILLED, {"target": target, "lost": lost}

    def take_jobs(self, node: int) -> None:
        """A worker that can do more takes waiting jobs from its queue."""
        if self.topology.kinds[node] == "worker":
            self.state.call(entry.pull, self.state.nint[node, k.I_SOURCE], self.t)

    def data_center(self, node: int, up: bool) -> None:
        """A data center goes down, taking everything in it down, or comes back with all of it."""
        if bool(self.state.nint[node, k.I_UP]) == up:
            return
        self.state.nint[node, k.I_UP] = int(up)
        members = self.geo.members(node)
        names = ", ".join(self.topology.ids[m] for m in members)
        dc = self.topology.ids[node]
        if up:
            template = messages.DC_UP if names else messages.DC_UP_EMPTY
        else:
            template = messages.DC_DOWN if names else messages.DC_DOWN_EMPTY
        self.announce("revive" if up else "kill", dc, template, target=dc, nodes=names)
        for member in members:
            (self.apply_revive if up else self.apply_kill)(self.topology.ids[member])

    def apply_partition(self, target: str, other: str) -> None:
        a, b = self.topology.index(target), self.topology.index(other)
        self.geo.partition(a, b)
        self.health.sync_instant()
        self.announce("partition", target, messages.PARTITIONED, target=target, other=other)

    def apply_heal(self, target: str, other: str) -> None:
        a, b = self.topology.index(target), self.topology.index(other)
        if self.geo.heal(a, b):
            self.health.sync_instant()
            self.announce("heal", target, messages.HEALED, target=target, other=other)

    def apply_revive(self, target: str) -> None:
        node = self.topology.index(target)
        if self.topology.kinds[node] == "data_center":
            self.data_center(node, up=True)
            return
        rows = [row for row in self.in_service(node) if not self.state.nint[row, k.I_UP]]
        if rows:
            self.state.nflt[rows, k.F_LAST] = self.t
            self.state.nint[rows, k.I_UP] = 1
            self.health.sync_instant()
            self.take_jobs(node)
            self.geo.answer(announce=True)
            self.backups.on_revive(node)
            template, params = self.replication.on_revive(node) or (messages.REVIVED, {"target": target})
            self.announce("revive", target, template, **params)

    def apply_slow(self, target: str, factor: float) -> None:
        self.state.nflt[self.state.rows_of[self.topology.index(target)], k.F_SLOW] = factor
        template = messages.SLOW_NORMAL if factor == 1 else messages.SLOWED if factor > 1 else messages.SPED_UP
        self.announce("slow", target, template, target=target, factor=factor)

    def apply_spike(self, target: str | None, factor: float, seconds: float) -> None:
        self.spike = factor
        self.set_rates()
        self.cancel_timers("spike_end")
        self.add_timer(self.t + seconds, "spike_end", -1)
        rps = self.topology.traffic["rps"] * factor
        self.announce("spike", None, messages.SPIKE, factor=factor, rps=rps, seconds=seconds)

    def end_spike(self) -> None:
        self.spike = 1.0
        self.set_rates()
        self.announce("spike_end", None, messages.SPIKE_END, rps=self.topology.traffic["rps"])

    def apply_hot_key(self, target: str | None, share: float) -> None:
        self.hot_share = share
        self.refresh_traffic()
        if share == 0:
            self.announce("hot_key", None, messages.HOT_KEY_OFF)
            return
        holders = ", ".join(self.sharding.holders(0))
        percent = round(100 * share, 1)
        if holders:
            self.announce("hot_key", None, messages.HOT_KEY_SHARD, percent=percent, shard=holders)
        else:
            self.announce("hot_key", None, messages.HOT_KEY, percent=percent)

    def apply_add_shard(self, target: str) -> None:
        self.sharding.add(target)

    def apply_alter_table(self, target: str, seconds: float) -> None:
        self.schema.alter(target, seconds)

    def apply_bad_write(self, target: str, share: float) -> None:
        self.backups.bad_write(target, share)

    def apply_restore(self, target: str) -> None:
        self.backups.restore(target)

    def refresh_traffic(self) -> None:
        """The kernel's traffic settings from the document, with any hot key."""
        self.state.traffic[:] = traffic_array(self.topology)
        self.state.traffic[k.T_HOT_SHARE] = self.hot_share

    def apply_scale(self, target: str, workers: int | None, size: str | None, instances: int | None) -> None:
        """Each given param changes, with its own event: workers, size, then instances."""
        node = self.topology.index(target)
        if workers is not None:
            before = self.topology.props[node]["workers"]
            self.set(target, {"workers": workers})
            self.announce("scale", target, messages.SCALED, target=target, before=before, workers=workers)
        if size is not None:
            before = self.topology.props[node]["size"]
            self.set(target, {"size": size})
            old, new = SIZES[before], SIZES[size]
            self.announce(
                "scale",
                target,
                messages.RESIZED,
                target=target,
                before=before,
                size=size,
                # Two significant digits: "1.8x", not "1.8181818x".
                speedup=float(f"{new.speed / old.speed:.2g}"),
                cost=new.monthly_usd / old.monthly_usd,
                monthly=new.monthly_usd,
            )
        if instances is not None:
            problem = unbalanced_instances(self.topology.document, target, instances)
            if problem:
                raise ActionError(problem)
            before = self.scaling.provisioned(node)
            self.set(target, {"instances": instances})
            template = (messages.SCALED_OUT if instances > before else messages.SCALED_IN if instances < before
                        else messages.SCALED_SAME)  # fmt: skip
            boot_s = self.topology.props[node]["boot_s"]
            self.announce("scale", target, template, target=target, before=before, after=instances, boot_s=boot_s)

    def set_rates(self) -> None:
        """Each users node's arrival rate from traffic.rps and any spike, redrawn from now."""
        rates = arrival_rates(self.topology, self.topology.traffic["rps"] * self.spike)
        self.state.nflt[: len(rates), k.F_RATE] = rates
        self.state.schedule_arrivals(self.t)

    def announce(self, kind: str, target: str | None, template: str, /, **params) -> None:
        """Log an event: `template` is one of engine.catalog.messages, translated by each page (docs/protocol.md)."""
        # numpy scalars become plain numbers: events go out as JSON.
        params = {name: value.item() if hasattr(value, "item") else value for name, value in params.items()}
        event = {"t": round(self.t, 6), "kind": kind, "target": target}
        event.update(message=messages.render(template, params), template=template, params=params)
        if template in messages.CHOICE_PARAMS:
            event["choices"] = list(messages.CHOICE_PARAMS[template])
        self.events.append(event)

    def set(self, target: str, props: dict) -> None:
        """Change props of a node, or of the traffic (target "traffic"), while running."""
        if target != "traffic" and target not in self.topology.ids:
            raise ActionError(f"There is no node called {target!r}.")
        self.topology = changed(self.topology, target, props)
        if target == "traffic":
            self.traffic_changed(props)
        else:
            self.node_changed(self.topology.index(target), props)

    def node_changed(self, node: int, props: dict) -> None:
        kind = self.topology.kinds[node]
        for row in self.state.rows_of[node]:
            configure_node(self.state.nint, self.state.nflt, row, kind, self.topology.props[node])
        if {"workers", "queue_limit"} & props.keys():
            self.state.resize(self.topology, self.t)
        if "instances" in props:
            self.scaling.set_instances(node, props["instances"])
        if AUTOSCALING_PROPS & props.keys():
            self.autoscaler.schedule(node)
        if "share" in props:
            self.set_rates()
        if "health_check_s" in props:
            self.health.schedule(node)
            self.health.sync_instant()
        self.refresh_traffic()
        self.replication.update_write_waits()
        self.geo.setup(announce=True)
        for row in self.state.rows_of[node]:
            self.state.call(entry.start_waiting, row, self.t)
        self.take_jobs(node)

    def traffic_changed(self, props: dict) -> None:
        self.refresh_traffic()
        if "clients" in props:
            self.state.resize_sessions(self.topology)
        self.geo.setup(announce=True)
        self.set_rates()

    def met(self) -> dict[str, list[str]]:
        """{node id: the catalog's requirements it meets now} (only nodes that meet one)."""
        return self.requirements.met()

    def measure_from_now(self) -> None:
        """Forget what was measured so far (the warm-up); reports count from here."""
        self.state.clear_totals()
        self.autoscaler.forget()

    def report(self, duration: float) -> dict:
        return report(self.topology, self.state, duration)
