"""Fuzzing (Hypothesis) of load balancers wired to each other and to many servers.

Balancers in chains, diamonds and circles (and random wirings), sometimes behind a DNS, with up
to 40 web servers of up to 50 instances behind them. The property: a document whose balancers
send to each other in a circle is refused with a problem naming the circle; any other either
runs (live actions and health-check changes included) or is refused with its problems, never
naming a circle. Every input runs under a hang guard (tests/engine/fuzzing.py).
"""

import json

import networkx as nx
from hypothesis import event, given
from hypothesis import strategies as st

import engine
from tests.engine.fuzzing import fuzz_settings, hang_guard
from tests.engine.test_fuzz_engine import STEP_REQUESTS, assert_stated

WIRINGS = 1_200


def balancer_edges(draw, count: int) -> list[tuple[int, int]]:
    """Edges between balancers 0..count-1 of one shape, plus a few anywhere."""
    shape = draw(st.sampled_from(["chain", "diamond", "circle", "random"]))
    if shape == "chain":
        pairs = [(i, i + 1) for i in range(count - 1)]
    elif shape == "diamond":
        middle = range(1, count - 1)
        pairs = [(0, i) for i in middle] + [(i, count - 1) for i in middle] or [(0, count - 1)]
    elif shape == "circle":
        back_to = draw(st.integers(0, count - 1))
        pairs = [(i, i + 1) for i in range(count - 1)] + [(count - 1, back_to)]
    else:
        pairs = []
    index = st.integers(0, count - 1)
    pairs += [(a, b) for a, b in draw(st.lists(st.tuples(index, index), max_size=3 if shape == "random" else 1))
              if a != b]  # fmt: skip
    # Hypothesis favours small numbers, so the rare case is a number from the middle.
    if draw(st.integers(0, 19)) == 13:  # now and then a balancer that sends to itself
        pairs.append((draw(index),) * 2)
    return sorted({(a, b) for a, b in pairs if count > 1 or a == b})


@st.composite
def wirings(draw) -> dict:
    balancers, webs = draw(st.integers(1, 8)), draw(st.integers(1, 40))
    nodes = [{"id": "users", "kind": "users", "x": 0, "y": 0}]
    edges = []
    if draw(st.integers(0, 9)) == 0:
        nodes.append({"id": "dns", "kind": "dns", "x": 50, "y": 0})
        edges.append(("users", "dns"))
        edges += [("dns", f"lb{i}") for i in draw(st.sets(st.integers(0, balancers - 1), min_size=1))]
    else:
        edges.append(("users", "lb0"))
    for i in range(balancers):
        props = {"algorithm": draw(st.sampled_from(["round_robin", "random", "least_connections", "two_choices",
                                                    "ip_hash", "weighted"])),  # fmt: skip
                 "health_check_s": draw(st.sampled_from([0, 0, 1e-300, 0.001, 0.5, 5]))}  # fmt: skip
        nodes.append({"id": f"lb{i}", "kind": "load_balancer", "x": 100, "y": 100 * i, "props": props})
    edges += [(f"lb{a}", f"lb{b}") for a, b in balancer_edges(draw, balancers)]
    for i in range(webs):
        instances = draw(st.sampled_from([1, 1, 1, 2, 5, 50]))
        nodes.append({"id": f"web{i}", "kind": "web_server", "x": 200, "y": 20 * i,
                      "props": {"instances": instances, "workers": draw(st.integers(1, 8)), "boot_s": 1}})  # fmt: skip
        # Most web servers behind one balancer, some behind several, a few behind none.
        for lb in draw(st.lists(st.integers(0, balancers - 1), min_size=1, max_size=2, unique=True)):
            edges.append((f"lb{lb}", f"web{i}"))
    rps = draw(st.sampled_from([10, 500, 20_000]))
    return {"version": 1, "title": "wiring", "traffic": {"rps": rps}, "nodes": nodes,
            "edges": [{"from": a, "to": b} for a, b in edges]}  # fmt: skip


def balancer_circle(document: dict) -> bool:
    """Whether two or more of the document's balancers send to each other in a circle (the reference
    of engine.model.validate.check_routing_cycles; a balancer sending to itself is another problem)."""
    graph = nx.DiGraph((e["from"], e["to"]) for e in document["edges"] if e["to"].startswith("lb"))
    return any(len(component) > 1 for component in nx.strongly_connected_components(graph))


def live_changes(draw, document: dict) -> list[tuple[str, object]]:
    names = [node["id"] for node in document["nodes"][1:]]
    target = st.sampled_from(names)
    act = st.builds(lambda name, node: {"action": name, "target": node}, st.sampled_from(["kill", "revive"]), target)
    interval = st.sampled_from([0, 0.001, 2])
    check = st.builds(lambda lb, s: (f"lb{lb}", {"health_check_s": s}), st.integers(0, 7), interval)
    return draw(st.lists(st.tuples(st.just("act"), act) | st.tuples(st.just("set"), check), max_size=4))


class TestWiringFuzz:
    @fuzz_settings(WIRINGS)
    @given(document=wirings(), live=st.data(), seed=st.integers(0, 2**63 - 1))
    def test_balancers_wired_in_any_way_run_or_are_refused_with_their_problems(self, document, live, seed):
        with hang_guard():
            circle = balancer_circle(document)
            to_itself = any(e["from"] == e["to"] for e in document["edges"])
            try:
                topology = engine.load(document)
            except engine.TopologyError as exc:
                assert_stated(exc.problems)
                assert any("circle" in p["message"] for p in exc.problems) == circle
                event("refused: circle" if circle else "refused: to itself" if to_itself else "refused")
                return
            assert not circle and not to_itself
            event("loaded and ran")
            simulation = engine.Simulation(topology, seed=seed)
            for _ in range(3):
                for kind, change in live_changes(live.draw, document):
                    try:
                        if kind == "act":
                            simulation.act(change)
                        else:
                            simulation.set(*change)
                    except (engine.ActionError, engine.TopologyError) as exc:
                        assert str(exc).strip()
                ceiling = simulation.arrival_ceiling()
                frame = simulation.step(min(1.0, STEP_REQUESTS / ceiling) if ceiling > 0 else 1.0)
                json.dumps(frame, allow_nan=False)
