"""Data centers are region boxes: a component dropped inside one sits in it (its `dc`), moves with
it and leaves it when dragged out; the box resizes by its corner; undo and redo cover all of it.
Works from the document alone, whether or not the engine simulates data centers yet."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.helpers import canvas_point, drag, open_editor, working_copy

pytestmark = pytest.mark.browser

REGION = {
    "version": 1,
    "title": "One region",
    "traffic": {"rps": 100},
    "nodes": [
        {"id": "users1", "kind": "users", "x": 80, "y": 300, "props": {}},
        {"id": "dc1", "kind": "data_center", "x": 420, "y": 300, "width": 400, "height": 280,
         "props": {"region": "us-east"}},
        {"id": "db1", "kind": "database", "x": 520, "y": 300, "dc": "dc1", "props": {}},
        {"id": "web1", "kind": "web_server", "x": 120, "y": 140, "props": {}},
    ],
    "edges": [],
    "scenario": [],
}  # fmt: skip


def node(page: Page, node_id: str) -> dict:
    return next(n for n in working_copy(page)["nodes"] if n["id"] == node_id)


def test_components_sit_in_a_data_center_move_with_it_and_undo(page: Page, server_url: str):
    open_editor(page, server_url, REGION)
    # Dropped inside the box: web1 sits in dc1.
    drag(page, canvas_point(page, 120, 140), canvas_point(page, 320, 300))
    page.wait_for_function(
        "() => JSON.parse(localStorage.getItem('scale-playground:new')).nodes.find((n) => n.id === 'web1').dc === 'dc1'"
    )

    # Dragging the box by its empty inside carries both components.
    drag(page, canvas_point(page, 420, 400), canvas_point(page, 460, 420))
    page.wait_for_function(
        "() => JSON.parse(localStorage.getItem('scale-playground:new')).nodes.find((n) => n.id === 'dc1').x === 460"
    )
    assert (node(page, "dc1")["x"], node(page, "dc1")["y"]) == (460, 320)
    assert (node(page, "web1")["x"], node(page, "web1")["y"]) == (360, 320)
    assert (node(page, "db1")["x"], node(page, "db1")["y"]) == (560, 320)
    expect(page.locator("#inspector h2")).to_have_text("dc1")

    # The bottom-right corner (660, 460) resizes the box; its top-left corner stays.
    drag(page, canvas_point(page, 660, 460), canvas_point(page, 740, 520))
    page.wait_for_function(
        "() => JSON.parse(localStorage.getItem('scale-playground:new')).nodes.find((n) => n.id === 'dc1').width === 480"
    )
    box = node(page, "dc1")
    assert (box["width"], box["height"], box["x"] - box["width"] / 2, box["y"] - box["height"] / 2) == (
        480,
        360,
        260,
        180,
    )
    screenshot(page, "data-center-box")

    # Users have a region, not a building: they never sit in a data center.
    drag(page, canvas_point(page, 80, 300), canvas_point(page, 420, 440))
    page.wait_for_function(
        "() => JSON.parse(localStorage.getItem('scale-playground:new')).nodes.find((n) => n.id === 'users1').x === 420"
    )
    assert "dc" not in node(page, "users1")

    # Dragged out, web1 leaves the box.
    drag(page, canvas_point(page, 360, 320), canvas_point(page, 120, 100))
    page.wait_for_function(
        "() => !('dc' in JSON.parse(localStorage.getItem('scale-playground:new')).nodes.find((n) => n.id === 'web1'))"
    )

    page.locator("#canvas").focus()
    page.keyboard.press("Control+z")  # web1 back in
    page.keyboard.press("Control+z")  # users1 back out
    page.keyboard.press("Control+z")  # the old size
    page.wait_for_function(
        "() => JSON.parse(localStorage.getItem('scale-playground:new')).nodes.find((n) => n.id === 'dc1').width === 400"
    )
    assert node(page, "web1")["dc"] == "dc1"
    page.keyboard.press("Control+Shift+z")
    page.wait_for_function(
        "() => JSON.parse(localStorage.getItem('scale-playground:new')).nodes.find((n) => n.id === 'dc1').width === 480"
    )
    assert page.console_errors == []


def test_deleting_a_data_center_takes_its_components_out(page: Page, server_url: str):
    open_editor(page, server_url, REGION)
    page.mouse.click(*canvas_point(page, 420, 400))
    expect(page.locator("#inspector h2")).to_have_text("dc1")
    page.locator("#canvas").focus()
    page.keyboard.press("Delete")
    page.wait_for_function(
        "() => !JSON.parse(localStorage.getItem('scale-playground:new')).nodes.some((n) => n.id === 'dc1')"
    )
    assert "dc" not in node(page, "db1")
