"""The arrays one simulation carries between kernel calls, sized so that nothing grows in a run."""

import numpy as np

from engine import cache
from engine import kernel as k
from engine.rng import seeded_state
from engine.topology import (
    WRITE_CELLS,
    WRITE_RING,
    Topology,
    arrival_rates,
    cache_settings,
    capacity,
    configure_node,
    keeps_sessions,
    replica_sets,
    traffic_array,
)


class State:
    def __init__(self, topology: Topology, seed: int):
        n, edges = len(topology.ids), topology.edges
        self.nint = np.zeros((n, k.N_INT), dtype=np.int64)
        self.nflt = np.zeros((n, k.N_FLT), dtype=np.float64)
        self.nstat = np.zeros((2, n, k.N_STAT), dtype=np.float64)
        order = sorted(range(len(edges)), key=lambda j: (edges[j][0], j))
        self.succ = np.array(order, dtype=np.int64)
        self.edge_to = np.array([target for _, target in edges], dtype=np.int64)
        self.eint = np.ones((len(edges), k.N_EINT), dtype=np.int64)
        self.eflt = np.zeros(len(edges), dtype=np.float64)
        self.eflow = np.zeros((2, len(edges), k.N_CLASSES), dtype=np.float64)
        self.gstat = np.zeros((2, k.N_GSTAT), dtype=np.float64)
        self.hist = np.zeros((2, k.N_CLASSES, k.BINS), dtype=np.float64)
        self.scalars = np.zeros(k.N_SCALARS, dtype=np.int64)
        self.rng = seeded_state(seed)
        self.traffic = traffic_array(topology)
        caches = cache.layout(*cache_settings(topology), topology.traffic["keys"])
        self.cmeta, self.cint, self.cexp, self.ctab, self.ccount = caches
        for node, (kind, props) in enumerate(zip(topology.kinds, topology.props)):
            configure_node(self.nint, self.nflt, node, kind, props)
            self.nint[node, k.I_UP] = 1
            self.nflt[node, k.F_SLOW] = 1.0
            self.nint[node, k.I_ROLE] = k.ROLE_REPLICA if props.get("role") == "replica" else k.ROLE_PRIMARY
        self.nint[:, k.I_SET] = -1
        for source, target in edges:
            if topology.kinds[target] == "worker":
                self.nint[target, k.I_SOURCE] = source
        sets = replica_sets(topology)
        for index, members in enumerate(sets):
            self.nint[members, k.I_SET] = index
        cells = min(topology.traffic["keys"], WRITE_CELLS) if sets else 1
        self.rwrite = np.full((max(1, len(sets)), cells), -np.inf, dtype=np.float64)
        self.rring = np.zeros((max(1, len(sets)), WRITE_RING if sets else 1), dtype=np.float64)
        self.rmeta = np.zeros((max(1, len(sets)), 2), dtype=np.int64)
        self.sess = np.full(topology.traffic["clients"] if keeps_sessions(topology) else 1, -1, dtype=np.int64)
        sources = np.array([edges[j][0] for j in order], dtype=np.int64)
        self.nint[:, k.I_SUCC0] = np.searchsorted(sources, np.arange(n), "left")
        self.nint[:, k.I_SUCC1] = np.searchsorted(sources, np.arange(n), "right")
        self.nflt[:, k.F_RATE] = arrival_rates(topology, topology.traffic["rps"])
        self.layout(topology)
        self.schedule_arrivals(0.0)

    def layout(self, topology: Topology, min_slots: int = 0) -> None:
        """Size the request pool, the heap and the queues for the topology's props; the pool keeps
        at least min_slots slots, because live requests keep theirs when a server shrinks."""
        slots = max(capacity(topology), min_slots)
        self.req_i = np.zeros((slots, k.N_REQI), dtype=np.int64)
        self.req_f = np.zeros((slots, 2), dtype=np.float64)
        self.free = np.arange(slots - 1, -1, -1, dtype=np.int64)
        self.scalars[k.SC_FREE_TOP] = slots
        heap = len(topology.ids) + slots
        self.heap_t = np.zeros(heap, dtype=np.float64)
        self.heap_i = np.zeros((heap, 4), dtype=np.int64)
        limits = [p.get("queue_limit", 0) for p in topology.props]
        self.nint[:, k.I_QCAP] = limits
        self.nint[:, k.I_QOFF] = np.concatenate([[0], np.cumsum(limits)[:-1]]).astype(np.int64)
        self.qbuf = np.zeros(max(1, sum(limits)), dtype=np.int64)

    def arrays(self) -> tuple:
        """The state tuple in the order the kernels unpack it (see engine.kernel)."""
        return (
            self.nint, self.nflt, self.nstat, self.succ, self.edge_to, self.eint, self.eflt, self.eflow, self.gstat,
            self.hist, self.req_i, self.req_f, self.free, self.heap_t, self.heap_i, self.qbuf,
            self.scalars, self.rng, self.traffic, self.cmeta, self.cint, self.cexp, self.ctab, self.ccount,
            self.rwrite, self.rring, self.rmeta, self.sess,
        )  # fmt: skip

    def schedule_arrivals(self, now: float) -> None:
        k.schedule_arrivals(self.arrays(), now)

    def clear_slice(self) -> None:
        self.nstat[0] = 0.0
        self.eflow[0] = 0.0
        self.gstat[0] = 0.0
        self.hist[0] = 0.0

    def clear_totals(self) -> None:
        self.nstat[1] = 0.0
        self.eflow[1] = 0.0
        self.gstat[1] = 0.0
        self.hist[1] = 0.0

    def forget_sessions(self, node: int) -> int:
        """A node that held sessions died: every session on it is lost. Returns how many."""
        held = self.sess == node
        lost = int(np.count_nonzero(held))
        self.sess[held] = -1
        self.gstat[:, k.G_SESSIONS_LOST] += lost
        return lost

    def resize_sessions(self, topology: Topology) -> None:
        """traffic.clients changed: keep the sessions of the clients that remain."""
        size = topology.traffic["clients"] if keeps_sessions(topology) else 1
        sess = np.full(size, -1, dtype=np.int64)
        kept = min(size, len(self.sess))
        sess[:kept] = self.sess[:kept]
        self.sess = sess

    def resize(self, topology: Topology) -> int:
        """Re-size pool, heap and queues after a live change of workers or queue limits, keeping
        every live request. Requests beyond a lowered queue limit fail; returns how many."""
        old = {name: getattr(self, name) for name in ("req_i", "req_f", "free", "heap_t", "heap_i", "qbuf")}
        old_nint, old_slots = self.nint.copy(), len(old["req_i"])
        free_top, heap_size = int(self.scalars[k.SC_FREE_TOP]), int(self.scalars[k.SC_HEAP])
        self.layout(topology, min_slots=old_slots)
        slots = len(self.req_i)
        for name in ("req_i", "req_f"):
            getattr(self, name)[:old_slots] = old[name]
        for name in ("heap_t", "heap_i"):
            getattr(self, name)[:heap_size] = old[name][:heap_size]
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
                self.nstat[:, node, k.S_DROP] += 1.0
                self.gstat[:, k.G_ERRORS] += 1.0
                failed += 1
        self.free[: len(free)] = free
        self.scalars[k.SC_FREE_TOP] = len(free)
        return failed
