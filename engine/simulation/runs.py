"""Whole runs: one, measured after a warm-up, as the report of SPEC; or the same on N seeds, each
figure with its 95% confidence interval."""

from engine.model.topology import Topology, load
from engine.readouts.statistics import MAX_REPLICATIONS, summarize
from engine.simulation.simulation import MAX_STEP_S, MIN_SLICE, Simulation


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


def advance_in_chunks(simulation: Simulation, seconds: float) -> None:
    end = simulation.t + seconds
    while end - simulation.t > MIN_SLICE:
        simulation.step(min(MAX_STEP_S, end - simulation.t))


def replicate(doc_or_topology: dict | Topology, duration_s: float, replications: int, seed: int = 0,
              warmup_s: float = 0) -> dict:  # fmt: skip
    """Run on seeds seed, seed + 1, ...; the report of SPEC with {"mean", "low", "high"} for each figure."""
    if not 1 <= replications <= MAX_REPLICATIONS:
        raise ValueError(f"replications must be from 1 to {MAX_REPLICATIONS}.")
    topology = doc_or_topology if isinstance(doc_or_topology, Topology) else load(doc_or_topology)
    reports = [run(topology, duration_s, seed=seed + i, warmup_s=warmup_s) for i in range(replications)]
    return {"replications": replications, "seeds": [seed, seed + replications - 1], **summarize(reports)}
