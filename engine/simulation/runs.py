"""Whole runs: one, measured after a warm-up, as the report of SPEC; or the same on N seeds, each
figure with its 95% confidence interval."""

from engine.model.topology import Topology, load
from engine.readouts.statistics import MAX_REPLICATIONS, summarize
from engine.simulation.simulation import MAX_STEP_S, MAX_STORIES, MIN_SLICE, Simulation

# The most stories `stories` tells
MAX_TRACE = 10_000
# Its frames: short enough that a story's sample spreads over the run
TRACE_STEP_S = 0.1


def run(doc_or_topology: dict | Topology, duration_s: float, seed: int = 0, warmup_s: float = 0) -> dict:
    """A whole run, measured after the warm-up, as the JSON-ready report of SPEC."""
    if not 0 < duration_s <= 86_400 or not 0 <= warmup_s <= 86_400:
        raise ValueError("duration_s must be from 0 to 86400 seconds (and above 0); warmup_s from 0 to 86400.")
    topology = doc_or_topology if isinstance(doc_or_topology, Topology) else load(doc_or_topology)
    simulation = Simulation(topology, seed)
    if warmup_s > 0:
        advance_in_chunks(simulation, warmup_s)
    simulation.measure_from_now()
    advance_in_chunks(simulation, duration_s)
    return simulation.report(duration_s)


def advance_in_chunks(simulation: Simulation, seconds: float, chunk_s: float = MAX_STEP_S) -> None:
    end = simulation.t + seconds
    while end - simulation.t > MIN_SLICE:
        simulation.step(min(chunk_s, end - simulation.t))


def replicate(doc_or_topology: dict | Topology, duration_s: float, replications: int, seed: int = 0,
              warmup_s: float = 0) -> dict:  # fmt: skip
    """Run on seeds seed, seed + 1, ...; the report of SPEC with {"mean", "low", "high"} for each figure."""
    if not 1 <= replications <= MAX_REPLICATIONS:
        raise ValueError(f"replications must be from 1 to {MAX_REPLICATIONS}.")
    topology = doc_or_topology if isinstance(doc_or_topology, Topology) else load(doc_or_topology)
    reports = [run(topology, duration_s, seed=seed + i, warmup_s=warmup_s) for i in range(replications)]
    return {"replications": replications, "seeds": [seed, seed + replications - 1], **summarize(reports)}


def stories(doc_or_topology: dict | Topology, duration_s: float, count: int, seed: int = 0,
            warmup_s: float = 0) -> list[dict]:  # fmt: skip
    """The first `count` stories of sampled requests told after the warm-up (docs/protocol.md,
    Frames: `stories`), within duration_s; fewer if the run sends fewer."""
    if not 1 <= count <= MAX_TRACE or not 0 < duration_s <= 86_400 or not 0 <= warmup_s <= 86_400:
        raise ValueError(
            f"count must be from 1 to {MAX_TRACE}; duration_s from 0 to 86400 (above 0); warmup_s 0 to 86400."
        )
    topology = doc_or_topology if isinstance(doc_or_topology, Topology) else load(doc_or_topology)
    simulation = Simulation(topology, seed, stories=min(count, MAX_STORIES))
    if warmup_s > 0:
        advance_in_chunks(simulation, warmup_s, TRACE_STEP_S)
    told: list[dict] = []
    end = simulation.t + duration_s
    while len(told) < count and end - simulation.t > MIN_SLICE:
        told += simulation.step(min(TRACE_STEP_S, end - simulation.t))["stories"]
    return told[:count]
