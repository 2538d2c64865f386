"""The editor on a phone and a tablet: one column, the header's buttons, the simulation bar and
the panel all reachable by a finger, targets of at least 44 px, nothing wider than the screen."""

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import screenshot, watched_page
from tests.browser.helpers import SITE, WORKING_COPY
from tests.browser.layout import DESKTOP, PHONE, TABLET, overflows_sideways, reachable, small_targets, within_viewport

pytestmark = pytest.mark.browser

TOUCH_BUTTONS = (
    ".topbar button, .simbar button, .simbar select, #palette-list button, .stage-tools button, .zoom-controls button"
)


def open_on(browser: Browser, server_url: str, viewport: dict, touch: bool = True) -> Page:
    context = browser.new_context(viewport=viewport, has_touch=touch, is_mobile=touch)
    page = watched_page(context)
    page.add_init_script(f"localStorage.setItem({json.dumps(WORKING_COPY)}, {json.dumps(json.dumps(SITE))})")
    page.goto(server_url + "/")
    expect(page.locator("#conn-status")).to_have_attribute("data-state", "open")
    return page


@pytest.fixture
def phone(browser: Browser, server_url: str) -> Iterator[Page]:
    page = open_on(browser, server_url, PHONE)
    yield page
    page.context.close()


@pytest.fixture
def tablet(browser: Browser, server_url: str) -> Iterator[Page]:
    page = open_on(browser, server_url, TABLET)
    yield page
    page.context.close()


class TestPhone:
    def test_it_shows_save_share_go_live_play_and_the_numbers_on_the_first_screen(self, phone: Page):
        phone.locator(".toast-close").first.click()  # the "restored" note lies over the bar until closed
        for selector in ("#save", "#share", "#go-live", "#play", "#canvas", "#total-rps", "#total-p99"):
            assert reachable(phone, phone.locator(selector)), selector
        assert not overflows_sideways(phone)
        screenshot(phone, "phone-editor-390")

    def test_it_gives_every_button_a_finger_sized_target(self, phone: Page):
        assert small_targets(phone, TOUCH_BUTTONS) == []

    def test_it_reaches_the_panel_by_scrolling_the_page(self, phone: Page):
        for selector in ("#findings", "#charts", "#inspector", "#event-log"):
            target = phone.locator(selector)
            target.scroll_into_view_if_needed()
            box = target.bounding_box()
            assert box and box["width"] <= PHONE["width"] and box["y"] < PHONE["height"], selector
        assert not overflows_sideways(phone)

    def test_it_fits_the_whole_drawing_on_the_narrow_canvas(self, phone: Page):
        expect(phone.locator("#zoom-reset")).not_to_have_text("100%")

    def test_it_places_a_component_with_two_taps(self, phone: Page):
        phone.locator('#palette-list [data-kind="cache"]').tap()
        box = phone.locator("#canvas").bounding_box()
        # Bottom left: the tools lie over the top and the zoom over the bottom right.
        phone.touchscreen.tap(box["x"] + 40, box["y"] + box["height"] - 30)
        expect(phone.locator('#node-stats tr[data-node="cache1"]')).to_have_count(1)


class TestTablet:
    def test_it_shows_the_header_bar_and_the_panel_side_by_side_sections(self, tablet: Page):
        for selector in ("#save", "#share", "#go-live", "#play", "#total-rps", "#findings-title"):
            assert within_viewport(tablet, tablet.locator(selector)), selector
        assert small_targets(tablet, TOUCH_BUTTONS) == []
        assert not overflows_sideways(tablet)
        screenshot(tablet, "tablet-editor-768")


def test_it_keeps_the_three_columns_on_a_laptop(browser: Browser, server_url: str):
    page = open_on(browser, server_url, DESKTOP, touch=False)
    palette, canvas, panel = (page.locator(s).bounding_box() for s in ("#palette", "#canvas", "#panel"))
    assert palette["x"] + palette["width"] <= canvas["x"] + 1 and canvas["x"] + canvas["width"] <= panel["x"] + 1
    assert page.evaluate("() => document.documentElement.scrollHeight") <= DESKTOP["height"]
    screenshot(page, "desktop-editor-1280")
    page.context.close()
