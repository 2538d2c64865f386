"""The player in someone else's page: a blog on another origin frames a saved topology, and its
readers press Play and watch the engine's numbers; the owner finds the snippet in Share."""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.helpers import SITE

pytestmark = pytest.mark.browser


def saved_topology(page: Page, server_url: str) -> dict:
    """Saved through the API as the editor saves, with the CSRF cookie a visit to the site gives."""
    page.request.get(server_url + "/")
    csrf = next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "csrftoken")
    headers = {"Content-Type": "application/json", "X-CSRFToken": csrf, "Referer": server_url + "/"}
    return page.request.post(
        server_url + "/api/topologies/", data=json.dumps({"document": SITE}), headers=headers
    ).json()


def test_a_blog_on_another_site_frames_the_player_and_it_plays(page: Page, server_url: str):
    created = saved_topology(page, server_url)
    snippet = page.request.get(f"{server_url}/oembed", params={"url": f"{server_url}/t/{created['slug']}/"}).json()[
        "html"
    ]
    with blog_serving(f"<!doctype html><h1>My post</h1><p>Look:</p>{snippet}") as blog:
        page.goto(blog)
        watch_the_player(page, created)


@contextmanager
def blog_serving(html: str) -> Iterator[str]:
    """A blog post on a server of its own. Its address is localhost, another site than the
    playground's 127.0.0.1, and on loopback like it: Chromium refuses a loopback iframe in a page
    it does not know to be local (its local network access checks)."""

    class Post(BaseHTTPRequestHandler):
        def do_GET(self):
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Post)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_address[1]}/a-blog-post"
    finally:
        server.shutdown()
        server.server_close()


def watch_the_player(page: Page, created: dict) -> None:
    player = page.frame_locator("iframe")
    expect(player.locator("#conn-status")).to_have_attribute("data-state", "open")
    expect(player.locator("#title")).to_have_value("Small site")
    # Only the player's controls: nothing to edit or save in someone else's page.
    for hidden in ("#palette", "#panel", "#save", "#share", "#go-live", ".stage-tools"):
        expect(player.locator(hidden)).to_be_hidden()
    back = player.get_by_role("link", name="Open in Scale Playground")
    expect(back).to_have_attribute("href", f"/t/{created['slug']}/")
    expect(back).to_have_attribute("target", "_blank")

    player.locator("#play").click()
    expect(player.locator("#sim-time")).not_to_have_text("0:00.0")
    expect(player.locator("#total-rps")).not_to_have_text("—")
    # The numbers stay inside the box the blog gave the player (960 x 540, narrower than the
    # editor's three columns): nothing to scroll to inside a frame.
    frame = page.locator("iframe").bounding_box()
    for number in ("#total-rps", "#total-p99", "#play"):
        box = player.locator(number).bounding_box()
        assert frame["y"] <= box["y"] and box["y"] + box["height"] <= frame["y"] + frame["height"], number
    screenshot(page, "embedded-player")
    assert page.console_errors == []


def test_share_offers_the_embed_snippet_of_the_view_link(page: Page, server_url: str):
    created = saved_topology(page, server_url)
    page.goto(f"{server_url}/t/{created['slug']}/#edit={created['edit_token']}")
    page.get_by_role("button", name="Share").click()
    code = page.locator("#embed-code")
    expect(code).to_be_visible()
    snippet = code.input_value()
    assert snippet.startswith(f'<iframe src="{server_url}/t/{created["slug"]}/embed/"')
    assert 'title="Small site"' in snippet
    assert created["edit_token"] not in snippet
    assert page.console_errors == []
