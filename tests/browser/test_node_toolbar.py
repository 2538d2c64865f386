"""Controls where the eye is: a selected node's actions in a toolbar just above it, the design
findings and the charts at the top of the panel, and a hint that a right-click opens the menu."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.helpers import SITE, node_ids, node_point, open_editor
from tests.browser.layout import PHONE, reachable, within_viewport

pytestmark = pytest.mark.browser


def select_web1(page: Page):
    page.mouse.click(*node_point(page, "web1"))
    toolbar = page.locator(".node-toolbar")
    expect(toolbar).to_be_visible()
    expect(toolbar).to_have_attribute("data-node", "web1")
    return toolbar


class TestToolbar:
    def test_it_sits_just_above_the_selected_node(self, page: Page, server_url: str):
        open_editor(page, server_url, SITE)
        toolbar = select_web1(page)
        bar = toolbar.bounding_box()
        x, y = node_point(page, "web1")
        assert bar["y"] + bar["height"] <= y - 30  # above the node's top edge (60 px high)
        assert bar["y"] + bar["height"] >= y - 30 - 40  # and close to it
        assert bar["x"] <= x <= bar["x"] + bar["width"]
        for name in ("kill", "delete"):
            assert reachable(page, toolbar.locator(f'[data-node-action="{name}"]')), name
        screenshot(page, "node-toolbar")

    def test_it_kills_the_node_from_the_toolbar(self, page: Page, server_url: str):
        open_editor(page, server_url, SITE)
        page.locator("#play").click()
        expect(page.locator("#total-rps")).not_to_have_text("—")
        select_web1(page).locator('[data-node-action="kill"]').click()
        expect(page.locator('#node-stats tr[data-node="web1"]')).to_have_class(re.compile(r"\bis-down\b"))
        toolbar = page.locator(".node-toolbar")
        expect(toolbar.locator('[data-node-action="kill"]')).to_be_disabled()
        toolbar.locator('[data-node-action="revive"]').click()
        expect(page.locator('#node-stats tr[data-node="web1"]')).not_to_have_class(re.compile(r"\bis-down\b"))

    def test_it_deletes_the_node_from_the_toolbar_and_hides(self, page: Page, server_url: str):
        open_editor(page, server_url, SITE)
        select_web1(page).locator('[data-node-action="delete"]').click()
        expect(page.locator('#node-stats tr[data-node="web1"]')).to_have_count(0)
        assert "web1" not in node_ids(page)
        expect(page.locator(".node-toolbar")).to_be_hidden()

    def test_its_last_button_opens_the_whole_menu(self, page: Page, server_url: str):
        open_editor(page, server_url, SITE)
        select_web1(page).locator(".node-tool-more").click()
        expect(page.locator("#context-menu")).to_be_visible()
        expect(page.locator('#context-menu [data-menu-action="kill"]')).to_be_visible()

    def test_it_fits_a_phone_with_finger_sized_buttons(self, browser, server_url: str):
        context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
        page = context.new_page()
        open_editor(page, server_url, SITE)
        page.locator(".toast-close").first.click()
        # The drawing is fitted to the phone, so a finding (it names its node) selects the node.
        page.locator('#findings li[data-node="lb1"] button').tap()
        page.locator("#canvas").scroll_into_view_if_needed()
        toolbar = page.locator(".node-toolbar")
        expect(toolbar).to_be_visible()
        bar = toolbar.bounding_box()
        assert bar["x"] >= 0 and bar["x"] + bar["width"] <= PHONE["width"]
        heights = toolbar.locator("button").evaluate_all("els => els.map(el => el.getBoundingClientRect().height)")
        assert min(heights) >= 44
        context.close()


def test_it_puts_findings_and_charts_above_the_selections_fields(page: Page, server_url: str):
    open_editor(page, server_url, SITE)
    findings, charts, inspector = (
        page.locator(s).bounding_box()["y"] for s in ("#findings-title", "#charts", "#inspector")
    )
    assert findings < charts < inspector
    expect(page.locator("#findings .finding").first).to_be_visible()


def test_it_hints_at_the_context_menu(page: Page, server_url: str):
    open_editor(page, server_url, SITE)
    hint = page.get_by_text("right-click it for the whole menu")
    expect(hint).to_be_visible()
    assert within_viewport(page, hint)
