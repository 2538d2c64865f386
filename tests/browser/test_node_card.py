"""A card beside the hovered node while the simulation runs: its numbers and a sparkline."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import SITE, canvas_point, node_point, open_editor

pytestmark = pytest.mark.browser


def test_it_shows_the_hovered_nodes_numbers_and_a_growing_sparkline_beside_it(page: Page, server_url: str):
    open_editor(page, server_url, SITE)
    card = page.locator(".node-card")
    page.mouse.move(*node_point(page, "web1"))
    expect(card).to_be_hidden()

    page.get_by_role("button", name="Play").click()
    page.mouse.move(*canvas_point(page, 300, 520))
    page.mouse.move(*node_point(page, "web1"))
    expect(card).to_be_visible()
    expect(card).to_contain_text("web1")
    expect(card).to_contain_text("rps")
    expect(card).to_contain_text("Util")
    page.wait_for_function(
        "() => document.querySelector('.node-card polyline').getAttribute('points').split(' ').length >= 5"
    )
    box = card.bounding_box()
    assert box["x"] >= canvas_point(page, 460 + 60, 0)[0]

    # db1 sits near the canvas's right edge: the card goes to its left, not over it.
    page.mouse.move(*node_point(page, "db1"))
    expect(card).to_contain_text("db1")
    box = card.bounding_box()
    assert box["x"] + box["width"] <= canvas_point(page, 640 - 60, 0)[0]

    page.mouse.move(*canvas_point(page, 300, 520))
    expect(card).to_be_hidden()
