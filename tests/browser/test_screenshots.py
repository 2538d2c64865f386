"""The editor running a simulation in both languages and both themes, saved as screenshots to
look at (screenshots/editor-<language>-<theme>.png): particles, gauges, a web server's instances
(two of them booting), the legend, the charts and the side panel."""

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import screenshot, watched_page
from tests.browser.helpers import open_editor, working_copy
from tests.browser.test_outcomes import CACHED

pytestmark = pytest.mark.browser

# Users behind a load balancer reach three instances of a web server, with a cache, a primary and
# its replica behind them; the test scales the web server out to five, whose two new instances boot.
SHOWN = {
    **CACHED,
    "nodes": [
        {"id": "users1", "kind": "users", "x": 70, "y": 240, "props": {}},
        {"id": "lb1", "kind": "load_balancer", "x": 210, "y": 240, "props": {}},
        {"id": "web1", "kind": "web_server", "x": 360, "y": 240, "props": {"instances": 3, "boot_s": 120}},
        {"id": "cache1", "kind": "cache", "x": 530, "y": 120, "props": {}},
        {"id": "db1", "kind": "database", "x": 530, "y": 360, "props": {}},
        {"id": "db2", "kind": "database", "x": 700, "y": 360, "props": {"role": "replica"}},
    ],
    "edges": [
        {"from": "users1", "to": "lb1"},
        {"from": "lb1", "to": "web1"},
        {"from": "web1", "to": "cache1"},
        {"from": "web1", "to": "db1"},
        {"from": "db1", "to": "db2"},
    ],
}


@pytest.mark.parametrize(("locale", "dark"), [("en-US", False), ("en-US", True), ("ko-KR", False), ("ko-KR", True)])
def test_a_running_editor_in_each_language_and_theme(browser: Browser, server_url: str, locale: str, dark: bool):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale=locale)
    page = watched_page(context)
    try:
        open_editor(page, server_url, SHOWN)
        page.locator(".toast-close").first.click()
        if dark:
            page.locator("#theme-toggle").click()
        expect(page.locator("html")).to_have_attribute("data-theme", "dark" if dark else "light")
        expect(page.locator("html")).to_have_attribute("lang", locale[:2])
        page.locator("#play").click()
        page.wait_for_function("() => Number(document.querySelector('[data-chart=\"latency\"]').dataset.points) >= 10")
        page.locator("#canvas").click(position={"x": 360, "y": 240})
        page.locator('#inspector [data-action-form="scale"] input[name="instances"]').fill("5")
        page.locator('#inspector button[data-action="scale"]').click()
        expect(page.locator('.legend [data-pip="booting"]')).to_be_visible()
        page.locator("#canvas").click(position={"x": 530, "y": 360})
        expect(page.locator("#inspector h2")).to_have_text("db1")
        assert working_copy(page)["nodes"]
        screenshot(page, f"editor-{locale[:2]}-{'dark' if dark else 'light'}")
        assert page.console_errors == []
    finally:
        context.close()
