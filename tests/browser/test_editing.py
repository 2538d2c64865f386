"""Editing the drawing: undo and redo, multiple selection, copy and paste, keyboard shortcuts."""

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
    wait_for_canvas_change,
    working_copy,
)

pytestmark = pytest.mark.browser

ROW = '#node-stats tr[data-node="{}"]'


def test_it_brings_a_deleted_node_back_with_undo_and_removes_it_again_with_redo(page: Page, server_url: str):
    open_editor(page, server_url, SITE)
    undo = page.get_by_role("button", name="Undo")
    redo = page.get_by_role("button", name="Redo")
    expect(undo).to_be_disabled()
    page.mouse.click(*node_point(page, "web2"))
    before = canvas_pixels(page)
    page.keyboard.press("Delete")
    expect(page.locator(ROW.format("web2"))).to_have_count(0)
    wait_for_canvas_change(page, before)
    assert "web2" not in node_ids(page)

    undo.click()
    expect(page.locator(ROW.format("web2"))).to_have_count(1)
    assert {"from": "lb1", "to": "web2"} in working_copy(page)["edges"]
    redo.click()
    expect(page.locator(ROW.format("web2"))).to_have_count(0)
    page.locator("#canvas").focus()
    page.keyboard.press("Control+z")
    expect(page.locator(ROW.format("web2"))).to_have_count(1)
    page.keyboard.press("Control+Shift+z")
    expect(page.locator(ROW.format("web2"))).to_have_count(0)
    assert page.console_errors == []


def test_it_undoes_a_move_and_a_prop_change(page: Page, server_url: str):
    open_editor(page, server_url, SITE)
    start = node_point(page, "db1")
    drag(page, start, (start[0] + 100, start[1] + 60))
    assert next(n for n in working_copy(page)["nodes"] if n["id"] == "db1")["x"] == 740
    page.get_by_role("button", name="Undo").click()
    page.wait_for_function(
        "() => JSON.parse(localStorage.getItem('scale-playground:new')).nodes.find((n) => n.id === 'db1').x === 640"
    )
    page.mouse.click(*node_point(page, "web1"))
    page.fill("#prop-workers", "12")
    page.wait_for_function(
        "() => JSON.parse(localStorage.getItem('scale-playground:new')).nodes.find((n) => n.id === 'web1').props.workers === 12"
    )
    page.locator("#canvas").focus()
    page.keyboard.press("Control+z")
    page.wait_for_function(
        "() => JSON.parse(localStorage.getItem('scale-playground:new')).nodes.find((n) => n.id === 'web1').props.workers !== 12"
    )


def test_it_selects_several_nodes_by_shift_click_and_rubber_band_and_deletes_them(page: Page, server_url: str):
    open_editor(page, server_url, SITE)
    page.mouse.click(*node_point(page, "web1"))
    page.keyboard.down("Shift")
    page.mouse.click(*node_point(page, "web2"))
    page.keyboard.up("Shift")
    expect(page.locator("#inspector h2")).to_have_text("2 components selected")
    page.keyboard.press("Delete")
    expect(page.locator("#node-stats tbody tr")).to_have_count(3)
    page.keyboard.press("Control+z")
    expect(page.locator("#node-stats tbody tr")).to_have_count(5)

    # A rubber band from empty space around lb1, web1 and web2 (not users1 or db1).
    drag(page, canvas_point(page, 200, 100), canvas_point(page, 540, 420), modifier="Shift")
    expect(page.locator("#inspector h2")).to_have_text("3 components selected")
    page.keyboard.press("Delete")
    expect(page.locator("#node-stats tbody tr")).to_have_count(2)
    assert node_ids(page) == {"users1", "db1"}


def test_it_pans_when_dragging_empty_space_without_a_modifier(page: Page, server_url: str):
    open_editor(page, server_url, SITE)
    before = canvas_pixels(page)
    drag(page, canvas_point(page, 300, 500), canvas_point(page, 360, 540))
    wait_for_canvas_change(page, before)
    assert working_copy(page)["nodes"] == SITE["nodes"]
    expect(page.locator("#inspector h2")).to_have_text("Traffic")


def test_it_copies_pastes_and_duplicates_with_fresh_ids(page: Page, server_url: str):
    open_editor(page, server_url, SITE)
    page.mouse.click(*node_point(page, "web1"))
    page.keyboard.down("Shift")
    page.mouse.click(*node_point(page, "db1"))
    page.keyboard.up("Shift")
    page.keyboard.press("Control+c")
    page.keyboard.press("Control+v")
    expect(page.locator("#node-stats tbody tr")).to_have_count(7)
    doc = working_copy(page)
    assert {"web3", "db2"} <= node_ids(page)
    assert {"from": "web3", "to": "db2"} in doc["edges"]
    web3 = next(n for n in doc["nodes"] if n["id"] == "web3")
    assert (web3["x"], web3["y"]) == (500, 200)

    page.mouse.click(*node_point(page, "users1"))
    page.keyboard.press("Control+d")
    expect(page.locator('#node-stats tr[data-node="users2"]')).to_have_count(1)
    expect(page.locator("#inspector h2")).to_have_text("users2")


def test_it_cancels_a_move_with_escape(page: Page, server_url: str):
    open_editor(page, server_url, SITE)
    start = node_point(page, "db1")
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(start[0] + 120, start[1] + 80, steps=6)
    page.keyboard.press("Escape")
    page.mouse.up()
    assert next(n for n in working_copy(page)["nodes"] if n["id"] == "db1")["x"] == 640
    expect(page.get_by_role("button", name="Undo")).to_be_disabled()


def test_it_plays_and_pauses_with_space_and_zooms_with_plus_and_minus(page: Page, server_url: str):
    open_editor(page, server_url, SITE)
    page.locator("#canvas").focus()
    page.keyboard.press(" ")
    expect(page.locator("#play")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press(" ")
    expect(page.locator("#play")).to_have_attribute("aria-pressed", "false")
    page.keyboard.press("+")
    expect(page.locator("#zoom-reset")).to_have_text("120%")
    page.keyboard.press("-")
    page.keyboard.press("-")
    expect(page.locator("#zoom-reset")).to_have_text("83%")


def test_it_lists_the_shortcuts_in_a_help_overlay(page: Page, server_url: str):
    open_editor(page, server_url)
    page.locator("#canvas").focus()
    page.keyboard.press("?")
    help_dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(help_dialog).to_be_visible()
    expect(help_dialog).to_contain_text("Undo")
    expect(help_dialog).to_contain_text("Play or pause")
    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()
    page.get_by_role("button", name="Keyboard shortcuts").click()
    expect(help_dialog).to_be_visible()
