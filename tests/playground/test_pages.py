import io
import json

import pytest
from PIL import Image

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


def create(client, document: dict) -> dict:
    body = json.dumps({"document": document})
    return client.post("/api/topologies/", data=body, content_type="application/json").json()


def save(client, created: dict, document: dict, version: int) -> None:
    response = client.put(
        f"/api/topologies/{created['slug']}/",
        data=json.dumps({"document": document, "version": version}),
        content_type="application/json",
        headers={"X-Edit-Token": created["edit_token"]},
    )
    assert response.status_code == 200


class TestOldVersions:
    def test_it_shows_an_old_version_read_only(self, client, document):
        created = create(client, document)
        save(client, created, {**document, "title": "Renamed"}, 1)
        page = client.get(f"{created['view_url']}?revision=1").content.decode()
        assert 'data-revision="1"' in page
        assert "version 1 of 2" in page
        assert document["title"] in page
        newest = client.get(created["view_url"]).content.decode()
        assert 'data-revision=""' in newest and "Renamed" in newest

    def test_it_answers_404_for_a_version_that_does_not_exist(self, client, document):
        created = create(client, document)
        assert client.get(f"{created['view_url']}?revision=9").status_code == 404
        assert client.get(f"{created['view_url']}?revision=first").status_code == 404


class TestLinkPreview:
    def test_it_describes_a_shared_link_with_open_graph_tags(self, client, document):
        created = create(client, {**document, "title": "<script>alert(1)</script>"})
        page = client.get(created["view_url"]).content.decode()
        assert f'<meta property="og:image" content="http://testserver/t/{created["slug"]}/preview.png">' in page
        assert '<meta property="og:title" content="&lt;script&gt;alert(1)&lt;/script&gt;">' in page
        assert "<script>alert(1)</script>" not in page

    def test_it_has_no_preview_tags_on_a_new_topology(self, client):
        assert b"og:image" not in client.get("/").content


class TestPreview:
    def test_it_draws_a_png_of_the_topology(self, client, document):
        created = client.post(
            "/api/topologies/", data=json.dumps({"document": document}), content_type="application/json"
        ).json()
        response = client.get(f"/t/{created['slug']}/preview.png")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        image = Image.open(io.BytesIO(response.content))
        assert image.size == (1200, 630)
        assert len(image.getcolors(2**16)) > 10  # nodes, edges and text, not a blank picture

    def test_it_answers_not_modified_for_the_same_version(self, client, document):
        created = client.post(
            "/api/topologies/", data=json.dumps({"document": document}), content_type="application/json"
        ).json()
        first = client.get(f"/t/{created['slug']}/preview.png")
        again = client.get(f"/t/{created['slug']}/preview.png", headers={"If-None-Match": first["ETag"]})
        assert again.status_code == 304


class TestLiveClassPages:
    @pytest.fixture
    def live(self, client, document) -> dict:
        return client.post(
            "/api/live/", data=json.dumps({"document": document}), content_type="application/json"
        ).json()

    def test_a_typed_code_goes_to_its_class_whatever_the_case(self, client, live):
        response = client.get("/live/", {"code": f" {live['code'].lower()} "})
        assert response.status_code == 302
        assert response["Location"] == live["join_url"]

    def test_an_unknown_code_is_explained(self, client):
        response = client.get("/live/", {"code": "QQQQQQ"})
        assert response.status_code == 404
        assert "no live class" in response.content.decode()

    def test_the_class_page_carries_the_topology_but_not_the_teacher_token(self, client, live, document):
        page = client.get(live["join_url"]).content.decode()
        assert document["title"] in page
        assert live["teacher_token"] not in page
        assert 'data-page="live"' in page

    def test_the_qr_code_is_served_as_an_svg_picture(self, client, live):
        response = client.get(live["qr_url"])
        assert response.status_code == 200
        assert response["Content-Type"] == "image/svg+xml"
        assert b"<svg" in response.content
