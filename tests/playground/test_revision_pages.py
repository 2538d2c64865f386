"""The history of a topology comes in pages of summaries (version, time, note, title, node and edge
counts), computed by the database: a topology with hundreds of large versions lists fast."""

from unittest import mock

import pytest
from django.db.models import JSONField

from playground.topologies.models import Topology
from tests.playground.conftest import make_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def long_history() -> Topology:
    """Version n has n extra web servers, wired from the load balancer, and the title "Version n"."""
    topology, _ = Topology.create(make_document("Version 1"))
    for version in range(1, 60):
        document = make_document(f"Version {version + 1}")
        for extra in range(version):
            document["nodes"].append({"id": f"extra{extra}", "kind": "web_server", "x": 0, "y": 0, "props": {}})
            document["edges"].append({"from": "lb", "to": f"extra{extra}"})
        topology.save_version(document, version, f"note {version + 1}")
    return topology


class TestRevisionPages:
    def test_it_lists_the_newest_page_with_summaries_and_a_next_link(self, client, long_history):
        body = client.get(f"/api/topologies/{long_history.slug}/revisions/").json()
        assert [r["version"] for r in body["revisions"]] == list(range(60, 10, -1))
        newest = body["revisions"][0]
        assert newest["title"] == "Version 60" and newest["message"] == "note 60"
        assert (newest["nodes"], newest["edges"]) == (5 + 59, 5 + 59)
        assert newest["created_at"] and "document" not in newest
        assert body["next"] == f"/api/topologies/{long_history.slug}/revisions/?before=11&limit=50"

    def test_following_next_reaches_the_first_version_once(self, client, long_history):
        url, seen = f"/api/topologies/{long_history.slug}/revisions/?limit=7", []
        while url:
            body = client.get(url).json()
            seen += [r["version"] for r in body["revisions"]]
            url = body["next"]
        assert seen == list(range(60, 0, -1))

    def test_it_never_loads_a_document(self, client, long_history):
        with mock.patch.object(JSONField, "from_db_value", side_effect=AssertionError("a document was loaded")):
            body = client.get(f"/api/topologies/{long_history.slug}/revisions/?limit=200").json()
        assert len(body["revisions"]) == 60 and body["next"] is None
        assert body["revisions"][-1] == {**body["revisions"][-1], "version": 1, "nodes": 5, "edges": 5,
                                         "message": "Created", "title": "Version 1"}  # fmt: skip

    @pytest.mark.parametrize("query", ["before=abc", "before=0", "limit=0", "limit=100000", "limit=-3", "before=1e3"])
    def test_it_refuses_a_bad_page_clearly(self, client, long_history, query):
        response = client.get(f"/api/topologies/{long_history.slug}/revisions/?{query}")
        assert response.status_code == 400
        assert "must be a whole number" in response.json()["error"]

    def test_an_unknown_topology_is_a_404(self, client):
        assert client.get("/api/topologies/nosuchslug/revisions/").status_code == 404
