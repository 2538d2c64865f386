"""Every control has a name a screen reader can say, and the page fits a laptop and a large screen."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import screenshot
from tests.browser.helpers import SITE, node_point, open_editor

pytestmark = pytest.mark.browser

CONTROLS = (
    "button:visible, input:not([type=hidden]):visible, select:visible, textarea:visible, a[href]:visible,"
    " [role=button]:visible, [role=menuitem]:visible, [tabindex]:not([tabindex='-1']):visible"
)
SIZES = {"laptop": (1280, 720), "large": (1920, 1080)}


def unnamed_controls(page: Page) -> list[str]:
    """The controls on screen whose accessible name (as Playwright computes it) is empty."""
    return unnamed_in(page.locator("body"))


def unnamed_in(root) -> list[str]:
    missing = []
    controls = root.locator(CONTROLS)
    for index in range(controls.count()):
        control = controls.nth(index)
        try:
            expect(control).to_have_accessible_name(re.compile(r"\S"), timeout=500)
        except AssertionError:
            missing.append(control.evaluate("(element) => element.outerHTML.slice(0, 160)"))
    return missing


@pytest.fixture(params=["en-GB", "ko-KR"])
def laptop(browser: Browser, request) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale=request.param)
    page = context.new_page()
    yield page
    context.close()


def test_every_control_has_an_accessible_name_in_each_state_of_the_editor(laptop: Page, server_url: str):
    page = laptop
    open_editor(page, server_url, SITE)
    # The "unsaved changes restored" note closes by itself after a few seconds: checked while
    # it shows, then gone before the pass over the controls, which would lose track of them if
    # its buttons vanished in the middle (on a slow machine, a pass takes longer than the note).
    toasts = page.locator("#toasts .toast")
    missing = {"note": [] if toasts.count() == 0 else unnamed_in(toasts)}
    expect(toasts).to_have_count(0, timeout=20_000)
    missing["traffic"] = unnamed_controls(page)

    page.mouse.click(*node_point(page, "web1"))
    expect(page.locator("#inspector h2")).to_have_text("web1")
    missing["node"] = unnamed_controls(page)

    page.mouse.click(*node_point(page, "db1"), button="right")
    expect(page.locator("#context-menu")).to_be_visible()
    missing["context menu"] = unnamed_controls(page)
    page.keyboard.press("Escape")

    page.locator("#canvas").focus()
    page.keyboard.press("?")
    expect(page.locator("#help-dialog")).to_be_visible()
    missing["help"] = unnamed_controls(page)

    assert {state: found for state, found in missing.items() if found} == {}


def fits(page: Page) -> dict:
    """What would show a broken layout: sideways scrolling, controls cut off, labels wrapped."""
    return page.evaluate(
        """() => {
            const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
            const outside = [], wrapped = [];
            for (const el of document.querySelectorAll('.topbar button, .topbar input, .simbar button, .simbar select, .zoom-controls button, .stage-tools button')) {
                if (!visible(el)) continue;
                const r = el.getBoundingClientRect();
                if (r.left < 0 || r.top < 0 || r.right > innerWidth + 0.5 || r.bottom > innerHeight + 0.5) outside.push(el.id || el.textContent.trim());
                if (el.closest('.topbar, .simbar') && r.height > 40) wrapped.push(el.id || el.textContent.trim());
            }
            const canvas = document.querySelector('#canvas').getBoundingClientRect();
            return {
                sideways: document.documentElement.scrollWidth > innerWidth,
                outside,
                wrapped,
                canvas: [Math.round(canvas.width), Math.round(canvas.height)],
            };
        }"""
    )


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("locale", ["en-GB", "ko-KR"])
def test_the_editor_fits_a_laptop_and_a_large_screen(browser: Browser, server_url: str, size: str, locale: str):
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height}, locale=locale)
    page = context.new_page()
    try:
        open_editor(page, server_url, SITE)
        page.mouse.click(*node_point(page, "lb1"))
        screenshot(page, f"editor-{size}-{locale[:2]}")
        layout = fits(page)
        assert layout["sideways"] is False
        assert layout["outside"] == []
        assert layout["wrapped"] == []
        assert layout["canvas"][0] >= width * 0.45 and layout["canvas"][1] >= height * 0.6
    finally:
        context.close()
