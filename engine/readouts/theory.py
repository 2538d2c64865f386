"""What textbook theory predicts for a node, to show beside what the simulation measured.

Only where a closed form exists and the node fits its assumptions, and the answer says which
model it is so the page can name it:

- a web server with one instance and exponential service is an M/M/c queue (Kleinrock, Queueing
  Systems vol. 1, 3.5: Erlang C); with constant service and one worker, M/D/1 (Pollaczek-
  Khinchine). The arrival rate is the one measured at the node: the model assumes those arrivals
  are Poisson, which holds for users sending straight to it and roughly behind a balancer.
- a cache whose TTL expires almost nothing (none, or ten times the time a key stays anyway):
  LRU by Che's approximation (Che, Tung and Wang, IEEE JSAC 20(7), 2002), FIFO by Martina,
  Garetto and Leonardi (INFOCOM 2014), LFU as the top C keys' share (Breslau et al., INFOCOM
  1999), over the traffic's Zipf popularity. The models count reads only: writes that
  delete keys (cache-aside) make the measured ratio somewhat lower, and that gap is the lesson.

tests/engine/test_theory.py and tests/engine/test_cache.py check the engine against these.
"""

from functools import lru_cache

import numpy as np

from engine.kernels import layout as k
from engine.model.state import State
from engine.model.topology import Topology


def erlang_c(workers: int, offered: float) -> float:
    """The probability that an arrival waits in M/M/c with offered load a = lambda / mu < c."""
    # The terms a^n / n!, built up one at a time, stay finite where factorials would overflow.
    term, head = 1.0, 0.0
    for n in range(workers):
        head += term
        term *= offered / (n + 1)
    tail = term / (1 - offered / workers)
    return tail / (head + tail)


def queue_wait_s(workers: int, service_s: float, arrivals_per_s: float, constant: bool) -> float | None:
    """The mean time a request waits for a worker; None where the queue grows without end (rho >= 1)."""
    offered = arrivals_per_s * service_s
    if offered >= workers:
        return None
    if constant:  # M/D/1
        return offered * service_s / (2 * (1 - offered))
    return erlang_c(workers, offered) * service_s / (workers - offered)


def popularity(keys: int, exponent: float) -> np.ndarray:
    """Each key's share of the requests: Zipf with this exponent over keys 1..keys."""
    weights = np.arange(1, keys + 1, dtype=np.float64) ** -exponent
    return weights / weights.sum()


def characteristic_time(occupancy, capacity: float) -> float:
    """The T at which the expected number of keys held, occupancy(T), equals the capacity (bisection)."""
    low, high = 0.0, 1.0
    while occupancy(high) < capacity:
        high *= 2
    for _ in range(100):
        middle = (low + high) / 2
        low, high = (middle, high) if occupancy(middle) < capacity else (low, middle)
    return (low + high) / 2


def che_lru_hit_ratio(p: np.ndarray, capacity: int) -> float:
    t = characteristic_time(lambda t: np.sum(1 - np.exp(-p * t)), capacity)
    return float(np.sum(p * (1 - np.exp(-p * t))))


def fifo_hit_ratio(p: np.ndarray, capacity: int) -> float:
    t = characteristic_time(lambda t: np.sum(p * t / (1 + p * t)), capacity)
    return float(np.sum(p * (p * t / (1 + p * t))))


def lfu_hit_ratio(p: np.ndarray, capacity: int) -> float:
    """Perfect LFU keeps the most popular keys; one place churns among the rest."""
    return float(np.sort(p)[::-1][: max(0, capacity - 1)].sum())


@lru_cache(maxsize=64)
def cache_model(policy: str, keys: int, exponent: float, capacity: int) -> tuple[float, float]:
    """(hit ratio, LRU's characteristic time in requests), memoised: it depends on props and
    traffic only, and a large key space costs a few ms."""
    if capacity >= keys:
        return 1.0, float("inf")
    p = popularity(keys, exponent)
    ratio = {"lru": che_lru_hit_ratio, "fifo": fifo_hit_ratio, "lfu": lfu_hit_ratio}[policy](p, capacity)
    return ratio, characteristic_time(lambda t: np.sum(1 - np.exp(-p * t)), capacity)


# A TTL this many times the time a key stays anyway (the characteristic time) expires almost
# nothing, so the models without TTL still hold; a shorter one gets no theory.
TTL_MARGIN = 10.0
# A popularity vector of this many keys is 16 MB; a bigger key space gets no theory, not a stall.
MAX_THEORY_KEYS = 2_000_000
MODELS = {"lru": "Che (LRU)", "fifo": "Martina et al. (FIFO)", "lfu": "top keys (LFU)"}


class Theory:
    """The theory for each node of a topology that fits a model, given what was measured."""

    def __init__(self, topology: Topology):
        self.topology = topology

    def for_node(self, state: State, node: int, arrivals_per_s: float) -> dict | None:
        kind, props = self.topology.kinds[node], self.topology.props[node]
        if kind == "web_server":
            return self.queue(state, node, props, arrivals_per_s)
        if kind == "cache":
            return self.cache(state, props, arrivals_per_s)
        return None

    def queue(self, state: State, node: int, props: dict, arrivals_per_s: float) -> dict | None:
        if len(state.rows_of[node]) > 1 or arrivals_per_s <= 0:
            return None
        workers = int(state.nint[node, k.I_WORKERS])
        dist = int(state.nint[node, k.I_DIST])
        constant = dist == k.D_CONST
        if not (dist == k.D_EXP or (constant and workers == 1)):
            return None
        service_s = float(state.nflt[node, k.F_MEAN] * state.nflt[node, k.F_SLOW])
        wait = queue_wait_s(workers, service_s, arrivals_per_s, constant)
        model = "M/D/1" if constant else f"M/M/{workers}"
        utilisation = arrivals_per_s * service_s / workers
        return {"model": model, "wait_ms": None if wait is None else round(1000 * wait, 3),
                "util": round(min(utilisation, 1.0), 4)}  # fmt: skip

    def cache(self, state: State, props: dict, lookups_per_s: float) -> dict | None:
        if state.traffic[k.T_HOT_SHARE] > 0:
            return None  # a hot key is outside these models
        keys, exponent = int(state.traffic[k.T_KEYS]), float(state.traffic[k.T_ZIPF])
        if not 0 < keys <= MAX_THEORY_KEYS or lookups_per_s <= 0:
            return None
        policy = props["policy"]
        ratio, stays = cache_model(policy, keys, exponent, int(props["capacity_keys"]))
        ttl = props.get("ttl_s", 0)
        if ttl and ttl * lookups_per_s < TTL_MARGIN * stays:
            return None
        return {"model": MODELS[policy], "hit_ratio": round(ratio, 4)}
