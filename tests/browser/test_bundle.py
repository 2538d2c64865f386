"""The page loads its own scripts as one minified bundle, with a source map, within the size goal."""

from urllib.parse import urlparse

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import open_editor

pytestmark = pytest.mark.browser

GOAL_BYTES = 150 * 1024


def test_it_loads_one_minified_bundle_with_a_source_map_under_150_kb(page: Page, server_url: str):
    responses = []
    page.on("response", lambda response: responses.append(response))
    open_editor(page, server_url)
    expect(page.locator(".palette-item")).not_to_have_count(0)
    own = {
        urlparse(r.url).path: len(r.body())
        for r in responses
        if urlparse(r.url).path.startswith("/static/")
        and not urlparse(r.url).path.startswith("/static/vendor/")
        and r.url.endswith((".js", ".css"))
    }
    assert "/static/dist/main.js" in own
    assert [path for path in own if path.startswith("/static/js/")] == []
    assert sum(own.values()) < GOAL_BYTES, own

    bundle = page.request.get(server_url + "/static/dist/main.js").text()
    assert bundle.rstrip().endswith("//# sourceMappingURL=main.js.map")
    source_map = page.request.get(server_url + "/static/dist/main.js.map").json()
    assert "../js/editor/editor.js" in source_map["sources"]
