"""Property-based fuzzing (Hypothesis) of engine.load, engine.analyze, Simulation.act and .step.

Documents are drawn from the catalog, so every kind, prop and action the engine knows is fuzzed,
including ones added later: mostly sensible values (so that many documents load and run), with
values at and past every range's ends, wrong types and broken edges mixed in. The property: a
document either loads, analyses and runs (its frames are plain JSON), or is refused with every
problem stated; a live action either applies or is refused with a reason. Never another exception.
"""

import json

from hypothesis import event, given
from hypothesis import strategies as st

import engine
from engine.catalog.actions import ACTIONS
from engine.catalog.kinds import ALLOWED_TARGETS, KINDS
from engine.catalog.traffic import TRAFFIC
from tests.engine.fuzzing import fuzz_settings, hang_guard

DOCUMENTS = 1_500
NOT_DOCUMENTS = 2_000
SIMULATED = sorted(name for name, kind in KINDS.items() if kind.simulated)
# The most arrivals a fuzzed step simulates: enough to exercise every path, cheap enough for CI.
STEP_REQUESTS = 2_000
ODD_VALUES = st.one_of(st.none(), st.booleans(), st.text(max_size=8), st.just(-1), st.just(1e308), st.just([]))


def prop_values(prop) -> st.SearchStrategy:
    """Mostly valid values of one catalog prop, sometimes out of range or of the wrong type."""
    if prop.type == "choice":
        valid = st.sampled_from(prop.choices)
    elif prop.type == "str":
        valid = st.text(max_size=prop.max_length)
    elif prop.type == "int":
        valid = st.integers(int(prop.min), int(min(prop.max, max(prop.min, 64))))
    else:
        upper = min(prop.max, max(prop.min, 100.0))
        valid = st.floats(prop.min, upper, allow_nan=False) | st.sampled_from([prop.min, prop.max])
    wrong = ODD_VALUES
    if prop.type in ("int", "float"):
        wrong = wrong | st.sampled_from([prop.min - 1, prop.max * 2 + 1, float("inf")])
    # One prop in forty is wrong: a document has many props, and most documents should load and run.
    return st.integers(0, 39).flatmap(lambda dice: wrong if dice == 17 else valid)


def props_of(table: dict) -> st.SearchStrategy:
    names = sorted(table)
    return st.lists(st.sampled_from(names), max_size=len(names), unique=True).flatmap(
        lambda chosen: st.fixed_dictionaries({name: prop_values(table[name]) for name in chosen})
    )


@st.composite
def documents(draw) -> dict:
    # Users and something for them to reach first; then anything.
    kinds = ["users", "web_server"] + draw(st.lists(st.sampled_from(SIMULATED), max_size=10))
    nodes = [
        {"id": f"n{i}", "kind": kind, "x": i * 100, "y": 0, "props": draw(props_of(KINDS[kind].props))}
        for i, kind in enumerate(kinds)
    ]
    edges = []
    for i, node in enumerate(nodes):
        allowed = [j for j, other in enumerate(nodes)
                   if j != i and other["kind"] in ALLOWED_TARGETS.get(node["kind"], ())]  # fmt: skip
        chosen = draw(st.lists(st.sampled_from(allowed), max_size=3, unique=True)) if allowed else []
        for j in [1] if i == 0 else chosen:
            edges.append({"from": node["id"], "to": nodes[j]["id"]})
    # Hypothesis favours small numbers, so the rare case is a number from the middle.
    if draw(st.integers(0, 19)) == 13:  # now and then an edge the engine does not allow
        edges.append({"from": draw(st.sampled_from(nodes))["id"], "to": draw(st.sampled_from(nodes))["id"]})
    scenario = draw(st.lists(actions([node["id"] for node in nodes[1:]], with_time=True), max_size=4))
    return {"version": 1, "title": "fuzz", "traffic": draw(props_of(TRAFFIC)), "nodes": nodes, "edges": edges,
            "scenario": scenario}  # fmt: skip


def actions(ids: list[str], with_time: bool = False) -> st.SearchStrategy:
    def build(name: str) -> st.SearchStrategy:
        spec = ACTIONS[name]
        fields = {"action": st.just(name), **{param: prop_values(prop) for param, prop in spec.params.items()}}
        if spec.needs_target:
            fields["target"] = st.sampled_from(ids)
        if with_time:
            fields["at"] = st.floats(0, 3, allow_nan=False)
        return st.fixed_dictionaries(fields)

    return st.sampled_from(sorted(ACTIONS)).flatmap(build)


def containers(inner: st.SearchStrategy) -> st.SearchStrategy:
    return st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)


def assert_stated(problems: list) -> None:
    assert problems, "a refusal must list its problems"
    for problem in problems:
        assert isinstance(problem["path"], str)
        assert isinstance(problem["message"], str) and problem["message"].strip()


class TestEngineFuzz:
    @fuzz_settings(DOCUMENTS)
    @given(document=documents(), live=st.data(), seed=st.integers(0, 2**63 - 1))
    def test_a_document_loads_and_runs_or_is_refused_with_its_problems(self, document, live, seed):
        with hang_guard():
            self.load_and_run(document, live, seed)

    def load_and_run(self, document, live, seed):
        try:
            topology = engine.load(document)
        except engine.TopologyError as exc:
            assert_stated(exc.problems)
            event("refused")
            return
        event("loaded and ran")
        for finding in engine.analyze(topology):
            assert finding.to_dict()["message"].strip()
        simulation = engine.Simulation(topology, seed=seed)
        ids = [node["id"] for node in document["nodes"][1:]] + ["nowhere", "n0"]
        for _ in range(3):
            for action in live.draw(st.lists(actions(ids), max_size=2)):
                try:
                    simulation.act(action)
                except engine.ActionError as exc:
                    assert str(exc).strip()
            ceiling = simulation.arrival_ceiling()
            frame = simulation.step(min(1.0, STEP_REQUESTS / ceiling) if ceiling > 0 else 1.0)
            json.dumps(frame, allow_nan=False)

    @fuzz_settings(NOT_DOCUMENTS)
    @given(document=st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=10), containers))
    def test_anything_that_is_not_a_document_is_refused_with_its_problems(self, document):
        try:
            engine.load(document)
        except engine.TopologyError as exc:
            assert_stated(exc.problems)
