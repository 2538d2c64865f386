"""The embeddable player and oEmbed: only the player may be framed by other sites, it never
carries the edit link, and oEmbed answers with a player for links of saved topologies only."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.playground.test_security_headers import directives

pytestmark = pytest.mark.django_db


@pytest.fixture
def created(client, document) -> dict:
    body = json.dumps({"document": document})
    return client.post("/api/topologies/", data=body, content_type="application/json").json()


def oembed(client, url: str, **more):
    return client.get("/oembed", {"url": url, **more})


class TestPlayer:
    def test_other_sites_may_frame_the_player_and_only_the_player(self, client, created):
        player = client.get(f"/t/{created['slug']}/embed/")
        assert player.status_code == 200
        assert "X-Frame-Options" not in player
        assert directives(player["Content-Security-Policy"])["frame-ancestors"] == ["*"]
        # Everything else keeps refusing to be framed.
        editor = client.get(created["view_url"])
        assert editor["X-Frame-Options"] == "DENY"
        assert directives(editor["Content-Security-Policy"])["frame-ancestors"] == ["'none'"]

    def test_the_player_plays_the_saved_document_without_its_edit_token(self, client, created, document):
        page = client.get(f"/t/{created['slug']}/embed/").content.decode()
        assert 'data-page="embed"' in page
        assert document["title"] in page
        assert created["edit_token"] not in page
        assert f'href="/t/{created["slug"]}/"' in page  # the way back to the site

    def test_an_unknown_topology_has_no_player(self, client):
        assert client.get("/t/nosuchslug123/embed/").status_code == 404


class TestOEmbed:
    def test_a_view_link_gets_a_rich_player_of_that_topology(self, client, created, document):
        url = "http://testserver" + created["view_url"]
        answer = oembed(client, url)
        assert answer.status_code == 200
        body = answer.json()
        assert body["version"] == "1.0" and body["type"] == "rich"
        assert body["title"] == document["title"]
        assert f'src="http://testserver/t/{created["slug"]}/embed/"' in body["html"]
        assert (body["width"], body["height"]) == (960, 540)
        assert f'width="{body["width"]}" height="{body["height"]}"' in body["html"]
        assert body["thumbnail_url"] == f"http://testserver/t/{created['slug']}/preview.png"
        assert created["edit_token"] not in json.dumps(body)

    def test_the_player_fits_the_size_the_consumer_asks_for(self, client, created):
        url = "http://testserver" + created["view_url"]
        small = oembed(client, url, maxwidth="480", maxheight="300").json()
        assert (small["width"], small["height"]) == (480, 300)
        # Never larger than offered, never too small to read.
        assert (oembed(client, url, maxwidth="5000").json()["width"]) == 960
        assert (oembed(client, url, maxwidth="10").json()["width"]) == 320
        assert oembed(client, url, maxwidth="wide").status_code == 400

    def test_the_title_is_escaped_in_the_player_html(self, client, document):
        document["title"] = 'Cache "in front" <b>'
        made = client.post("/api/topologies/", data=json.dumps({"document": document}),
                           content_type="application/json").json()  # fmt: skip
        html = oembed(client, "http://testserver" + made["view_url"]).json()["html"]
        assert "<b>" not in html and "&lt;b&gt;" in html and "&quot;in front&quot;" in html

    @pytest.mark.parametrize(
        "url",
        ["http://elsewhere.example/t/{slug}/", "http://testserver/t/nosuchslug123/", "http://testserver/",
         "javascript:alert(1)", "", "http://testserver/api/topologies/{slug}/"],
    )  # fmt: skip
    def test_links_that_are_not_a_saved_topology_here_get_a_clear_404(self, client, created, url):
        answer = oembed(client, url.format(slug=created["slug"]))
        assert answer.status_code == 404
        assert answer.json()["error"].strip()

    def test_only_json_is_offered(self, client, created):
        answer = oembed(client, "http://testserver" + created["view_url"], format="xml")
        assert answer.status_code == 501

    def test_a_saved_topologys_page_says_where_its_oembed_is(self, client, created):
        page = client.get(created["view_url"]).content.decode()
        start = page.index('type="application/json+oembed"')
        href = page[start:].split('href="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
        query = parse_qs(urlsplit(href).query)
        assert query["url"] == ["http://testserver" + created["view_url"]] and query["format"] == ["json"]
        assert oembed(client, query["url"][0]).status_code == 200
