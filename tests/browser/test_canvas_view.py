"""The canvas as a person moves around it: wheel zoom, fit to screen, 100%, snapping, arrow keys, Escape."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import (
    SITE,
    canvas_pixels,
    canvas_point,
    drag,
    node_ids,
    node_point,
    open_editor,
    pixel,
    wait_for_canvas_change,
    working_copy,
)

pytestmark = pytest.mark.browser

# Far below and to the right of everything else: off screen at 100%.
FAR = {"id": "far1", "kind": "web_server", "x": 2400, "y": 1600, "props": {}}
# Mirrors fitView() in static/js/canvas/view.js: boxes are 120 x 60 around the centres, a 48 px margin.
NODE_HALF = (60, 30)
FIT_MARGIN = 48


def node(page: Page, node_id: str) -> dict:
    return next(n for n in working_copy(page)["nodes"] if n["id"] == node_id)


def fitted_point(page: Page, nodes: list[dict], x: float, y: float) -> tuple[float, float]:
    """Where a world point is on the page once the drawing is fitted to the canvas."""
    box = page.locator("#canvas").bounding_box()
    left = min(n["x"] for n in nodes) - NODE_HALF[0]
    top = min(n["y"] for n in nodes) - NODE_HALF[1]
    right = max(n["x"] for n in nodes) + NODE_HALF[0]
    bottom = max(n["y"] for n in nodes) + NODE_HALF[1]
    zoom = min(1, (box["width"] - 2 * FIT_MARGIN) / (right - left), (box["height"] - 2 * FIT_MARGIN) / (bottom - top))
    origin_x = (box["width"] - (right - left) * zoom) / 2 - left * zoom
    origin_y = (box["height"] - (bottom - top) * zoom) / 2 - top * zoom
    return box["x"] + origin_x + x * zoom, box["y"] + origin_y + y * zoom


def test_it_zooms_with_the_wheel_and_keeps_the_node_under_the_pointer(page: Page, server_url: str):
    open_editor(page, server_url, SITE)
    zoom = page.locator("#zoom-reset")
    under_pointer = node_point(page, "web1")
    before = canvas_pixels(page)
    page.mouse.move(*under_pointer)
    page.mouse.wheel(0, -240)
    wait_for_canvas_change(page, before)
    expect(zoom).not_to_have_text("100%")
    assert int(zoom.inner_text().rstrip("%")) > 100
    page.mouse.click(*under_pointer)
    expect(page.locator("#inspector h2")).to_have_text("web1")

    page.mouse.wheel(0, 600)
    page.wait_for_function("() => parseInt(document.querySelector('#zoom-reset').textContent) < 100")
    page.mouse.click(*under_pointer)
    expect(page.locator("#inspector h2")).to_have_text("web1")


def test_it_fits_the_whole_drawing_to_the_screen_and_goes_back_to_100_percent(page: Page, server_url: str):
    nodes = [*SITE["nodes"], FAR]
    open_editor(page, server_url, {**SITE, "nodes": nodes})
    zoom = page.locator("#zoom-reset")
    page.locator("#canvas").focus()
    page.keyboard.press("Shift+Digit1")
    expect(zoom).not_to_have_text("100%")
    assert int(zoom.inner_text().rstrip("%")) < 50

    # Off screen before, now where fitting puts it: clicking it selects it.
    page.mouse.click(*fitted_point(page, nodes, FAR["x"], FAR["y"]))
    expect(page.locator("#inspector h2")).to_have_text("far1")
    page.keyboard.press("Shift+Digit0")
    expect(zoom).to_have_text("100%")

    page.get_by_role("button", name="Zoom out").click()
    page.get_by_role("button", name="Fit to screen").click()
    page.mouse.click(*fitted_point(page, nodes, 100, 260))
    expect(page.locator("#inspector h2")).to_have_text("users1")


def test_it_snaps_a_dragged_node_to_the_grid(page: Page, server_url: str):
    open_editor(page, server_url, SITE)
    start = node_point(page, "db1")
    before = canvas_pixels(page)
    drag(page, start, (start[0] + 47, start[1] + 13))
    wait_for_canvas_change(page, before)
    moved = node(page, "db1")
    assert (moved["x"], moved["y"]) == (680, 280)
    page.mouse.click(*canvas_point(page, 680 + 50, 280 + 25))
    expect(page.locator("#inspector h2")).to_have_text("db1")


def test_it_moves_the_selection_with_the_arrow_keys_and_undo_puts_it_back(page: Page, server_url: str):
    open_editor(page, server_url, SITE)
    page.mouse.click(*node_point(page, "web2"))
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowUp")
    page.wait_for_function(
        "() => JSON.parse(localStorage.getItem('scale-playground:new')).nodes.find((n) => n.id === 'web2').y === 260"
    )
    assert node(page, "web2")["x"] == 480
    page.keyboard.press("Control+z")
    page.wait_for_function(
        "() => JSON.parse(localStorage.getItem('scale-playground:new')).nodes.find((n) => n.id === 'web2').y === 360"
    )
    assert node(page, "web2")["x"] == 480

    page.keyboard.press("Escape")
    expect(page.locator("#inspector h2")).to_have_text("Traffic")
    before = canvas_pixels(page)
    page.keyboard.press("ArrowLeft")
    wait_for_canvas_change(page, before)
    assert node(page, "web1")["x"] == 460


def test_it_cancels_a_wire_in_progress_with_escape(page: Page, server_url: str):
    open_editor(page, server_url, SITE)
    handle = canvas_point(page, 460 + 60, 160)
    page.mouse.move(*handle)
    page.mouse.down()
    page.mouse.move(*node_point(page, "web2"), steps=6)
    page.keyboard.press("Escape")
    page.mouse.up()
    assert working_copy(page)["edges"] == SITE["edges"]
    expect(page.get_by_role("button", name="Undo")).to_be_disabled()


def test_it_disarms_a_component_and_drops_a_palette_drag_with_escape(page: Page, server_url: str):
    open_editor(page, server_url, SITE)
    server = page.locator('.palette-item[data-kind="web_server"]')
    server.click()
    expect(server).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Escape")
    expect(server).to_have_attribute("aria-pressed", "false")
    page.mouse.click(*canvas_point(page, 300, 480))

    box = server.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 10)
    page.mouse.down()
    page.mouse.move(*canvas_point(page, 300, 480), steps=8)
    expect(page.locator(".palette-chip")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(".palette-chip")).to_have_count(0)
    page.mouse.up()
    assert node_ids(page) == {n["id"] for n in SITE["nodes"]}


def test_it_lists_the_view_shortcuts_in_the_help_overlay(page: Page, server_url: str):
    open_editor(page, server_url)
    page.locator("#canvas").focus()
    page.keyboard.press("?")
    help_dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    for text in ("Fit the drawing to the screen", "Actual size", "mouse wheel", "Move the selection", "Rename it"):
        expect(help_dialog).to_contain_text(text)


def test_it_draws_a_replication_edge_unlike_a_request_edge(page: Page, server_url: str):
    # db1 -> db2 is replication; web1 -> db1 carries requests. Both run straight along y = 160.
    nodes = [
        {"id": "web1", "kind": "web_server", "x": 200, "y": 160, "props": {}},
        {"id": "db1", "kind": "database", "x": 440, "y": 160, "props": {}},
        {"id": "db2", "kind": "database", "x": 680, "y": 160, "props": {"role": "replica"}},
    ]
    edges = [{"from": "web1", "to": "db1"}, {"from": "db1", "to": "db2"}]
    open_editor(page, server_url, {**SITE, "nodes": nodes, "edges": edges})
    expect(page.locator("#node-stats tbody tr")).to_have_count(3)

    def colours(x0: int, x1: int) -> set[tuple[int, int, int]]:
        return {tuple(pixel(page, x, 160)[:3]) for x in range(x0, x1, 2)}

    teal = (0x0D, 0x94, 0x88)
    assert teal in colours(510, 600)
    assert teal not in colours(270, 360)


def test_it_pastes_components_copied_in_another_window(page: Page, server_url: str, browser):
    open_editor(page, server_url, SITE)
    page.mouse.click(*node_point(page, "web1"))
    page.keyboard.down("Shift")
    page.mouse.click(*node_point(page, "db1"))
    page.keyboard.up("Shift")
    page.keyboard.press("Control+c")

    other = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        elsewhere = other.new_page()
        open_editor(elsewhere, server_url, {**SITE, "title": "Empty", "nodes": [], "edges": []})
        elsewhere.locator("#canvas").focus()
        elsewhere.keyboard.press("Control+v")
        expect(elsewhere.locator("#node-stats tbody tr")).to_have_count(2)
        expect(elsewhere.locator("#inspector h2")).to_have_text("2 components selected")
        doc = working_copy(elsewhere)
        assert {(n["kind"], n["x"], n["y"]) for n in doc["nodes"]} == {("web_server", 500, 200), ("database", 680, 300)}
        assert doc["edges"] == [{"from": "web1", "to": "db1"}]
    finally:
        other.close()


def test_it_leaves_copying_selected_text_to_the_browser(page: Page, server_url: str):
    open_editor(page, server_url, SITE)
    page.mouse.click(*node_point(page, "web1"))
    hint = page.locator("#inspector .field-help").first
    hint.click(click_count=3)
    page.keyboard.press("Control+c")
    title = page.locator("#title")
    title.fill("")
    title.focus()
    page.keyboard.press("Control+v")
    expect(title).to_have_value(hint.inner_text().strip()[:200])
    assert len(node_ids(page)) == len(SITE["nodes"])
