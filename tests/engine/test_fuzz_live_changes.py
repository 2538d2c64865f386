"""Fuzzing (Hypothesis) of live changes on running simulations: set, act, reset and replay.

From each lesson's document (every kind and feature the lessons teach), random sequences of steps,
prop changes (`Simulation.set`, any prop of the catalog, live or not, mostly sensible values),
live actions and resets (a new simulation of the document as changed so far, as the page's
reset does). The properties: a change either applies or is refused with a reason; a document
the engine accepted changes into loads again; and replaying the changes at their simulated times
on a fresh simulation of the same seed gives the same run (the live class takeover and a page's
reload rely on it). Every input runs under a hang guard (tests/engine/fuzzing.py).
"""

import json
from pathlib import Path

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

import engine
from engine.catalog.kinds import KINDS
from engine.catalog.traffic import TRAFFIC
from tests.engine.fuzzing import fuzz_settings, hang_guard
from tests.engine.reports import assert_same_run
from tests.engine.test_fuzz_engine import STEP_REQUESTS, actions, prop_values

LESSONS = sorted((Path(__file__).resolve().parents[2] / "lessons").glob("*.json"))
DOCUMENTS = [json.loads(path.read_text())["document"] for path in LESSONS]
SEQUENCES = 600


def changes(document: dict) -> st.SearchStrategy:
    """One prop of a node (or of the traffic) set to a mostly sensible value."""
    tables = {node["id"]: KINDS[node["kind"]].props for node in document["nodes"]} | {"traffic": TRAFFIC}
    tables = {target: table for target, table in tables.items() if table}
    target = st.sampled_from(sorted(tables))
    return target.flatmap(
        lambda t: st.sampled_from(sorted(tables[t])).flatmap(
            lambda name: st.builds(lambda value: ("set", t, {name: value}), prop_values(tables[t][name]))
        )
    )


def operations(document: dict) -> st.SearchStrategy:
    ids = [node["id"] for node in document["nodes"]] + ["nowhere"]
    step = st.sampled_from([0.05, 0.3, 1.0]).map(lambda seconds: ("step", seconds))
    act = actions(ids).map(lambda action: ("act", action))
    return st.lists(step | step | changes(document) | act | st.just(("reset",)), min_size=1, max_size=12)


def step(simulation: engine.Simulation, seconds: float) -> None:
    ceiling = simulation.arrival_ceiling()
    frame = simulation.step(min(seconds, STEP_REQUESTS / ceiling) if ceiling > 0 else seconds)
    json.dumps(frame, allow_nan=False)


def run_to(simulation: engine.Simulation, t: float) -> None:
    while t - simulation.t > 1e-9:
        simulation.step(min(600.0, t - simulation.t))


class LiveRun:
    """A simulation as the page drives it: the document at its last reset, the changes since
    (with their times), and the document as changed."""

    def __init__(self, document: dict, seed: int):
        self.seed = seed
        self.base = self.document = document
        self.log: list[tuple[float, tuple]] = []
        self.simulation = engine.Simulation(engine.load(document), seed=seed)

    def apply(self, operation: tuple) -> None:
        kind, simulation = operation[0], self.simulation
        if kind == "step":
            step(simulation, operation[1])
        elif kind == "reset":
            # Whatever the engine accepted must make a document that loads again.
            self.base, self.log = self.document, []
            self.simulation = engine.Simulation(engine.load(self.document), seed=self.seed)
            event("reset")
        else:
            try:
                if kind == "act":
                    simulation.act(operation[1])
                else:
                    simulation.set(operation[1], operation[2])
                    self.document = engine.patch_document(self.document, operation[1], operation[2])
            except (engine.ActionError, engine.TopologyError) as exc:
                assert str(exc).strip()
                event(f"{kind} refused")
                return
            self.log.append((simulation.t, operation))
            event(f"{kind} applied")

    def replayed(self) -> engine.Simulation:
        """A fresh simulation of the base document with the same changes at the same times."""
        simulation = engine.Simulation(engine.load(self.base), seed=self.seed)
        for t, operation in self.log:
            run_to(simulation, t)
            if operation[0] == "act":
                simulation.act(operation[1])
            else:
                simulation.set(operation[1], operation[2])
        run_to(simulation, self.simulation.t)
        return simulation


class TestLiveChangesFuzz:
    @fuzz_settings(SEQUENCES)
    @given(lesson=st.sampled_from(range(len(DOCUMENTS))), data=st.data(), seed=st.integers(0, 2**63 - 1))
    def test_any_sequence_of_changes_applies_or_is_refused_and_replays_the_same(self, lesson, data, seed):
        document = DOCUMENTS[lesson]
        with hang_guard():
            run = LiveRun(document, seed)
            for operation in data.draw(operations(document)):
                run.apply(operation)
            step(run.simulation, 0.3)
            replayed = run.replayed()
            assert replayed.t == pytest.approx(run.simulation.t, abs=1e-9)
            assert_same_run(run.simulation.report(1.0), replayed.report(1.0))
