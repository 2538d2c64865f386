"""Caches: the kernel's eviction against slow references, and hit ratios against theory.

Sources:
- LRU: Che, Tung and Wang, "Hierarchical Web caching systems: modeling, design and experimental
  results", IEEE JSAC 20(7), 2002: under independent requests with probabilities p_i, a key stays
  in an LRU cache of C keys for a characteristic time T (in requests) solving
  sum_i (1 - exp(-p_i T)) = C, and the hit ratio is sum_i p_i (1 - exp(-p_i T)).
- FIFO: Martina, Garetto and Leonardi, "A unified approach to the performance analysis of caching
  systems", INFOCOM 2014: the same with 1 - exp(-p_i T) replaced by p_i T / (1 + p_i T).
- TTL without reset on hits (Fofack, Nain, Neglia and Towsley, "Performance evaluation of
  hierarchical TTL-based cache networks", Computer Networks 65, 2014): a key requested at rate
  lambda_i hits with probability lambda_i T / (1 + lambda_i T).
- Perfect LFU (counts kept for every key, Breslau, Cao, Fan, Phillips and Shenker, "Web caching
  and Zipf-like distributions", INFOCOM 1999) with popularities fixed in time keeps the most
  popular keys: the hit ratio tends to the sum of the top C - 1 probabilities (one place churns).
"""

import json
from collections import OrderedDict

import numpy as np
import pytest

import engine
from engine.kernels import cache
from engine.readouts.theory import che_lru_hit_ratio, fifo_hit_ratio, popularity
from tests.engine.documents import cached

# The data structure against slow references


class Reference:
    """An obvious cache: a dict of key -> [expiry, uses, tick], evicting by the policy's rule."""

    def __init__(self, capacity: int, policy: str, ttl: float):
        self.capacity, self.policy, self.ttl = capacity, policy, ttl
        self.entries: OrderedDict[int, list] = OrderedDict()
        self.counts: dict[int, int] = {}
        self.tick = 0

    def get(self, key: int, now: float) -> bool:
        self.counts[key] = self.counts.get(key, 0) + 1
        if key not in self.entries:
            return False
        if self.ttl > 0 and self.entries[key][0] <= now:
            del self.entries[key]
            return False
        self.tick += self.policy == "lfu"
        entry = self.entries[key]
        entry[1], entry[2] = self.counts[key], self.tick
        if self.policy == "lru":
            self.entries.move_to_end(key)
        return True

    def put(self, key: int, now: float) -> None:
        if len(self.entries) == self.capacity:
            if self.policy == "lfu":
                victim = min(self.entries, key=lambda k: (self.entries[k][1], self.entries[k][2]))
                del self.entries[victim]
            else:
                self.entries.popitem(last=False)
        self.tick += self.policy == "lfu"
        self.entries[key] = [now + self.ttl, self.counts[key], self.tick]

    def drop(self, key: int) -> None:
        self.entries.pop(key, None)


@pytest.mark.parametrize("policy", ["lru", "lfu", "fifo"])
@pytest.mark.parametrize("ttl", [0.0, 0.5])
def test_it_evicts_exactly_as_the_reference(policy, ttl):
    capacity, keys, steps = 37, 120, 6000
    generator = np.random.default_rng(42)
    draws = generator.choice(keys, size=steps, p=popularity(keys, 0.9))
    writes = generator.random(steps) < 0.1
    times = np.cumsum(generator.exponential(0.01, steps))
    codes = {"lru": cache.P_LRU, "lfu": cache.P_LFU, "fifo": cache.P_FIFO}
    arrays = cache.layout([0, capacity], [0, codes[policy]], keys)
    cmeta, cint, cexp, ctab, ccount = arrays
    reference = Reference(capacity, policy, ttl)
    hits = 0
    for key, write, now in zip(draws.tolist(), writes.tolist(), times.tolist()):
        if write:
            assert cache.drop(cmeta, cint, ctab, 1, key) == (key in reference.entries)
            reference.drop(key)
            continue
        hit = cache.get(*arrays, 1, key, now, ttl)
        assert hit == reference.get(key, now)
        if not hit:
            cache.put(*arrays, 1, key, now, ttl)
            reference.put(key, now)
        assert cmeta[1, cache.CM_SIZE] == len(reference.entries)
        hits += hit
    assert 0 < hits < steps
    table = ctab[cmeta[1, cache.CM_TOFF] : cmeta[1, cache.CM_TOFF] + cmeta[1, cache.CM_TMASK] + 1]
    assert {int(cint[entry - 1, cache.CI_KEY]) for entry in table if entry > 0} == set(reference.entries)


def test_clearing_empties_the_cache():
    arrays = cache.layout([5], [cache.P_LFU], 10)
    for key in range(5):
        cache.get(*arrays, 0, key, 0.0, 0.0)
        cache.put(*arrays, 0, key, 0.0, 0.0)
    cmeta, cint, _, ctab, ccount = arrays
    cache.clear(cmeta, cint, ctab, ccount, 0)
    assert not any(cache.get(*arrays, 0, key, 1.0, 0.0) for key in range(5))
    assert cmeta[0, cache.CM_SIZE] == 0
    # One lookup each since the clear: the counts from before were forgotten.
    assert ccount[:5].tolist() == [1] * 5


# Hit ratios of whole runs against theory


def hit_ratio(doc: dict, duration: float, warmup: float, seed: int = 1) -> float:
    return engine.run(doc, duration, seed=seed, warmup_s=warmup)["nodes"]["cache"]["hit_ratio"]


class TestHitRatio:
    KEYS, EXPONENT, CAPACITY = 5000, 0.8, 250

    def test_lru_matches_ches_approximation(self):
        doc = cached(rps=20_000, keys=self.KEYS, zipf=self.EXPONENT, capacity=self.CAPACITY, policy="lru")
        expected = che_lru_hit_ratio(popularity(self.KEYS, self.EXPONENT), self.CAPACITY)
        assert hit_ratio(doc, 60, 5) == pytest.approx(expected, abs=0.02)

    def test_fifo_matches_its_approximation_and_trails_lru(self):
        doc = cached(rps=20_000, keys=self.KEYS, zipf=self.EXPONENT, capacity=self.CAPACITY, policy="fifo")
        p = popularity(self.KEYS, self.EXPONENT)
        measured = hit_ratio(doc, 60, 5)
        assert measured == pytest.approx(fifo_hit_ratio(p, self.CAPACITY), abs=0.02)
        assert measured < che_lru_hit_ratio(p, self.CAPACITY)

    def test_lfu_comes_near_the_top_keys_popularity(self):
        doc = cached(rps=20_000, keys=self.KEYS, zipf=self.EXPONENT, capacity=self.CAPACITY, policy="lfu")
        top = float(np.sum(popularity(self.KEYS, self.EXPONENT)[: self.CAPACITY - 1]))
        assert hit_ratio(doc, 60, 5) == pytest.approx(top, abs=0.01)

    def test_ttl_expiry_matches_the_renewal_formula(self):
        keys, exponent, rps, ttl = 2000, 0.8, 2000.0, 1.0
        doc = cached(rps=rps, keys=keys, zipf=exponent, capacity=keys, ttl_s=ttl)
        p = popularity(keys, exponent)
        expected = float(np.sum(p * (rps * p * ttl / (1 + rps * p * ttl))))
        assert hit_ratio(doc, 200, 5) == pytest.approx(expected, abs=0.01)

    def test_writes_invalidate_so_a_read_hits_only_after_a_read(self):
        # With room for every key, a read hits exactly when the key's previous request was a read.
        doc = cached(rps=5000, keys=50, zipf=0.0, capacity=50, read_ratio=0.7)
        assert hit_ratio(doc, 30, 2) == pytest.approx(0.7, abs=0.01)

    def test_write_through_keeps_written_keys_so_every_read_hits(self):
        # The same traffic: a write now leaves the new value in the cache instead of a hole.
        doc = cached(rps=5000, keys=50, zipf=0.0, capacity=50, read_ratio=0.7, write_policy="write_through")
        assert hit_ratio(doc, 30, 2) > 0.995

    def test_write_through_still_evicts_when_the_cache_is_small(self):
        # Writes fill too, so a small cache holds the most requested keys of reads and writes alike.
        invalidating = hit_ratio(cached(rps=20_000, keys=5000, zipf=0.8, capacity=250, read_ratio=0.7), 30, 2)
        writing = hit_ratio(cached(rps=20_000, keys=5000, zipf=0.8, capacity=250, read_ratio=0.7,
                                   write_policy="write_through"), 30, 2)  # fmt: skip
        expected = che_lru_hit_ratio(popularity(5000, 0.8), 250)  # every request now touches the cache
        assert writing == pytest.approx(expected, abs=0.02)
        assert writing > invalidating


class TestCacheAside:
    def test_misses_go_to_the_database_and_hits_do_not(self):
        simulation = engine.Simulation(engine.load(cached(rps=2000, capacity=100, read_ratio=0.8)), seed=3)
        simulation.step(5.0)
        frame = simulation.step(5.0)
        flows = {(e["from"], e["to"]): e["flows"] for e in frame["edges"]}
        ratio = frame["nodes"]["cache"]["hit_ratio"]
        assert 0.2 < ratio < 0.9
        assert frame["totals"]["hit_ratio"] == ratio
        assert flows[("web", "cache")]["write"] == 0
        assert flows[("web", "db")]["read"] == pytest.approx(flows[("web", "cache")]["read"] * (1 - ratio), rel=0.01)
        assert flows[("web", "db")]["write"] == pytest.approx(400, rel=0.15)

    def test_a_killed_cache_sends_every_read_to_the_database_and_comes_back_cold(self):
        simulation = engine.Simulation(engine.load(cached(rps=2000, capacity=500)), seed=4)
        warm = [simulation.step(1.0) for _ in range(5)][-1]
        simulation.act({"action": "kill", "target": "cache"})
        simulation.step(0.5)
        dead = simulation.step(1.0)
        simulation.act({"action": "revive", "target": "cache"})
        cold = simulation.step(0.05)
        assert dead["nodes"]["cache"]["arrivals_rps"] == 0
        assert dead["nodes"]["db"]["arrivals_rps"] == pytest.approx(dead["totals"]["offered_rps"], rel=0.02)
        assert dead["totals"]["error_rate"] == 0
        assert cold["nodes"]["cache"]["hit_ratio"] < warm["nodes"]["cache"]["hit_ratio"] / 2

    def test_the_same_seed_gives_the_same_frames(self):
        def scripted() -> str:
            simulation = engine.Simulation(engine.load(cached(rps=3000, policy="lfu", read_ratio=0.9)), seed=7)
            frames = [simulation.step(0.5) for _ in range(4)]
            simulation.act({"action": "kill", "target": "cache"})
            frames += [simulation.step(0.5)]
            simulation.act({"action": "revive", "target": "cache"})
            return json.dumps(frames + [simulation.step(0.5) for _ in range(4)])

        assert scripted() == scripted()

    def test_the_report_gives_each_caches_hit_ratio(self):
        report = engine.run(cached(rps=500), 10, seed=5)
        assert 0 < report["nodes"]["cache"]["hit_ratio"] < 1
        assert report["nodes"]["db"]["hit_ratio"] is None

    def test_it_refuses_a_cache_that_sends_requests(self):
        doc = cached()
        doc["edges"].append({"from": "cache", "to": "db"})
        with pytest.raises(engine.TopologyError) as caught:
            engine.load(doc)
        assert "cannot send requests" in caught.value.problems[0]["message"]

    def test_the_ttl_can_change_while_running(self):
        simulation = engine.Simulation(engine.load(cached(rps=2000, capacity=1000, ttl_s=0.0)), seed=6)
        simulation.step(3.0)
        simulation.set("cache", {"ttl_s": 0.01})
        simulation.step(1.0)
        assert simulation.step(2.0)["nodes"]["cache"]["hit_ratio"] < 0.3
        with pytest.raises(engine.TopologyError, match="cannot change while running"):
            simulation.set("cache", {"capacity_keys": 5})
