"""Turn the kernels' counters into frames and reports (plain dicts, ready for JSON)."""

import numpy as np

from engine.catalog.classes import FLOW_CLASSES
from engine.catalog.kinds import SERVER_KINDS
from engine.catalog.outcomes import CAUSE_NAMES
from engine.catalog.world import SIZES
from engine.kernels import layout as k
from engine.kernels.layout import BOOTING, DRAINING, OFF, RUNNING
from engine.model.state import State
from engine.model.topology import Topology

# The classes a request can be, in the kernels' order (engine.kernels.layout C_*).
CLASSES = FLOW_CLASSES
# Upper edge of each latency bin in milliseconds.
BIN_EDGES_MS = k.LATENCY_EDGES_MS


def percentile_ms(hist: np.ndarray, q: float) -> float | None:
    """The q-quantile of a latency histogram, interpolated geometrically inside its bin."""
    total = hist.sum()
    if total <= 0:
        return None
    cumulative = np.cumsum(hist)
    target = q * total
    b = int(np.searchsorted(cumulative, target, "left"))
    below = cumulative[b - 1] if b > 0 else 0.0
    fraction = (target - below) / hist[b] if hist[b] > 0 else 0.0
    low, high = BIN_EDGES_MS[b], BIN_EDGES_MS[b + 1]
    return float(low * (high / low) ** fraction)


def rounded(value: float | None, places: int = 3) -> float | None:
    return None if value is None else round(float(value), places)


def hit_ratio(stats: np.ndarray) -> float | None:
    """Hits over lookups, for counters of one cache (or summed over caches); None with no lookups."""
    lookups = stats[k.S_HIT] + stats[k.S_MISS]
    return float(stats[k.S_HIT] / lookups) if lookups else None


def of_kind(topology: Topology, kind: str) -> list[int]:
    return [i for i, node_kind in enumerate(topology.kinds) if node_kind == kind]


def queues(topology: Topology) -> list[int]:
    return [i for i, kind in enumerate(topology.kinds) if kind == "message_queue"]


def role(topology: Topology, state: State, node: int) -> str | None:
    """A database's role now (failover changes it); None for other kinds."""
    if topology.kinds[node] != "database":
        return None
    return "replica" if state.nint[node, k.I_ROLE] == k.ROLE_REPLICA else "primary"


def monthly_cost(topology: Topology, state: State) -> float:
    """What the servers cost a month at their machine sizes (engine.catalog.world.SIZES), for every instance
    booting, running or draining; balancers, queues and users are not priced."""
    paid = np.isin(state.row_state, (BOOTING, RUNNING, DRAINING))
    return float(sum(SIZES[topology.props[node]["size"]].monthly_usd
                     for row, node in enumerate(state.row_node)
                     if paid[row] and topology.kinds[node] in SERVER_KINDS))  # fmt: skip


INSTANCE_STATES = {BOOTING: "booting", RUNNING: "running", DRAINING: "draining"}


def utilisation(state: State, which: int, rows: list[int], seconds: float) -> float:
    """Busy time over workers x instance-seconds (x `seconds` for a node without instances)."""
    busy = state.nstat[which, rows, k.S_BUSY].sum()
    workers = max(1, int(state.nint[rows[0], k.I_WORKERS]))
    capacity = workers * (seconds if len(rows) == 1 else state.inst_s[which, rows].sum())
    return float(busy / capacity) if capacity > 0 else 0.0


def pool(state: State, rows: list[int], dt: float) -> list[dict]:
    """Each instance of a web server that has several, but those off."""
    return [
        {
            "state": INSTANCE_STATES[int(state.row_state[row])],
            "up": bool(state.nint[row, k.I_UP]),
            "rps": rounded(state.nstat[0, row, k.S_DONE] / dt),
            "util": rounded(utilisation(state, 0, [row], dt), 4),
            "queue": int(state.nint[row, k.I_QLEN]),
        }
        for row in rows
        if state.row_state[row] != OFF
    ]


def keys_lost(topology: Topology, state: State) -> int:
    """Rows the data has lost now (a bad write, not restored): missing on each primary, and on
    each database on its own (replicas lose the same rows after their lag)."""
    return int(sum(state.missing[i] for i, kind in enumerate(topology.kinds)
                   if kind == "database" and state.nint[i, k.I_ROLE] == k.ROLE_PRIMARY))  # fmt: skip


def shard_state(topology: Topology, state: State, node: int) -> str | None:
    """A shard database's state now: "active" once it holds a shard (add_shard makes a spare
    active), else "spare"; None for a database in no shard group (a shard's replica included)."""
    group = topology.props[node]["shard_group"]
    if not group:
        return None
    row = topology.first_shard_row + [g.name for g in topology.shard_groups].index(group)
    return "active" if state.nint[node, k.I_SHARD] < state.rmeta[row, k.SG_ACTIVE] else "spare"


def data_gauges(topology: Topology, state: State, node: int) -> dict:
    """Rows a database holds now and its shard state; when a backup took its newest snapshot (None:
    none yet)."""
    if topology.kinds[node] == "database":
        return {"keys": int(state.data_rows[node] - state.missing[node]),
                "shard_state": shard_state(topology, state, node)}  # fmt: skip
    if topology.kinds[node] == "backup":
        taken = state.snapshot_t[node]
        return {"snapshot_t": None if np.isnan(taken) else round(float(taken), 6)}
    return {}


def data_counts(topology: Topology, state: State, gstat: np.ndarray) -> dict:
    return {
        "stale_reads": int(gstat[k.G_STALE]),
        "lost_writes": int(gstat[k.G_LOST]),
        "sessions_lost": int(gstat[k.G_SESSIONS_LOST]),
        "keys_lost": keys_lost(topology, state),
        "keys_moved": int(gstat[k.G_KEYS_MOVED]),
        **transaction_counts(gstat),
    }


def transaction_counts(gstat: np.ndarray) -> dict:
    """Transactions over two rows (traffic.txn_ratio): committed, aborted by two-phase commit,
    half-done on shards without cross-shard transactions, and the time two-phase commit added."""
    return {
        "txn_committed": int(gstat[k.G_TXN_COMMITTED]),
        "txn_aborted": int(gstat[k.G_TXN_ABORTED]),
        "txn_partial": int(gstat[k.G_TXN_PARTIAL]),
        "twopc_ms": rounded(1000.0 * gstat[k.G_TWOPC]),
    }


def lock_gauges(topology: Topology, stats: np.ndarray, node: int) -> dict:
    """A database's writes that waited for a schema change's lock, and their mean wait (ms)."""
    if topology.kinds[node] != "database":
        return {}
    locked = stats[k.S_LOCKED]
    return {
        "writes_locked": int(locked),
        "lock_wait_ms": rounded(1000.0 * stats[k.S_LOCK_WAIT] / locked) if locked else 0.0,
    }


def by_cause(stats: np.ndarray, scale: float, places: int | None = 3) -> dict:
    """A node's failures per cause (the causes it had only), each times `scale`: rates in frames,
    counts in reports. They add up to its errors."""
    counts = stats[k.S_CAUSE : k.S_CAUSE + k.N_CAUSES]
    return {
        name: (rounded(counts[c] * scale, places) if places is not None else int(counts[c]))
        for c, name in enumerate(CAUSE_NAMES)
        if counts[c] > 0
    }


def node_gauges(topology: Topology, state: State, node: int, dt: float) -> dict:
    rows = state.rows_of[node]
    stats = state.nstat[0, node] if len(rows) == 1 else state.nstat[0, rows].sum(axis=0)
    served = topology.kinds[node] in SERVER_KINDS
    running = [row for row in rows if state.row_state[row] in (RUNNING, DRAINING)]
    gauges = {
        "up": bool(any(state.nint[row, k.I_UP] for row in running)),
        "rps": rounded(stats[k.S_DONE] / dt),
        "arrivals_rps": rounded(stats[k.S_ARR] / dt),
        "errors_rps": rounded(stats[k.S_DROP] / dt),
        "errors_by_cause": by_cause(stats, 1.0 / dt),
        "util": rounded(utilisation(state, 0, rows, dt), 4) if served else 0.0,
        "queue": int(state.nint[rows, k.I_QLEN].sum()),
        "role": role(topology, state, node),
        "hit_ratio": rounded(hit_ratio(stats), 4),
        "instances": int(np.count_nonzero(state.row_state[rows] == RUNNING)),
        **data_gauges(topology, state, node),
        **lock_gauges(topology, stats, node),
    }
    if len(rows) > 1:
        gauges["pool"] = pool(state, rows, dt)
    return gauges


def doc_flows(state: State, which: int, edges: int) -> np.ndarray:
    """Flows per document edge: each edge's own plus those of its copies between instances."""
    if len(state.edge_doc) == edges:
        return state.eflow[which]
    flows = np.zeros((edges, k.N_CLASSES))
    np.add.at(flows, state.edge_doc, state.eflow[which])
    return flows


def frame(topology: Topology, state: State, t: float, dt: float, events: list[dict]) -> dict:
    gstat, hist = state.gstat[0], state.hist[0].sum(axis=0)
    offered, errors = gstat[k.G_OFFERED], gstat[k.G_ERRORS]
    edges = topology.document.get("edges", [])
    flows = doc_flows(state, 0, len(edges))
    return {
        "t": round(t, 6),
        "dt": dt,
        "nodes": {node_id: node_gauges(topology, state, i, dt) for i, node_id in enumerate(topology.ids)},
        "edges": [
            {
                "from": edge["from"],
                "to": edge["to"],
                "flows": {name: rounded(flows[j, c] / dt) for c, name in enumerate(CLASSES)},
            }
            for j, edge in enumerate(edges)
        ],  # fmt: skip
        "totals": {
            "offered_rps": rounded(offered / dt),
            "rps": rounded(gstat[k.G_COMPLETED] / dt),
            "errors_rps": rounded(errors / dt),
            "error_rate": rounded(errors / offered, 4) if offered else 0.0,
            "p50": rounded(percentile_ms(hist, 0.50)),
            "p95": rounded(percentile_ms(hist, 0.95)),
            "p99": rounded(percentile_ms(hist, 0.99)),
            "by_class": {
                name: {f"p{q}": rounded(percentile_ms(state.hist[0, c], q / 100)) for q in (50, 95, 99)}
                for c, name in enumerate(CLASSES)
            },
            "hit_ratio": rounded(hit_ratio(state.nstat[0, of_kind(topology, "cache")].sum(axis=0)), 4),
            "cdn_hit_ratio": rounded(hit_ratio(state.nstat[0, of_kind(topology, "cdn")].sum(axis=0)), 4),
            "stale_reads": int(gstat[k.G_STALE]),
            "lost_writes": int(gstat[k.G_LOST]),
            "queue_depth": int(sum(state.nint[i, k.I_QLEN] for i in queues(topology))),
            "sessions_lost": int(gstat[k.G_SESSIONS_LOST]),
            "cost_per_month": monthly_cost(topology, state),
        },
        "data": data_counts(topology, state, gstat),
        "events": events,
    }


def node_report(topology: Topology, state: State, node: int, duration: float) -> dict:
    rows = state.rows_of[node]
    stats = state.nstat[1, node] if len(rows) == 1 else state.nstat[1, rows].sum(axis=0)
    started, done = stats[k.S_STARTED], stats[k.S_DONE]
    served = topology.kinds[node] in SERVER_KINDS
    return {
        "arrivals": int(stats[k.S_ARR]),
        "completed": int(done),
        "dropped": int(stats[k.S_DROP]),
        "dropped_by_cause": by_cause(stats, 1.0, None),
        "sessions_lost": int(stats[k.S_SESSIONS_LOST]),
        "utilization": utilisation(state, 1, rows, duration) if served else 0.0,
        "mean_instances": float(state.inst_s[1, rows].sum() / duration) if len(rows) > 1 else 1.0,
        "mean_queue": float(stats[k.S_QINT] / duration),
        "mean_wait_ms": float(1000.0 * stats[k.S_WAIT] / started) if started else 0.0,
        "mean_latency_ms": float(1000.0 * stats[k.S_LAT] / done) if done and served else 0.0,
        "hit_ratio": hit_ratio(stats),
        **data_gauges(topology, state, node),
        **lock_gauges(topology, stats, node),
    }


def report(topology: Topology, state: State, duration: float) -> dict:
    state.sync_totals()
    gstat, hist = state.gstat[1], state.hist[1].sum(axis=0)
    completed = gstat[k.G_COMPLETED]
    return {
        "duration_s": duration,
        "requests": int(gstat[k.G_OFFERED]),
        "completed": int(completed),
        "errors": int(gstat[k.G_ERRORS]),
        # Per run, so that replications give it an interval of its own (a ratio of two means is not one).
        "error_rate": float(gstat[k.G_ERRORS] / gstat[k.G_OFFERED]) if gstat[k.G_OFFERED] else 0.0,
        "throughput_rps": float(completed / duration),
        "cost_per_month": monthly_cost(topology, state),
        "latency_ms": {
            "mean": float(1000.0 * gstat[k.G_LATENCY] / completed) if completed else None,
            "p50": percentile_ms(hist, 0.50),
            "p95": percentile_ms(hist, 0.95),
            "p99": percentile_ms(hist, 0.99),
            "by_class": {
                name: {
                    "completed": int(state.hist[1, c].sum()),
                    **{f"p{q}": percentile_ms(state.hist[1, c], q / 100) for q in (50, 95, 99)},
                }
                for c, name in enumerate(CLASSES)
            },
        },
        "nodes": {node_id: node_report(topology, state, i, duration) for i, node_id in enumerate(topology.ids)},
        "data": data_counts(topology, state, gstat),
    }
