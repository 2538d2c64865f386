"""The dots say what happened to the requests (cache hits and misses, replication, ...) in the
legend's colours; the hit ratio has its chart and the data counters of the frames are shown."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.helpers import HAS_COLOUR, open_editor

pytestmark = pytest.mark.browser

CACHED = {
    "version": 1,
    "title": "Cache and replica",
    "traffic": {"rps": 400, "read_ratio": 0.7, "keys": 200, "zipf": 1.0},
    "nodes": [
        {"id": "users1", "kind": "users", "x": 80, "y": 240, "props": {}},
        {"id": "web1", "kind": "web_server", "x": 260, "y": 240, "props": {}},
        {"id": "cache1", "kind": "cache", "x": 460, "y": 120, "props": {}},
        {"id": "db1", "kind": "database", "x": 460, "y": 360, "props": {}},
        {"id": "db2", "kind": "database", "x": 640, "y": 360, "props": {"role": "replica"}},
    ],
    "edges": [
        {"from": "users1", "to": "web1"},
        {"from": "web1", "to": "cache1"},
        {"from": "web1", "to": "db1"},
        {"from": "db1", "to": "db2"},
    ],
    "scenario": [],
}


def swatch_rgb(page: Page, name: str) -> list[int]:
    colour = page.locator(f'.legend-swatch[data-class="{name}"]').evaluate("(e) => getComputedStyle(e).backgroundColor")
    return [int(value) for value in re.findall(r"\d+", colour)[:3]]


def test_hits_misses_and_replication_have_their_own_colours(page: Page, server_url: str):
    open_editor(page, server_url, CACHED)
    page.get_by_role("button", name="Play").click()
    legend = page.get_by_role("list", name="Legend")
    for name, text in (("hit", "Cache hit"), ("miss", "Cache miss"), ("replication", "Replication")):
        entry = legend.locator("li").filter(has=page.locator(f'[data-class="{name}"]'))
        expect(entry).to_be_visible()
        expect(entry).to_have_text(text)
        page.wait_for_function(HAS_COLOUR, arg=swatch_rgb(page, name))
    # No static file was asked for: its colour is not listed.
    expect(legend.locator("li").filter(has=page.locator('[data-class="static"]'))).to_be_hidden()

    page.wait_for_function("() => Number(document.querySelector('[data-chart=\"hits\"]').dataset.points) >= 3")
    expect(page.locator('[data-chart="hits"] .u-title')).to_have_text("Hit ratio (%)")
    counters = page.locator("#data-counters")
    expect(counters.locator('[data-counter="stale_reads"] dt')).to_have_text("Stale reads")
    expect(counters.locator('[data-counter="lost_writes"] dd')).to_have_text(re.compile(r"^\d[\d,]*$"))
    expect(counters.locator('[data-counter="queue_depth"]')).to_be_visible()
    screenshot(page, "outcomes-en-light")
    assert page.console_errors == []


def test_the_legend_and_counters_speak_korean(korean_page: Page, server_url: str):
    page = korean_page
    open_editor(page, server_url, CACHED)
    page.locator("#play").click()
    legend = page.get_by_role("list", name="범례")
    expect(legend.locator("li").filter(has=page.locator('[data-class="hit"]'))).to_have_text("캐시 적중")
    expect(page.locator('#data-counters [data-counter="stale_reads"] dt')).to_have_text("오래된 읽기")
    page.wait_for_function("() => Number(document.querySelector('[data-chart=\"hits\"]').dataset.points) >= 3")
    expect(page.locator('[data-chart="hits"] .u-title')).to_have_text("적중률 (%)")
