"""A stored document keeps to the fields of the contract: a field the topology, a node or an edge
does not have is refused with a 400 that names it, on every write that stores a document, while
every lesson preset and every field the editor writes still saves."""

import copy
import json

import pytest

from playground.lessons.files import read_lessons
from playground.topologies.models import Topology
from tests.playground.conftest import make_document

pytestmark = pytest.mark.django_db


def post(client, url: str, body: dict, token: str = ""):
    headers = {"HTTP_X_EDIT_TOKEN": token} if token else {}
    return client.post(url, data=json.dumps(body), content_type="application/json", **headers)


def with_field(where: str, name: str = "padding", value: object = "x" * 1000) -> dict:
    document = make_document()
    target = {"top": document, "node": document["nodes"][2], "edge": document["edges"][1],
              "traffic": document["traffic"]}  # fmt: skip
    if where == "scenario":
        document["scenario"] = [{"at": 5, "action": "kill", "target": "web1", name: value}]
    else:
        target[where][name] = value
    return document


PATHS = {"top": "padding", "node": "nodes[2].padding", "edge": "edges[1].padding", "traffic": "traffic.padding",
         "scenario": "scenario[0].padding"}  # fmt: skip


class TestUnknownFields:
    @pytest.mark.parametrize("where", list(PATHS))
    def test_it_refuses_an_unknown_field_naming_it(self, client, where):
        response = post(client, "/api/topologies/", {"document": with_field(where)})
        assert response.status_code == 400
        assert PATHS[where] in [problem["path"] for problem in response.json()["problems"]]
        assert Topology.objects.count() == 0

    def test_the_answer_names_the_field_in_its_sentence(self, client):
        response = post(client, "/api/topologies/", {"document": with_field("node", "colour")})
        assert "nodes[2].colour" in response.json()["error"]
        assert "no field called 'colour'" in response.json()["problems"][0]["message"]

    def test_every_write_that_stores_a_document_refuses_it(self, client):
        created = post(client, "/api/topologies/", {"document": make_document()}).json()
        slug, token = created["slug"], created["edit_token"]
        padded = with_field("edge")
        put = client.put(f"/api/topologies/{slug}/", data=json.dumps({"document": padded, "version": 1}),
                         content_type="application/json", HTTP_X_EDIT_TOKEN=token)  # fmt: skip
        answers = [put, post(client, f"/api/topologies/{slug}/fork/", {"document": padded}),
                   post(client, "/api/live/", {"document": padded})]  # fmt: skip
        for answer in answers:
            assert answer.status_code == 400, answer.content[:200]
            assert "edges[1].padding" in answer.json()["error"]
        assert Topology.objects.get(slug=slug).version == 1

    def test_thousands_of_padding_fields_get_a_short_answer(self, client):
        document = make_document()
        document["nodes"][0].update({f"pad{index}": index for index in range(5000)})
        response = post(client, "/api/topologies/", {"document": document})
        assert response.status_code == 400
        problems = response.json()["problems"]
        assert len(problems) <= 21 and problems[20]["message"] == "And 4980 more unknown fields."

    def test_a_huge_field_name_is_shortened_in_the_answer(self, client):
        response = post(client, "/api/topologies/", {"document": with_field("top", "k" * 100_000, 1)})
        assert response.status_code == 400
        assert len(response.content) < 2000


class TestKnownFields:
    def test_every_field_the_editor_writes_saves(self, client):
        document = make_document()
        document["nodes"].append({"id": "dc1", "kind": "data_center", "label": "East", "x": 400, "y": 200,
                                  "width": 400, "height": 280, "props": {}})  # fmt: skip
        for node in document["nodes"][1:-1]:
            node.update(dc="dc1", label=node["id"].upper())
        document["scenario"] = [{"at": 5, "action": "kill", "target": "web1"}]
        response = post(client, "/api/topologies/", {"document": document})
        assert response.status_code == 201, response.content[:500]

    @pytest.mark.parametrize("lesson", read_lessons(), ids=lambda lesson: lesson["slug"])
    def test_every_lesson_preset_saves(self, client, lesson):
        response = post(client, "/api/topologies/", {"document": copy.deepcopy(lesson["document"])})
        assert response.status_code == 201, response.content[:500]
