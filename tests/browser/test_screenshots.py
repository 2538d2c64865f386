"""The editor running a simulation in both languages and both themes, saved as screenshots to
look at (screenshots/editor-<language>-<theme>.png)."""

import pytest
from playwright.sync_api import Browser, expect

from tests.browser.conftest import screenshot, watched_page
from tests.browser.helpers import open_editor, working_copy
from tests.browser.test_outcomes import CACHED

pytestmark = pytest.mark.browser

SHOWN = {
    **CACHED,
    "nodes": [*CACHED["nodes"], {"id": "lb1", "kind": "load_balancer", "x": 80, "y": 420, "props": {}}],
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
        page.locator("#canvas").click(position={"x": 460, "y": 360})
        expect(page.locator("#inspector h2")).to_have_text("db1")
        assert working_copy(page)["nodes"]
        screenshot(page, f"editor-{locale[:2]}-{'dark' if dark else 'light'}")
        assert page.console_errors == []
    finally:
        context.close()
