"""Load balancers wired in a circle are refused by validation.

Before this check, users -> a, a -> b, b -> a validated and the first step never returned: the
kernel passed each request between the two balancers for good, holding its thread and lock.
"""

import pytest

import engine


def balancers_in_a_circle(exit_to_a_server: bool) -> dict:
    nodes = [
        {"id": "users", "kind": "users", "x": 0, "y": 0},
        {"id": "a", "kind": "load_balancer", "x": 100, "y": 0},
        {"id": "b", "kind": "load_balancer", "x": 200, "y": 0},
    ]
    edges = [{"from": "users", "to": "a"}, {"from": "a", "to": "b"}, {"from": "b", "to": "a"}]
    if exit_to_a_server:
        nodes.append({"id": "web1", "kind": "web_server", "x": 300, "y": 0})
        edges.append({"from": "b", "to": "web1"})
    return {"version": 1, "title": "circle", "traffic": {"rps": 200}, "nodes": nodes, "edges": edges}


class TestValidation:
    @pytest.mark.parametrize("exit_to_a_server", [False, True])
    def test_it_refuses_balancers_that_send_to_each_other(self, exit_to_a_server):
        with pytest.raises(engine.TopologyError) as refused:
            engine.load(balancers_in_a_circle(exit_to_a_server))
        circles = [p for p in refused.value.problems if "circle" in p["message"]]
        assert len(circles) == 1
        assert "'a'" in circles[0]["message"] and "'b'" in circles[0]["message"]
        assert circles[0]["path"] in ("a", "b")

    def test_it_refuses_a_longer_circle_once(self):
        doc = balancers_in_a_circle(False)
        doc["nodes"].append({"id": "c", "kind": "load_balancer", "x": 300, "y": 0})
        doc["edges"] = [
            {"from": "users", "to": "a"},
            {"from": "a", "to": "b"},
            {"from": "b", "to": "c"},
            {"from": "c", "to": "a"},
        ]
        with pytest.raises(engine.TopologyError) as refused:
            engine.load(doc)
        messages = [p["message"] for p in refused.value.problems if "circle" in p["message"]]
        assert len(messages) == 1 and all(f"'{n}'" in messages[0] for n in "abc")

    def test_it_accepts_balancers_in_a_chain(self):
        doc = balancers_in_a_circle(True)
        doc["edges"] = [{"from": "users", "to": "a"}, {"from": "a", "to": "b"}, {"from": "b", "to": "web1"}]
        engine.load(doc)
