"""Two tabs on "/" each keep their own draft, and nodes never sit exactly on each other."""

import json

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import watched_page
from tests.browser.helpers import SITE, WORKING_COPY, drag, node_point, open_editor, working_copy

pytestmark = pytest.mark.browser

OTHER_TAB = "This draft was changed in another tab"


def drafts(page: Page) -> dict[str, dict]:
    """Every working copy of a new topology in localStorage, by key."""
    return page.evaluate(
        """prefix => Object.fromEntries(Object.keys(localStorage).filter(k => k.startsWith(prefix))
            .map(k => [k, JSON.parse(localStorage.getItem(k))]))""",
        WORKING_COPY,
    )


def delete_node(page: Page, node_id: str) -> None:
    page.mouse.click(*node_point(page, node_id))
    page.keyboard.press("Delete")
    expect(page.locator(f'#node-stats tr[data-node="{node_id}"]')).to_have_count(0)


class TestTwoTabs:
    def test_each_tab_keeps_its_own_draft_and_says_so(self, browser: Browser, server_url: str):
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        first, second = watched_page(context), watched_page(context)
        first.add_init_script(f"localStorage.setItem({json.dumps(WORKING_COPY)}, {json.dumps(json.dumps(SITE))})")
        open_editor(first, server_url)
        open_editor(second, server_url)

        delete_node(first, "web2")
        expect(second.get_by_text(OTHER_TAB)).to_be_visible()
        delete_node(second, "web1")
        expect(first.get_by_text(OTHER_TAB)).to_have_count(0)  # the tab that went its own way wrote elsewhere

        copies = drafts(second)
        assert len(copies) == 2
        ids = sorted(sorted(n["id"] for n in doc["nodes"]) for doc in copies.values())
        assert ids == [["db1", "lb1", "users1", "web1"], ["db1", "lb1", "users1", "web2"]]

        second.reload()  # the tab finds its own draft again
        expect(second.locator('#node-stats tr[data-node="web2"]')).to_have_count(1)
        expect(second.locator('#node-stats tr[data-node="web1"]')).to_have_count(0)
        assert first.console_errors == [] and second.console_errors == []
        context.close()

    def test_a_tab_may_take_the_other_tabs_version(self, browser: Browser, server_url: str):
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        first, second = watched_page(context), watched_page(context)
        first.add_init_script(f"localStorage.setItem({json.dumps(WORKING_COPY)}, {json.dumps(json.dumps(SITE))})")
        open_editor(first, server_url)
        open_editor(second, server_url)
        delete_node(first, "web2")
        second.get_by_role("button", name="Take the other tab's version").click()
        expect(second.locator('#node-stats tr[data-node="web2"]')).to_have_count(0)
        context.close()


class TestStackedNodes:
    def test_a_node_dropped_on_another_is_nudged_off_it(self, page: Page, server_url: str):
        open_editor(page, server_url, SITE)
        drag(page, node_point(page, "web2"), node_point(page, "web1"))
        expect(page.locator("#save-state")).not_to_be_empty()
        nodes = {node["id"]: node for node in working_copy(page)["nodes"]}
        assert (nodes["web2"]["x"], nodes["web2"]["y"]) == (nodes["web1"]["x"] + 40, nodes["web1"]["y"] + 40)

    def test_a_pasted_copy_never_lands_on_an_earlier_one(self, page: Page, server_url: str):
        open_editor(page, server_url, SITE)
        page.mouse.click(*node_point(page, "web1"))
        page.keyboard.press("Control+c")
        page.keyboard.press("Control+v")
        page.mouse.click(*node_point(page, "web1"))
        page.keyboard.press("Control+v")
        expect(page.locator("#node-stats tbody tr")).to_have_count(7)
        centres = [(node["x"], node["y"]) for node in working_copy(page)["nodes"]]
        assert len(set(centres)) == len(centres)
