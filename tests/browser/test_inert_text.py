"""Titles, labels and narration are text, never code, wherever they are shown."""

import json

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import SITE

pytestmark = pytest.mark.browser

HOSTILE = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'


def test_a_hostile_title_label_and_narration_stay_plain_text(page: Page, server_url: str):
    document = json.loads(json.dumps(SITE))
    document["title"] = HOSTILE
    document["nodes"][2]["label"] = HOSTILE
    created = page.request.post(
        server_url + "/api/topologies/",
        data=json.dumps({"document": document}),
        headers={"Content-Type": "application/json", "X-CSRFToken": csrf_token(page, server_url)},
    ).json()
    page.goto(server_url + created["view_url"])
    expect(page.locator("#title")).to_have_value(HOSTILE)
    expect(page.locator('#node-stats tr[data-node="web1"]')).to_contain_text(HOSTILE)
    assert page.title().startswith(HOSTILE)

    page.get_by_role("button", name="Go live").click()
    page.wait_for_url("**/live/**")
    page.locator("#narrate-text").fill(HOSTILE)
    page.get_by_role("button", name="Show to the class").click()
    expect(page.locator("#narration")).to_have_text(HOSTILE)
    assert page.evaluate("() => window.pwned") is None
    assert page.locator("#narration img, #node-stats img, #title ~ img").count() == 0


def csrf_token(page: Page, server_url: str) -> str:
    page.goto(server_url + "/")
    return next(cookie["value"] for cookie in page.context.cookies() if cookie["name"] == "csrftoken")
