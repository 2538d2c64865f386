"""The stories of sampled requests as JSON (docs/protocol.md, Frames), and the exemplars of the last
window: its slowest answered requests and its newest failed ones."""

import math
from collections import deque

import numpy as np

from engine.catalog.classes import FLOW_CLASSES
from engine.catalog.outcomes import CAUSE_NAMES, HOP_OUTCOME_NAMES
from engine.kernels import layout as k
from engine.kernels import trace as story
from engine.model.state import State
from engine.model.topology import Topology

# A frame's exemplars: this many of the window's slowest answered stories, and of its newest failed ones.
SLOWEST, FAILED = 3, 5


def row_name(topology: Topology, state: State, row: int) -> str:
    """A node's id, with the instance's number for a web server that has several: web#2."""
    node = state.row_node[row]
    rows = state.rows_of[node]
    return topology.ids[node] if len(rows) == 1 else f"{topology.ids[node]}#{rows.index(row) + 1}"


def ms(seconds: float) -> float:
    return round(1000.0 * float(seconds), 4)


def told(topology: Topology, state: State, limit: int) -> list[dict]:
    """Up to `limit` stories of requests that are done, the earliest done first; their rows are
    freed. Stories beyond the limit wait for the next frame."""
    trace = state.trace
    done = np.flatnonzero(trace[:, story.TR_STATE] == story.DONE)
    order = done[np.lexsort((trace[done, story.TR_SEQ], trace[done, story.TR_END]))][:limit]
    stories = [story_json(topology, state, int(row)) for row in order]
    trace[order, story.TR_STATE] = story.FREE
    return stories


def story_json(topology: Topology, state: State, row: int) -> dict:
    t = state.trace[row]
    t0, cause = float(t[story.TR_T0]), int(t[story.TR_CAUSE])
    hops = [hop_json(topology, state, row, i, t0) for i in range(int(t[story.TR_HOPS]))]
    cause_name = CAUSE_NAMES[cause] if cause >= 0 else None
    if cause == k.FAIL_DEAD and len(hops) > 1 and hop_kind(topology, state, row, len(hops) - 2) == "dns":
        # Sent by a DNS answer (a client's cached one, or a record set by hand) to an entry point that is down.
        cause_name = hops[-1]["outcome"] = "dns_dead_entry"
    network = sum(hop["network_ms"] for hop in hops)
    cls = FLOW_CLASSES[int(t[story.TR_CLS])]
    # Drawn only when something needs them (otherwise the slot holds an earlier request's).
    keyed = state.traffic[k.T_FILES if cls == "static" else k.T_KEYS] > 0
    return {
        "id": int(t[story.TR_SEQ]),
        "t": round(t0, 6),
        "class": cls,
        "from": topology.ids[int(t[story.TR_FROM])],
        "client": int(t[story.TR_CLIENT]) if state.traffic[k.T_CLIENTS] > 0 else None,
        "key": int(t[story.TR_KEY]) if keyed else None,
        "outcome": "failed" if cause >= 0 else "answered",
        "cause": cause_name,
        "latency_ms": ms(t[story.TR_LATENCY]),
        "network_ms": round(network, 4),
        "done_ms": ms(t[story.TR_END] - t0),
        "answered": not math.isnan(t[story.TR_ANSWERED]),
        "hops": hops,
        "lost_hops": int(t[story.TR_LOST]),
    }


def hop_kind(topology: Topology, state: State, row: int, i: int) -> str:
    node = int(state.trace[row, story.N_HEADER + story.HOP_WIDTH * i + story.H_NODE])
    return topology.kinds[state.row_node[node]]


def hop_json(topology: Topology, state: State, row: int, i: int, t0: float) -> dict:
    h = state.trace[row, story.N_HEADER + story.HOP_WIDTH * i : story.N_HEADER + story.HOP_WIDTH * (i + 1)]
    arrive, start, end = h[story.H_ARRIVE], h[story.H_START], h[story.H_END]
    end = state.trace[row, story.TR_END] if math.isnan(end) else end
    started = not math.isnan(start)
    outcome = HOP_OUTCOME_NAMES[int(h[story.H_OUTCOME])]
    hop = {
        "node": row_name(topology, state, int(h[story.H_NODE])),
        "at_ms": ms(arrive - t0),
        "network_ms": ms(h[story.H_RTT]),
        "queued_ms": ms((start if started else end) - arrive),
        "service_ms": ms(end - start) if started else 0.0,
        "outcome": outcome,
    }
    hop.update(hop_facts(topology, state, int(h[story.H_NODE]), outcome, h[story.H_A], h[story.H_B]))
    return hop


def hop_facts(topology: Topology, state: State, node: int, outcome: str, a: float, b: float) -> dict:
    """The numbers that say why the hop went as it did (engine.kernels.trace writes them)."""
    if outcome == "queue_full":
        return {"queue_limit": int(a), "workers": int(b)}
    if outcome in ("routed", "failed_over", "resolved"):
        facts = {"to": row_name(topology, state, int(a)) if a >= 0 else None}
        return facts | ({"believed_down": int(b)} if outcome != "resolved" else {})
    if outcome in ("cache_hit", "cache_miss"):
        return {"key": int(a)}
    if outcome in ("cdn_hit", "cdn_miss"):
        return {"file": int(a)}
    if outcome == "job_queued":
        return {"queue_length": int(a), "queue_limit": int(b)} if not math.isnan(a) else {}
    if not math.isnan(a) and outcome in ("served", "stale_read") and topology.kinds[state.row_node[node]] == "database":
        facts = {"replica_lag_ms": ms(a), "primary": primary_of(topology, state, node)}
        return facts | ({"behind_ms": ms(b)} if outcome == "stale_read" else {})
    return {}


def primary_of(topology: Topology, state: State, replica: int) -> str | None:
    """The primary of a replica's set now (a failover changes it)."""
    replica_set = state.nint[replica, k.I_SET]
    for node in topology.replica_sets[replica_set] if replica_set >= 0 else ():
        if state.nint[node, k.I_ROLE] == k.ROLE_PRIMARY:
            return topology.ids[node]
    return None


class Exemplars:
    """The stories told over the last window (engine.readouts.window's seconds): which were slowest
    and which failed, by their ids, for the page to open."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.frames: deque[tuple[float, list[dict]]] = deque()
        self.covered = 0.0

    def add(self, stories: list[dict], dt: float) -> dict:
        self.frames.append((dt, stories))
        self.covered += dt
        while len(self.frames) > 1 and self.covered - self.frames[0][0] >= self.seconds - 1e-9:
            self.covered -= self.frames.popleft()[0]
        told_ = [s for _, stories_ in self.frames for s in stories_]
        answered = sorted((s for s in told_ if s["outcome"] == "answered"), key=lambda s: (-s["latency_ms"], s["id"]))
        failed = sorted((s for s in told_ if s["outcome"] == "failed"), key=lambda s: -s["id"])
        return {"slowest": [s["id"] for s in answered[:SLOWEST]], "failed": [s["id"] for s in failed[:FAILED]]}
