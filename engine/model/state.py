"""The arrays one simulation carries between kernel calls, sized so that nothing grows in a run."""

import numpy as np

from engine.kernels import cache, entry
from engine.kernels import layout as k
from engine.kernels import trace as story
from engine.kernels.entry import state_arrays
from engine.kernels.layout import DRAINING, OFF, RUNNING
from engine.kernels.rng import seeded_state
from engine.model import shards
from engine.model.topology import (
    WRITE_CELLS,
    WRITE_RING,
    Topology,
    arrival_rates,
    cache_settings,
    capacity,
    configure_node,
    instance_rows,
    keeps_clients,
    ring_width,
    traffic_array,
)


class State:
    """Kernel rows: rows 0..n-1 are the document's nodes in order; a web server with several
    instances has one row per instance, its first being its node's row and the others appended
    after every node (in the order they were added, so a row never moves). Kernel edges likewise:
    edges 0..E-1 are the document's, then one per extra pair of rows they join."""

    def __init__(self, topology: Topology, seed: int, story_rows: int = 0):
        n, edges = len(topology.ids), topology.edges
        self.row_node: list[int] = list(range(n))
        self.rows_of: list[list[int]] = [[node] for node in range(n)]
        self.kedges: list[tuple[int, int]] = list(edges)
        self.edge_doc: list[int] = list(range(len(edges)))
        self.nint = np.zeros((n, k.N_INT), dtype=np.int64)
        self.nflt = np.zeros((n, k.N_FLT), dtype=np.float64)
        self.nstat = np.zeros((2, n, k.N_STAT), dtype=np.float64)
        self.eint = np.zeros((len(edges), k.N_EINT), dtype=np.int64)
        self.eint[:, k.EI_HEALTHY] = 1
        self.eflt = np.zeros((len(edges), k.N_EFLT), dtype=np.float64)
        self.eflow = np.zeros((2, len(edges), k.N_CLASSES), dtype=np.float64)
        self.row_state = np.full(n, RUNNING, dtype=np.int64)
        # Instance-seconds running or draining per row, [0] this slice and [1] measured (utilisation's denominator).
        self.inst_s = np.zeros((2, n), dtype=np.float64)
        self.gstat = np.zeros((2, k.N_GSTAT), dtype=np.float64)
        self.hist = np.zeros((2, k.N_CLASSES, k.BINS), dtype=np.float64)
        # What sync_totals last added to the totals, per counted array (see sync_totals)
        self.synced: dict[str, np.ndarray] = {}
        self.scalars = np.zeros(k.N_SCALARS, dtype=np.int64)
        # Rows for the stories of sampled requests in flight or told but not yet read (engine.kernels.trace)
        self.trace = np.zeros((story_rows, story.TRACE_WIDTH), dtype=np.float64)
        self.rng = seeded_state(seed)
        self.traffic = traffic_array(topology)
        caches = cache.layout(*cache_settings(topology), topology.traffic["keys"])
        self.cmeta, self.cint, self.cexp, self.ctab, self.ccount = caches
        for node, (kind, props) in enumerate(zip(topology.kinds, topology.props)):
            configure_node(self.nint, self.nflt, node, kind, props)
            self.nint[node, k.I_UP] = 1
            self.nflt[node, k.F_SLOW] = 1.0
            self.nflt[node, k.F_CUT_FROM] = np.inf
            self.nflt[node, k.F_CUT_TO] = np.inf
            self.nint[node, k.I_ROLE] = k.ROLE_REPLICA if props.get("role") == "replica" else k.ROLE_PRIMARY
        self.nint[:, k.I_SET] = -1
        self.nint[:, k.I_SHARD] = -1
        self.nint[:, k.I_GROUP] = -1
        self.nint[:, k.I_NEXT_CLIENT] = -1
        for source, target in edges:
            if topology.kinds[target] == "worker":
                self.nint[target, k.I_SOURCE] = source
        sets = topology.replica_sets
        for index, members in enumerate(sets):
            self.nint[list(members), k.I_SET] = index
        cells = min(topology.traffic["keys"], WRITE_CELLS) if sets else 1
        self.rwrite = np.full((max(1, len(sets)), cells), -np.inf, dtype=np.float64)
        self.rring = np.zeros((max(1, len(sets)), WRITE_RING if sets else 1), dtype=np.float64)
        rows = topology.first_shard_row + len(topology.shard_groups)
        self.rmeta = np.zeros((rows, ring_width(topology)), dtype=np.int64)
        # The data each database holds (engine.simulation.backups): rows (keys) it should hold, rows a bad
        # write deleted and no restore brought back; each backup's newest snapshot time (NaN: none)
        self.data_rows = np.where(np.array(topology.kinds) == "database", float(topology.traffic["keys"]), 0.0)
        self.missing = np.zeros(n, dtype=np.float64)
        self.snapshot_t = np.full(n, np.nan)
        shards.layout(topology, self.nint, self.rmeta, self.data_rows)
        clients = topology.traffic["clients"] if keeps_clients(topology) else 1
        self.sess = np.full((clients, k.N_SESS), -1, dtype=np.int64)
        self.users = np.flatnonzero(self.nint[:, k.I_KIND] == k.K_USERS).astype(np.int64)
        self.nflt[:, k.F_NEXT] = np.inf
        self.nflt[:, k.F_RATE] = arrival_rates(topology, topology.traffic["rps"])
        for node, count in enumerate(instance_rows(topology)):
            self.add_rows(node, count - 1, topology.props[node]["instances"] - 1 if count > 1 else 0)
        self.link()
        self.layout(topology)
        self.schedule_arrivals(0.0)

    def add_rows(self, node: int, count: int, running: int, now: float = 0.0) -> list[int]:
        """Append `count` rows for more instances of `node`, copying its settings; the first
        `running` of them run at once, the others are off. Call link() and resize() after."""
        if count <= 0:
            return []
        first, n = node, len(self.row_node)
        added = list(range(n, n + count))
        self.row_node += [node] * count
        self.rows_of[node] += added
        for j, (source, target) in enumerate(list(self.kedges[: len(self.edge_doc)])):
            if self.edge_doc[j] != j:
                continue  # an extra edge; new pairs are made from the document's edges
            if source == node:
                pairs = [(row, target_row) for row in added for target_row in self.rows_of[target]]
            elif target == node:
                pairs = [(source_row, row) for source_row in self.rows_of[source] for row in added]
            else:
                continue
            self.kedges += pairs
            self.edge_doc += [j] * len(pairs)
        grown = len(self.kedges) - len(self.eint)
        copies = np.repeat(self.nint[first : first + 1], count, axis=0)
        copies[:, [k.I_BUSY, k.I_QLEN, k.I_QHEAD, k.I_RR, k.I_RR_WRITE, k.I_RR_JOB]] = 0
        copies[:, k.I_UP] = [1 if i < running else 0 for i in range(count)]
        self.nint = np.concatenate([self.nint, copies])
        float_copies = np.repeat(self.nflt[first : first + 1], count, axis=0)
        float_copies[:, k.F_LAST] = now
        float_copies[:, k.F_RATE] = 0.0
        self.nflt = np.concatenate([self.nflt, float_copies])
        self.nstat = np.concatenate([self.nstat, np.zeros((2, count, k.N_STAT))], axis=1)
        self.inst_s = np.concatenate([self.inst_s, np.zeros((2, count))], axis=1)
        self.row_state = np.concatenate([self.row_state, [RUNNING if i < running else OFF for i in range(count)]])
        self.eint = np.concatenate([self.eint, np.zeros((grown, k.N_EINT), dtype=np.int64)])
        self.eflt = np.concatenate([self.eflt, np.zeros((grown, k.N_EFLT))])
        self.eflow = np.concatenate([self.eflow, np.zeros((2, grown, k.N_CLASSES))], axis=1)
        for edge in range(len(self.eint) - grown, len(self.eint)):
            self.eint[edge, k.EI_HEALTHY] = int(self.row_state[self.kedges[edge][1]] == RUNNING)
            # An instance sits where its node does: same partition, same round trip.
            self.eint[edge, k.EI_CUT] = self.eint[self.edge_doc[edge], k.EI_CUT]
            self.eflt[edge, k.EF_RTT] = self.eflt[self.edge_doc[edge], k.EF_RTT]
        return added

    def link(self) -> None:
        """Successor ranges of every row over the kernel edges (edges grouped by source row)."""
        order = sorted(range(len(self.kedges)), key=lambda j: (self.kedges[j][0], j))
        self.succ = np.array(order, dtype=np.int64)
        self.edge_to = np.array([target for _, target in self.kedges], dtype=np.int64)
        sources = np.array([self.kedges[j][0] for j in order], dtype=np.int64)
        rows = np.arange(len(self.row_node))
        self.nint[:, k.I_SUCC0] = np.searchsorted(sources, rows, "left")
        self.nint[:, k.I_SUCC1] = np.searchsorted(sources, rows, "right")

    def layout(self, topology: Topology, min_slots: int = 0) -> None:
        """Size the request pool, the heap and the queues for the topology's props; the pool keeps
        at least min_slots slots, because live requests keep theirs when a server shrinks."""
        slots = max(capacity(topology, self.row_node), min_slots)
        self.req_i = np.zeros((slots, k.N_REQI), dtype=np.int64)
        self.req_f = np.zeros((slots, k.N_REQF), dtype=np.float64)
        self.free = np.arange(slots - 1, -1, -1, dtype=np.int64)
        self.scalars[k.SC_FREE_TOP] = slots
        heap = len(self.row_node) + slots
        self.heap = np.zeros((heap, 2), dtype=np.float64)
        limits = [topology.props[node].get("queue_limit", 0) for node in self.row_node]
        self.nint[:, k.I_QCAP] = limits
        self.nint[:, k.I_QOFF] = np.concatenate([[0], np.cumsum(limits)[:-1]]).astype(np.int64)
        self.qbuf = np.zeros(max(1, sum(limits)), dtype=np.int64)

    def call(self, kernel, *args):
        """Call a kernel of engine.kernels.entry with the state arrays it names, then `args`."""
        return kernel(*[getattr(self, name) for name in state_arrays(kernel)], *args)

    def serves(self, row: int) -> int:
        """1 if a load balancer checking the row finds it up and registered (running)."""
        return int(self.nint[row, k.I_UP] == 1 and self.row_state[row] == RUNNING)

    def count_instances(self, seconds: float) -> None:
        """Add `seconds` to every running or draining instance's time (cost and utilisation)."""
        alive = (self.row_state == RUNNING) | (self.row_state == DRAINING)
        self.inst_s += alive * seconds

    def schedule_arrivals(self, now: float) -> None:
        self.call(entry.schedule_arrivals, now)

    # Counted by the kernels into the slice ([0]) only; sync_totals adds them to the totals ([1]).
    COUNTED = ("nstat", "eflow", "gstat", "hist")

    def sync_totals(self) -> None:
        """Add to the totals what was counted into the slice since the last sync. Whatever reads a
        total calls it first (a report, the autoscaler), as do clear_slice and clear_totals."""
        for name in self.COUNTED:
            counted = getattr(self, name)
            synced = self.synced.get(name)
            if synced is None or synced.shape != counted[0].shape:
                # New instance rows and their edges start at zero.
                grown = np.zeros_like(counted[0])
                if synced is not None:
                    grown[: len(synced)] = synced
                synced = self.synced[name] = grown
            counted[1] += counted[0] - synced
            synced[...] = counted[0]

    def clear_slice(self) -> None:
        self.sync_totals()
        for name in self.COUNTED:
            getattr(self, name)[0] = 0.0
            self.synced[name][...] = 0.0
        self.inst_s[0] = 0.0

    def clear_totals(self) -> None:
        self.sync_totals()
        for name in self.COUNTED:
            getattr(self, name)[1] = 0.0
        self.inst_s[1] = 0.0

    def forget_sessions(self, node: int) -> int:
        """A node that held sessions died: every session on it is lost. Returns how many."""
        held = self.sess[:, k.SS_SESSION] == node
        lost = int(np.count_nonzero(held))
        self.sess[held, k.SS_SESSION] = -1
        self.gstat[0, k.G_SESSIONS_LOST] += lost
        return lost

    def resize_sessions(self, topology: Topology) -> None:
        """traffic.clients changed: keep the sessions of the clients that remain."""
        size = topology.traffic["clients"] if keeps_clients(topology) else 1
        sess = np.full((size, k.N_SESS), -1, dtype=np.int64)
        kept = min(size, len(self.sess))
        sess[:kept] = self.sess[:kept]
        self.sess = sess

    def end_story(self, req: int, node: int, cause: int, now: float) -> None:
        """A sampled request failed outside the kernels: its story ends at its hop at `node`."""
        row = int(self.req_i[req, k.RI_TRACE])
        if row < 0:
            return
        h = story.N_HEADER + story.HOP_WIDTH * (int(self.trace[row, story.TR_HOPS]) - 1)
        if h >= story.N_HEADER and self.trace[row, h + story.H_NODE] == node:
            self.trace[row, h + story.H_END] = now
            self.trace[row, h + story.H_OUTCOME] = cause
        self.trace[row, story.TR_CAUSE] = cause
        if np.isnan(self.trace[row, story.TR_ANSWERED]):
            self.trace[row, story.TR_LATENCY] = now - self.req_f[req, k.R_T0]
        self.trace[row, story.TR_END] = now
        self.trace[row, story.TR_STATE] = story.DONE

    def resize(self, topology: Topology, now: float = 0.0) -> int:
        """Re-size pool, heap and queues after a live change of workers or queue limits, keeping
        every live request. Requests beyond a lowered queue limit fail; returns how many."""
        old = {name: getattr(self, name) for name in ("req_i", "req_f", "free", "heap", "qbuf")}
        old_nint, old_slots = self.nint.copy(), len(old["req_i"])
        free_top, heap_size = int(self.scalars[k.SC_FREE_TOP]), int(self.scalars[k.SC_HEAP])
        self.layout(topology, min_slots=old_slots)
        slots = len(self.req_i)
        for name in ("req_i", "req_f"):
            getattr(self, name)[:old_slots] = old[name]
        self.heap[:heap_size] = old["heap"][:heap_size]
        self.scalars[k.SC_HEAP] = heap_size
        free = list(old["free"][:free_top]) + list(range(old_slots, slots))
        failed = 0
        for node in range(self.nint.shape[0]):
            head, cap, offset = old_nint[node, k.I_QHEAD], old_nint[node, k.I_QCAP], old_nint[node, k.I_QOFF]
            waiting = [old["qbuf"][offset + (head + i) % cap] for i in range(old_nint[node, k.I_QLEN])]
            kept = waiting[: self.nint[node, k.I_QCAP]]
            offset = self.nint[node, k.I_QOFF]
            self.qbuf[offset : offset + len(kept)] = kept
            self.nint[node, k.I_QHEAD] = 0
            self.nint[node, k.I_QLEN] = len(kept)
            for req in waiting[len(kept) :]:
                free.append(req)
                self.nstat[0, node, k.S_DROP] += 1.0
                self.nstat[0, node, k.S_CAUSE + k.FAIL_QUEUE_SHRUNK] += 1.0
                self.gstat[0, k.G_ERRORS] += 1.0
                self.end_story(req, node, k.FAIL_QUEUE_SHRUNK, now)
                failed += 1
        self.free[: len(free)] = free
        self.scalars[k.SC_FREE_TOP] = len(free)
        return failed
