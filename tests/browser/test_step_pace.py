"""More traffic than a frame may simulate: the clock says the simulation runs slower than chosen."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import SITE, open_editor

pytestmark = pytest.mark.browser


def test_the_clock_says_when_traffic_slows_the_simulation(page: Page, server_url: str):
    flood = {**SITE, "traffic": {**SITE["traffic"], "rps": 2_000_000}}
    open_editor(page, server_url, flood)
    pace = page.locator("#sim-pace")
    page.select_option("#speed", "100")
    page.click("#play")
    expect(pace).to_be_visible(timeout=20_000)
    expect(pace).to_contain_text("of the chosen speed")
    page.click("#pause")
    assert page.console_errors == []


def test_it_stays_quiet_when_the_simulation_keeps_up(page: Page, server_url: str):
    open_editor(page, server_url, SITE)
    page.click("#play")
    page.wait_for_function("() => document.querySelector('#sim-time').textContent !== '0:00.0'", timeout=20_000)
    page.wait_for_function("() => parseFloat(document.querySelector('#sim-time').textContent.split(':')[1]) >= 1")
    expect(page.locator("#sim-pace")).to_be_hidden()
    page.click("#pause")


def test_it_keeps_running_past_the_frames_a_page_may_leave_unacknowledged(page: Page, server_url: str):
    """The server waits after 20 unacknowledged frames (2 s at 1x): the page acknowledges what it
    shows, so the clock goes on well past that."""
    open_editor(page, server_url, SITE)
    page.click("#play")
    page.wait_for_function("() => parseFloat(document.querySelector('#sim-time').textContent.split(':')[1]) >= 5",
                           timeout=20_000)  # fmt: skip
    expect(page.locator("#sim-pace")).to_be_hidden()
    page.click("#pause")
    assert page.console_errors == []
