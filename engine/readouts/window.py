"""The headline numbers over the last few simulated seconds, not over one frame.

A frame at speed 1 covers a tenth of a second: at 200 requests a second that is about 20
requests, and their p99 is whichever one was slowest, so a frame's own numbers jump (throughput
140 to 280, p99 36 to 131 ms within seconds). A class cannot read such numbers. The window keeps
the counts and latency histograms of the newest frames that together cover WINDOW_S (at least the
newest frame, which at high speed alone covers more) and reports them as one measurement.
"""

from collections import deque

import numpy as np

from engine.kernels import layout as k
from engine.model.state import State
from engine.model.topology import Topology
from engine.readouts.frames import of_kind, percentile_ms, rounded
from engine.readouts.theory import Theory

WINDOW_S = 5.0


# Per node and frame, the counters the node's windowed numbers and its theory need.
NODE_STATS = [k.S_ARR, k.S_WAIT, k.S_STARTED, k.S_HIT, k.S_MISS]


class Window:
    def __init__(self, topology: Topology, seconds: float = WINDOW_S):
        self.seconds = seconds
        self.topology = topology
        self.caches = of_kind(topology, "cache")
        self.cdns = of_kind(topology, "cdn")
        # The nodes a textbook model may fit (engine.readouts.theory): web servers and caches.
        self.modelled = of_kind(topology, "web_server") + self.caches
        self.theory = Theory(topology)
        # Per frame: (dt, [offered, completed, errors, cache hits, misses, CDN hits, misses], histogram,
        # NODE_STATS of each modelled node).
        self.frames: deque[tuple[float, np.ndarray, np.ndarray, np.ndarray]] = deque()
        self.covered = 0.0

    def add(self, state: State, dt: float) -> dict:
        """Count the slice just simulated (before the state clears it) and return the window's numbers."""
        gstat = state.gstat[0]
        caches = state.nstat[0, self.caches].sum(axis=0)
        cdns = state.nstat[0, self.cdns].sum(axis=0)
        counts = np.array([gstat[k.G_OFFERED], gstat[k.G_COMPLETED], gstat[k.G_ERRORS],
                           caches[k.S_HIT], caches[k.S_MISS], cdns[k.S_HIT], cdns[k.S_MISS]])  # fmt: skip
        nodes = np.array([state.nstat[0, state.rows_of[node]][:, NODE_STATS].sum(axis=0) for node in self.modelled])
        self.frames.append((dt, counts, state.hist[0].sum(axis=0), nodes.reshape(len(self.modelled), len(NODE_STATS))))
        self.covered += dt
        while len(self.frames) > 1 and self.covered - self.frames[0][0] >= self.seconds - 1e-9:
            self.covered -= self.frames.popleft()[0]
        return {**self.numbers(), "nodes": self.node_numbers(state)}

    def node_numbers(self, state: State) -> dict:
        """Each modelled node's measured wait or hit ratio over the window, with the theory's value
        where a model fits (no "theory" key where none does)."""
        counts = sum(frame[3] for frame in self.frames)
        out = {}
        for row, node in zip(counts, self.modelled, strict=True):
            arrivals, wait, started, hits, misses = row
            rate = arrivals / self.covered
            measured = ({"hit_ratio": rounded(share(hits, misses), 4)} if self.topology.kinds[node] == "cache"
                        else {"wait_ms": rounded(1000 * wait / started) if started else None})  # fmt: skip
            theory = self.theory.for_node(state, node, rate)
            out[self.topology.ids[node]] = {"arrivals_rps": rounded(rate), **measured,
                                            **({"theory": theory} if theory else {})}  # fmt: skip
        return out

    def numbers(self) -> dict:
        counts = sum(frame[1] for frame in self.frames)
        hist = sum(frame[2] for frame in self.frames)
        offered, completed, errors = counts[0], counts[1], counts[2]
        return {
            "s": round(self.covered, 6),
            "rps": rounded(completed / self.covered),
            "errors_rps": rounded(errors / self.covered),
            "error_rate": rounded(errors / offered, 4) if offered else 0.0,
            "p50": rounded(percentile_ms(hist, 0.50)),
            "p95": rounded(percentile_ms(hist, 0.95)),
            "p99": rounded(percentile_ms(hist, 0.99)),
            "hit_ratio": rounded(share(counts[3], counts[4]), 4),
            "cdn_hit_ratio": rounded(share(counts[5], counts[6]), 4),
        }


def share(hits: float, misses: float) -> float | None:
    """Hits over lookups; None with no lookups (nothing to say, not 0%)."""
    return float(hits / (hits + misses)) if hits + misses else None
