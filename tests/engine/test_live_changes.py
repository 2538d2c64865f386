"""A live change (Simulation.set) is checked once, against the catalog and the rules across props a
live prop can break, and applied to the compiled topology; engine.patch_document patches documents."""

import pytest

import engine
from engine.model import topology, validate
from tests.engine.documents import balanced, single_server


def fresh(doc: dict) -> engine.Simulation:
    return engine.Simulation(engine.load(doc), seed=3)


def problems(error: engine.TopologyError) -> list[tuple[str, str]]:
    return [(problem["path"], problem["message"]) for problem in error.problems]


class TestPatchDocument:
    def test_a_copy_with_the_node_props_replaced(self):
        doc = single_server(100.0, workers=2)
        patched = engine.patch_document(doc, "web", {"workers": 5, "queue_limit": 10})
        web = next(node for node in patched["nodes"] if node["id"] == "web")
        assert web["props"]["workers"] == 5 and web["props"]["queue_limit"] == 10
        assert next(node for node in doc["nodes"] if node["id"] == "web")["props"]["workers"] == 2
        assert patched["nodes"][0] is not doc["nodes"][0]

    def test_the_traffic(self):
        doc = single_server(100.0)
        assert engine.patch_document(doc, "traffic", {"rps": 7})["traffic"]["rps"] == 7
        assert doc["traffic"]["rps"] == 100.0

    def test_a_node_without_props_gets_them(self):
        patched = engine.patch_document(balanced(), "lb", {"algorithm": "random"})
        assert next(node for node in patched["nodes"] if node["id"] == "lb")["props"] == {"algorithm": "random"}

    def test_no_such_node(self):
        with pytest.raises(KeyError):
            engine.patch_document(balanced(), "ghost", {"workers": 2})


class TestSet:
    def test_the_whole_document_is_neither_validated_nor_compiled_again(self, monkeypatch):
        simulation = fresh(balanced())

        def refuse(*args):
            raise AssertionError("a live change validated or compiled the whole document")

        monkeypatch.setattr(topology, "problems_of", refuse)
        monkeypatch.setattr(topology, "compile_document", refuse)
        monkeypatch.setattr(validate, "problems_of", refuse)
        simulation.set("web1", {"workers": 9})
        simulation.set("traffic", {"rps": 300})
        assert simulation.topology.props[simulation.topology.index("web1")]["workers"] == 9
        assert simulation.topology.traffic["rps"] == 300
        assert simulation.step(0.5)["totals"]["offered_rps"] > 0

    def test_the_topology_after_a_change_is_the_one_its_document_compiles_to(self):
        simulation = fresh(balanced())
        simulation.set("web2", {"service_ms": 3, "weight": 4})
        simulation.set("traffic", {"read_ratio": 0.5})
        assert simulation.topology == engine.load(simulation.topology.document)

    def test_a_prop_that_cannot_change_live(self):
        with pytest.raises(engine.TopologyError) as error:
            fresh(balanced()).set("web1", {"sessions": "local"})
        assert problems(error.value) == [("web1.sessions", "sessions cannot change while running.")]

    def test_a_live_change_keeps_the_rules_across_props(self):
        doc = balanced()
        with pytest.raises(engine.TopologyError) as error:
            fresh(doc).set("traffic", {"job_ratio": 0.6, "static_ratio": 0.6})
        assert [path for path, _ in problems(error.value)] == ["traffic"]
        with pytest.raises(engine.TopologyError) as error:
            fresh(doc).set("web1", {"autoscaling": "on", "min_instances": 5, "max_instances": 2})
        index = [node["id"] for node in doc["nodes"]].index("web1")
        assert [path for path, _ in problems(error.value)] == [f"nodes[{index}].props.min_instances"]

    def test_a_live_change_keeps_the_memory_limit(self):
        change = {"queue_limit": 100_000, "instances": 50}
        with pytest.raises(engine.TopologyError) as error:
            fresh(balanced()).set("web1", change)
        assert [path for path, _ in problems(error.value)] == ["nodes"]
        assert "MB of memory" in problems(error.value)[0][1]

    def test_the_same_problems_as_loading_the_changed_document(self):
        doc = balanced()
        for target, props in [("web1", {"workers": 0}), ("traffic", {"rps": -1}), ("lb", {"algorithm": "best"}),
                              ("traffic", {"login_ratio": 0.7, "job_ratio": 0.7})]:  # fmt: skip
            with pytest.raises(engine.TopologyError) as loaded:
                engine.load(engine.patch_document(doc, target, props))
            with pytest.raises(engine.TopologyError) as live:
                fresh(doc).set(target, props)
            assert [m for _, m in problems(live.value)] == [m for _, m in problems(loaded.value)]
