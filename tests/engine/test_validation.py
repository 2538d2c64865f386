import copy

import pytest

import engine
from tests.engine.documents import balanced, cached


def problems(doc) -> list[dict]:
    with pytest.raises(engine.TopologyError) as caught:
        engine.load(doc)
    return caught.value.problems


def paths(doc) -> list[str]:
    return [problem["path"] for problem in problems(doc)]


def edited(change) -> dict:
    doc = copy.deepcopy(balanced())
    change(doc)
    return doc


class TestLoad:
    def test_it_accepts_a_valid_document_and_fills_defaults(self):
        topology = engine.load(balanced())
        assert topology.ids == ("users", "lb", "web1", "web2", "db")
        assert topology.props[2]["service_dist"] == "exponential"
        assert topology.props[4]["role"] == "primary"
        assert topology.traffic["zipf"] == 0.9

    def test_it_does_not_keep_a_reference_to_the_callers_document(self):
        doc = balanced()
        topology = engine.load(doc)
        doc["nodes"][2]["props"]["workers"] = 1
        assert topology.props[2]["workers"] == 8


class TestProblems:
    def test_it_lists_every_problem_at_once(self):
        def break_three_things(doc):
            doc["nodes"][2]["props"]["workers"] = 0
            doc["edges"].append({"from": "web2", "to": "nowhere"})
            doc["traffic"]["rps"] = -5

        found = paths(edited(break_three_things))
        assert "nodes[2].props.workers" in found
        assert "edges[5].to" in found
        assert "traffic.rps" in found

    @pytest.mark.parametrize(
        "change, path, words",
        [
            (lambda d: d.update(version=2), "version", "version"),
            (lambda d: d["nodes"][2]["props"].update(workers=2.5), "nodes[2].props.workers", "whole number"),
            (
                lambda d: d["nodes"][2]["props"].update(service_ms="fast"),
                "nodes[2].props.service_ms",
                "number",
            ),
            (
                lambda d: d["nodes"][2]["props"].update(service_dist="pareto"),
                "nodes[2].props.service_dist",
                "one of",
            ),
            (lambda d: d["nodes"][2]["props"].update(colour="red"), "nodes[2].props.colour", "no setting"),
            (
                lambda d: d["nodes"][1]["props"].update(algorithm="fastest"),
                "nodes[1].props.algorithm",
                "one of",
            ),
            (
                lambda d: d["nodes"][1]["props"].update(health_check_s=-1),
                "nodes[1].props.health_check_s",
                "from 0 to 300",
            ),
            (lambda d: d["nodes"][3].update(id="web1"), "nodes[3].id", "Two nodes"),
            (lambda d: d["nodes"][3].update(id="bad id!"), "nodes[3].id", "letters, digits"),
            (lambda d: d["nodes"][3].update(kind="toaster"), "nodes[3].kind", "not a kind"),
            (lambda d: d["nodes"][3].update(x="left"), "nodes[3].x", "number"),
            (lambda d: d["edges"].append({"from": "db", "to": "users"}), "edges[5]", "cannot send"),
            (lambda d: d["edges"].append({"from": "lb", "to": "lb"}), "edges[5]", "itself"),
            (lambda d: d["edges"].append({"from": "lb", "to": "web1"}), "edges[5]", "twice"),
            (lambda d: d.update(title="x" * 201), "title", "200"),
            (lambda d: d["traffic"].update(read_ratio=1.5), "traffic.read_ratio", "from 0 to 1"),
            (lambda d: d["traffic"].update(burst=3), "traffic.burst", "no setting"),
            (
                lambda d: d.update(scenario=[{"at": -1, "action": "kill", "target": "web1"}]),
                "scenario[0].at",
                "second",
            ),
            (
                lambda d: d.update(scenario=[{"at": 5, "action": "explode", "target": "web1"}]),
                "scenario[0].action",
                "not an action",
            ),
            (
                lambda d: d.update(scenario=[{"at": 5, "action": "kill", "target": "web9"}]),
                "scenario[0].target",
                "not a node",
            ),
        ],
    )
    def test_it_names_the_path_and_says_why(self, change, path, words):
        found = problems(edited(change))
        match = [problem for problem in found if problem["path"] == path]
        assert match, found
        assert words in match[0]["message"]

    def test_it_refuses_a_topology_too_big_to_simulate(self):
        doc = cached(capacity=1_000_000, policy="lfu", keys=100_000_000)
        engine.load(doc)
        for i in range(5):
            doc["nodes"].append({**doc["nodes"][2], "id": f"cache{i}"})
            doc["edges"].append({"from": "web", "to": f"cache{i}"})
        found = problems(doc)
        assert found[0]["path"] == "nodes"
        assert "MB of memory" in found[0]["message"] and "capacity_keys" in found[0]["message"]

    def test_it_needs_users(self):
        doc = edited(lambda d: d.update(nodes=d["nodes"][1:], edges=d["edges"][1:]))
        assert any("no users" in problem["message"] for problem in problems(doc))

    def test_it_refuses_users_connected_to_nothing(self):
        doc = edited(lambda d: d.update(edges=d["edges"][1:]))
        assert "users" in paths(doc)

    @pytest.mark.parametrize("doc", [None, [], "topology", 42, {"version": 1, "nodes": "many"}])
    def test_it_refuses_what_is_not_a_topology(self, doc):
        assert problems(doc)

    def test_every_message_is_a_sentence(self):
        doc = edited(lambda d: d["nodes"].append({"id": "", "kind": "?", "x": None}))
        for problem in problems(doc):
            assert problem["message"][0].isupper() or problem["message"][0] in "'\""
            assert problem["message"].endswith(".")


class TestCatalog:
    def test_every_prop_has_a_default_that_validates(self):
        catalog = engine.catalog_json()
        for name, kind in catalog["kinds"].items():
            for prop_name, prop in kind["props"].items():
                assert prop["meaning"], (name, prop_name)
                if prop["type"] in ("int", "float"):
                    assert prop["min"] <= prop["default"] <= prop["max"]
                if prop["type"] == "choice":
                    assert prop["default"] in prop["choices"]

    def test_every_kind_of_the_path_is_simulated(self):
        kinds = engine.catalog_json()["kinds"]
        assert set(kinds) == {
            "users", "dns", "cdn", "object_store", "data_center", "load_balancer", "web_server",
            "database", "cache", "message_queue", "worker", "session_store", "backup",
        }  # fmt: skip
        assert all(kind["simulated"] for kind in kinds.values())
