"""Reset starts the run again from 0:00, and what the screen says of the old run goes with it:
the event log, the data counters and the headline numbers."""

import copy

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import SITE, open_editor

pytestmark = pytest.mark.browser

KILLED = copy.deepcopy(SITE)
KILLED["scenario"] = [{"at": 1, "action": "kill", "target": "web1"}]


def test_reset_clears_the_event_log_of_the_old_run(page: Page, server_url: str):
    open_editor(page, server_url, KILLED)
    page.select_option("#speed", "5")
    page.get_by_role("button", name="Play").click()
    log = page.locator("#event-log li")
    expect(log.filter(has_text="web1")).not_to_have_count(0)
    page.locator("#reset").click()
    expect(page.locator("#sim-time")).to_have_text("0:00.0")
    expect(log).to_have_count(0)
    expect(page.locator("#total-rps")).to_have_text("—")
    # Played again, the run tells its own events.
    page.get_by_role("button", name="Play").click()
    expect(log.filter(has_text="web1")).to_have_count(1)
    assert page.console_errors == []
