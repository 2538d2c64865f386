"""The legend of the moving dots: it appears with the simulation, and its colours are the dots'."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import HAS_COLOUR, SITE, open_editor

pytestmark = pytest.mark.browser


def test_it_shows_a_legend_whose_colours_are_those_of_the_moving_dots(page: Page, server_url: str):
    open_editor(page, server_url, SITE)
    legend = page.get_by_role("list", name="Legend")
    expect(legend).to_be_hidden()
    read = page.locator('.legend-swatch[data-class="read"]').evaluate("(e) => getComputedStyle(e).backgroundColor")
    rgb = [int(value) for value in re.findall(r"\d+", read)[:3]]
    assert page.evaluate(HAS_COLOUR, rgb) is False

    page.get_by_role("button", name="Play").click()
    expect(legend).to_be_visible()
    for text in ("Read", "Write", "Error", "Replication"):
        expect(legend).to_contain_text(text)
    page.wait_for_function(HAS_COLOUR, arg=rgb)


def test_it_still_draws_the_dots_in_their_colour_when_zoomed_far_out(page: Page, server_url: str):
    open_editor(page, server_url, SITE)
    page.locator("#canvas").focus()
    for _ in range(4):
        page.keyboard.press("-")
    expect(page.locator("#zoom-reset")).to_have_text("48%")
    read = page.locator('.legend-swatch[data-class="read"]').evaluate("(e) => getComputedStyle(e).backgroundColor")
    rgb = [int(value) for value in re.findall(r"\d+", read)[:3]]
    page.get_by_role("button", name="Play").click()
    page.wait_for_function(HAS_COLOUR, arg=rgb)
