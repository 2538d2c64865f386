"""The event log names why requests fail: when a node starts failing requests for a cause, an event
says which cause and how many a second; when it has failed none for a while, an event says so, with
how many failed meanwhile.

Kills, job losses and lowered queue limits have events of their own; the causes here are those a
node meets while the simulation runs. The rate is measured over the first ONSET_S of failures,
not over one frame (a tenth of a second holds too few requests to say).
"""

from engine.catalog import messages
from engine.kernels import layout as k

# Seconds of failures measured before their event, and seconds without any before the all-clear
ONSET_S, QUIET_S = 1.0, 5.0

TEMPLATES = {
    k.FAIL_QUEUE_FULL: messages.FAILING_QUEUE_FULL,
    k.FAIL_DEAD: messages.FAILING_DEAD,
    k.FAIL_PARTITIONED: messages.FAILING_PARTITIONED,
    k.FAIL_NO_SERVER: messages.FAILING_NO_SERVER,
    k.FAIL_NO_PRIMARY: messages.FAILING_NO_PRIMARY,
    k.FAIL_HOP_LIMIT: messages.FAILING_HOP_LIMIT,
}


class Episode:
    """A node's failures since it started failing requests: per cause, from when and how many."""

    def __init__(self, t: float):
        self.since = t
        self.quiet = 0.0
        self.count = 0.0
        self.causes: dict[int, list[float]] = {}  # cause: [from, count], until announced
        self.announced: set[int] = set()


class Failures:
    def __init__(self, simulation):
        self.simulation = simulation
        self.episodes: dict[int, Episode] = {}

    def observe(self, dt: float) -> None:
        """Read the slice just simulated (before the state clears it) and announce what changed."""
        simulation = self.simulation
        state, end = simulation.state, simulation.t
        if not self.episodes and not state.nstat[0, :, k.S_CAUSE : k.S_CAUSE + k.N_CAUSES].any():
            return
        for node in range(len(simulation.topology.ids)):
            rows = state.rows_of[node]
            counts = state.nstat[0, rows, k.S_CAUSE : k.S_CAUSE + k.N_CAUSES].sum(axis=0)
            total = float(counts.sum())
            episode = self.episodes.get(node)
            if episode is None and total == 0:
                continue
            if episode is None:
                episode = self.episodes[node] = Episode(end - dt)
            self.count(node, episode, counts, total, end - dt, end, dt)

    def count(self, node: int, episode: Episode, counts, total: float, start: float, end: float, dt: float) -> None:
        episode.count += total
        episode.quiet = episode.quiet + dt if total == 0 else 0.0
        for cause in TEMPLATES:
            if counts[cause] > 0 and cause not in episode.announced:
                seen = episode.causes.setdefault(cause, [start, 0.0])
                seen[1] += float(counts[cause])
        for cause, (since, seen) in list(episode.causes.items()):
            if end - since >= ONSET_S - 1e-9:
                self.announce_onset(node, cause, seen / (end - since))
                episode.announced.add(cause)
                del episode.causes[cause]
        if episode.quiet >= QUIET_S - 1e-9:
            del self.episodes[node]
            if episode.announced:
                target = self.simulation.topology.ids[node]
                seconds = round(end - episode.quiet - episode.since, 1)
                self.simulation.announce("failures_ended", target, messages.FAILURES_ENDED, target=target,
                                         count=episode.count, seconds=seconds)  # fmt: skip

    def announce_onset(self, node: int, cause: int, rate: float) -> None:
        simulation = self.simulation
        target = simulation.topology.ids[node]
        params = {"target": target, "rate": float(f"{rate:.2g}") if rate < 100 else round(rate)}
        if cause == k.FAIL_QUEUE_FULL:
            params["limit"] = int(simulation.state.nint[simulation.state.rows_of[node][0], k.I_QCAP])
        template = TEMPLATES[cause]
        simulation.announce("failing", target, template, **params)
