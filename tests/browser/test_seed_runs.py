"""Run 20 seeds: the panel shows each figure's mean and 95% interval over 20 seeds, in the page's
language, and says so when the design has changed since."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.helpers import SITE, node_point, open_editor

pytestmark = pytest.mark.browser


def test_twenty_seeds_give_means_with_intervals_and_an_edit_marks_them_stale(page: Page, server_url: str):
    open_editor(page, server_url, SITE)
    page.get_by_role("button", name="Run 20 seeds").click()
    result = page.locator("#seeds-result")
    expect(result).to_have_attribute("data-state", "done", timeout=120_000)
    throughput = result.locator('tr[data-figure="throughput_rps"] td')
    mean = float(throughput.nth(1).inner_text().replace(",", ""))
    assert 190 <= mean <= 210  # 200 rps sent, Poisson: the mean over 20 minutes of traffic is close
    expect(throughput.nth(2)).to_have_text(re.compile(r"^[\d.,]+ – [\d.,]+$"))
    expect(result.locator('tr[data-figure="latency_ms.p99"] td').nth(1)).to_have_text(re.compile(r" ms$"))
    expect(result).to_contain_text("Seeds 0 to 19")
    screenshot(page, "seed-runs")

    page.mouse.click(*node_point(page, "web1"))
    workers = page.locator("#prop-workers")
    workers.fill("2")
    workers.press("Enter")
    expect(result).to_have_attribute("data-state", "stale")
    expect(result).to_contain_text("The design changed since")
    assert page.console_errors == []
