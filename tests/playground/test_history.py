import json
import threading

import pytest
from django.test import Client

from playground.topologies.models import Revision, Topology
from tests.playground.conftest import make_document

pytestmark = pytest.mark.django_db


def send(client, method: str, url: str, body: dict, token: str = "") -> object:
    headers = {"X-Edit-Token": token} if token else {}
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json", headers=headers)


@pytest.fixture
def saved(client) -> dict:
    """A topology created through the API, with its one-time edit token."""
    return send(client, "post", "/api/topologies/", {"document": make_document("Version one")}).json()


def save(client, saved: dict, title: str, version: int, message: str = "") -> object:
    url = f"/api/topologies/{saved['slug']}/"
    return send(client, "put", url, {"document": make_document(title), "version": version, "message": message},
                saved["edit_token"])  # fmt: skip


class TestRevisions:
    def test_every_save_is_a_revision_with_its_message(self, client, saved):
        save(client, saved, "Version two", 1, "added a replica")
        listed = client.get(f"/api/topologies/{saved['slug']}/revisions/").json()["revisions"]
        assert [(r["version"], r["title"], r["message"]) for r in listed] == [
            (2, "Version two", "added a replica"),
            (1, "Version one", "Created"),
        ]

    def test_an_old_revision_can_be_viewed(self, client, saved):
        save(client, saved, "Version two", 1)
        old = client.get(f"/api/topologies/{saved['slug']}/revisions/1/").json()
        assert old["document"]["title"] == "Version one"
        assert client.get(f"/api/topologies/{saved['slug']}/revisions/9/").status_code == 404

    def test_restoring_makes_a_new_revision(self, client, saved):
        save(client, saved, "Version two", 1)
        url = f"/api/topologies/{saved['slug']}/revisions/1/restore/"
        response = send(client, "post", url, {"version": 2}, saved["edit_token"])
        assert response.status_code == 200
        assert response.json()["version"] == 3
        assert response.json()["title"] == "Version one"
        assert Revision.objects.filter(topology__slug=saved["slug"]).count() == 3

    def test_restoring_needs_the_edit_token_and_the_current_version(self, client, saved):
        save(client, saved, "Version two", 1)
        url = f"/api/topologies/{saved['slug']}/revisions/1/restore/"
        assert send(client, "post", url, {"version": 2}, "wrong").status_code == 403
        assert send(client, "post", url, {"version": 1}, saved["edit_token"]).status_code == 409
        assert Topology.objects.get(slug=saved["slug"]).version == 2

    def test_a_refused_save_leaves_no_revision(self, client, saved):
        save(client, saved, "Version two", 1)
        assert save(client, saved, "Lost race", 1).status_code == 409
        assert Revision.objects.filter(topology__slug=saved["slug"]).count() == 2


class TestPublishing:
    def test_topologies_are_unlisted_until_published(self, client, saved):
        assert client.get("/api/gallery/").json()["topologies"] == []
        url = f"/api/topologies/{saved['slug']}/publish/"
        assert send(client, "post", url, {"published": True}, "wrong").status_code == 403
        assert send(client, "post", url, {"published": True}, saved["edit_token"]).json()["published"] is True
        assert [t["slug"] for t in client.get("/api/gallery/").json()["topologies"]] == [saved["slug"]]
        send(client, "post", url, {"published": False}, saved["edit_token"])
        assert client.get("/api/gallery/").json()["topologies"] == []

    def test_the_description_is_saved_with_the_version(self, client, saved):
        url = f"/api/topologies/{saved['slug']}/"
        body = {"document": make_document("v2"), "version": 1, "description": "Two web servers, one database."}
        assert send(client, "put", url, body, saved["edit_token"]).json()["description"].startswith("Two web")
        stale = {**body, "description": "Should not stick"}
        assert send(client, "put", url, stale, saved["edit_token"]).status_code == 409
        assert Topology.objects.get(slug=saved["slug"]).description == "Two web servers, one database."


@pytest.mark.django_db(transaction=True)
class TestConcurrentSaves:
    def test_many_editors_saving_at_once_lose_nothing(self, saved_for_threads):
        """Twelve threads save from version 1: one wins, eleven get 409, and the revisions agree."""
        slug, token = saved_for_threads
        results: list[int] = []

        def editor(number: int) -> None:
            response = save(Client(), {"slug": slug, "edit_token": token}, f"Editor {number}", 1)
            results.append(response.status_code)

        threads = [threading.Thread(target=editor, args=(n,)) for n in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(results) == [200] + [409] * 11
        topology = Topology.objects.get(slug=slug)
        assert topology.version == 2
        assert Revision.objects.filter(topology=topology).count() == 2
        assert topology.revisions.get(number=2).document["title"] == topology.title


@pytest.fixture
def saved_for_threads() -> tuple[str, str]:
    topology, token = Topology.create(make_document("Version one"))
    return topology.slug, token
