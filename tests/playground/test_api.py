import json

import pytest

from playground.classes.models import LiveClass
from playground.topologies.models import Topology
from playground.topologies.tokens import hash_token
from tests.playground.conftest import make_document

pytestmark = pytest.mark.django_db


def post(client, url: str, body, **headers):
    return client.post(url, data=json.dumps(body), content_type="application/json", headers=headers)


def put(client, url: str, body, **headers):
    return client.put(url, data=json.dumps(body), content_type="application/json", headers=headers)


@pytest.fixture
def saved(client, document) -> dict:
    """A topology created through the API, with its one-time edit token."""
    response = post(client, "/api/topologies/", {"document": document})
    assert response.status_code == 201
    return response.json()


class TestCreate:
    def test_it_returns_links_and_a_secret_token(self, saved, document):
        assert saved["version"] == 1
        assert saved["view_url"] == f"/t/{saved['slug']}/"
        assert saved["edit_url"] == f"/t/{saved['slug']}/#edit={saved['edit_token']}"
        assert saved["document"] == document

    def test_it_stores_only_a_hash_of_the_token(self, saved):
        stored = Topology.objects.get(slug=saved["slug"])
        assert stored.edit_token_hash == hash_token(saved["edit_token"])
        assert saved["edit_token"] not in json.dumps(stored.document)

    def test_it_makes_unguessable_distinct_slugs(self, client, document):
        slugs = {post(client, "/api/topologies/", {"document": document}).json()["slug"] for _ in range(20)}
        assert len(slugs) == 20
        assert all(len(slug) >= 12 for slug in slugs)

    def test_it_refuses_an_invalid_document_listing_every_problem(self, client, broken_document):
        response = post(client, "/api/topologies/", {"document": broken_document})
        assert response.status_code == 400
        paths = " ".join(problem["path"] for problem in response.json()["problems"])
        assert "workers" in paths
        assert "edges" in paths
        assert Topology.objects.count() == 0

    @pytest.mark.parametrize(
        "raw, content_type",
        [("not json", "application/json"), ("[1, 2]", "application/json"), ("{}", "text/plain")],
    )
    def test_it_refuses_malformed_bodies_with_a_clear_4xx(self, client, raw, content_type):
        response = client.post("/api/topologies/", data=raw, content_type=content_type)
        assert 400 <= response.status_code < 500
        assert response.json()["error"]

    def test_it_refuses_a_huge_body(self, client, document, settings):
        settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
        document["title"] = "x" * 5000
        response = post(client, "/api/topologies/", {"document": document})
        assert response.status_code == 413
        assert Topology.objects.count() == 0


class TestRead:
    def test_it_reads_a_saved_topology(self, client, saved, document):
        response = client.get(f"/api/topologies/{saved['slug']}/")
        assert response.status_code == 200
        body = response.json()
        assert body["document"] == document
        assert body["title"] == document["title"]
        assert body["forked_from"] is None
        assert "edit_token" not in body

    def test_it_answers_404_in_json_for_an_unknown_slug(self, client):
        response = client.get("/api/topologies/nosuchslug123/")
        assert response.status_code == 404
        assert response.json()["error"]


class TestUpdate:
    def test_it_saves_as_the_next_version(self, client, saved, document):
        document["title"] = "Renamed"
        response = put(
            client,
            f"/api/topologies/{saved['slug']}/",
            {"document": document, "version": 1},
            X_Edit_Token=saved["edit_token"],
        )
        assert response.status_code == 200
        assert response.json()["version"] == 2
        assert client.get(f"/api/topologies/{saved['slug']}/").json()["title"] == "Renamed"

    def test_it_refuses_a_wrong_token(self, client, saved, document):
        response = put(
            client,
            f"/api/topologies/{saved['slug']}/",
            {"document": document, "version": 1},
            X_Edit_Token="wrong",
        )
        assert response.status_code == 403
        assert Topology.objects.get(slug=saved["slug"]).version == 1

    def test_it_refuses_a_missing_token(self, client, saved, document):
        response = put(client, f"/api/topologies/{saved['slug']}/", {"document": document, "version": 1})
        assert response.status_code == 403

    def test_it_rejects_a_stale_version_with_the_current_one(self, client, saved, document):
        url, token = f"/api/topologies/{saved['slug']}/", saved["edit_token"]
        first = make_document("First editor")
        second = make_document("Second editor")
        assert put(client, url, {"document": first, "version": 1}, X_Edit_Token=token).status_code == 200
        response = put(client, url, {"document": second, "version": 1}, X_Edit_Token=token)
        assert response.status_code == 409
        assert response.json()["current_version"] == 2
        assert response.json()["document"]["title"] == "First editor"
        assert Topology.objects.get(slug=saved["slug"]).title == "First editor"

    def test_it_saves_nothing_from_an_invalid_document(self, client, saved, broken_document):
        response = put(
            client,
            f"/api/topologies/{saved['slug']}/",
            {"document": broken_document, "version": 1},
            X_Edit_Token=saved["edit_token"],
        )
        assert response.status_code == 400
        assert response.json()["problems"]
        stored = Topology.objects.get(slug=saved["slug"])
        assert stored.version == 1
        assert stored.document == make_document()

    def test_it_needs_the_version_edited(self, client, saved, document):
        response = put(
            client,
            f"/api/topologies/{saved['slug']}/",
            {"document": document},
            X_Edit_Token=saved["edit_token"],
        )
        assert response.status_code == 400
        assert response.json()["problems"][0]["path"] == "version"


class TestFork:
    def test_it_copies_with_its_own_token_and_records_the_origin(self, client, saved, document):
        response = client.post(f"/api/topologies/{saved['slug']}/fork/")
        assert response.status_code == 201
        fork = response.json()
        assert fork["slug"] != saved["slug"]
        assert fork["edit_token"] != saved["edit_token"]
        assert fork["forked_from"] == saved["slug"]
        assert fork["document"] == document

    def test_it_forks_with_the_viewers_changes(self, client, saved):
        changed = make_document("My own copy")
        response = post(client, f"/api/topologies/{saved['slug']}/fork/", {"document": changed})
        assert response.status_code == 201
        assert response.json()["title"] == "My own copy"
        assert client.get(f"/api/topologies/{saved['slug']}/").json()["title"] != "My own copy"

    def test_its_token_cannot_edit_the_original(self, client, saved, document):
        fork = client.post(f"/api/topologies/{saved['slug']}/fork/").json()
        response = put(
            client,
            f"/api/topologies/{saved['slug']}/",
            {"document": document, "version": 1},
            X_Edit_Token=fork["edit_token"],
        )
        assert response.status_code == 403


class TestCatalog:
    def test_it_lists_the_kinds_with_their_props(self, client):
        catalog = client.get("/api/catalog/").json()
        workers = catalog["kinds"]["web_server"]["props"]["workers"]
        assert workers["type"] == "int"
        assert workers["min"] >= 1
        assert workers["meaning"]
        assert "kill" in catalog["actions"]


class TestGoLive:
    def test_it_opens_a_class_with_a_join_code_and_a_secret_teacher_token(self, client, document):
        response = post(client, "/api/live/", {"document": document})
        assert response.status_code == 201
        body = response.json()
        assert len(body["code"]) == 6
        assert body["socket_url"] == f"/ws/live/{body['code']}/"
        stored = LiveClass.objects.get(code=body["code"])
        assert stored.accepts_teacher(body["teacher_token"])
        assert body["teacher_token"] not in stored.teacher_token_hash

    def test_it_refuses_an_invalid_topology(self, client, broken_document):
        response = post(client, "/api/live/", {"document": broken_document})
        assert response.status_code == 400
        assert response.json()["problems"]
