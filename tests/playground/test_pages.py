import json

import pytest

pytestmark = pytest.mark.django_db


class TestPages:
    def test_it_serves_the_editor_on_a_new_topology(self, client):
        response = client.get("/")
        assert response.status_code == 200
        assert b'id="canvas"' in response.content
        assert b'id="catalog"' in response.content
        assert "csrftoken" in response.cookies

    def test_it_serves_a_saved_topology_without_its_token(self, client, document):
        created = client.post(
            "/api/topologies/", data=json.dumps({"document": document}), content_type="application/json"
        ).json()
        response = client.get(created["view_url"])
        assert response.status_code == 200
        page = response.content.decode()
        assert document["title"] in page
        assert created["edit_token"] not in page

    def test_it_answers_404_for_an_unknown_topology(self, client):
        assert client.get("/t/nosuchslug123/").status_code == 404
