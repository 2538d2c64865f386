"""Sampled requests on the page: their dots open their stories, the waterfall's sentence says why
one failed, in English and Korean, and the node card and event log name why a node fails."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.helpers import SITE, node_point, open_editor

pytestmark = pytest.mark.browser

# A quiet site: the engine samples about 100 requests a simulated second, so at 40 every request
# is a story and the canvas shows only sampled dots.
QUIET = {**SITE, "traffic": {**SITE["traffic"], "rps": 40}}

# The new user: users -> LB -> two web servers that queue at most 5 -> a database, sent
# far more than the two servers' 8 workers can serve.
OVERLOADED = {
    **SITE,
    "title": "Overloaded web tier",
    "traffic": {"rps": 1500, "pattern": "constant", "read_ratio": 0.9},
    "nodes": [
        {**node, "props": {"workers": 4, "service_ms": 20, "queue_limit": 5}} if node["kind"] == "web_server" else node
        for node in SITE["nodes"]
    ],
}

# A page function: a canvas point (CSS pixels from the canvas's corner) where the read class's
# colour is drawn, or null. Read dots are the only thing of that colour on a quiet site.
READ_DOT = """() => {
    const canvas = document.querySelector('#canvas');
    const {data, width, height} = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
    const scale = canvas.width / canvas.getBoundingClientRect().width;
    for (let i = 0; i < data.length; i += 4)
        if (data[i] === 59 && data[i + 1] === 130 && data[i + 2] === 246)
            return {x: (i / 4 % width) / scale, y: Math.floor(i / 4 / width) / scale};
    return null;
}"""

# A page function: whether the canvas looks the same as when last asked (the dots have stopped).
CANVAS_STILL = """() => {
    const now = document.querySelector('#canvas').toDataURL();
    const still = window.__lastCanvas === now;
    window.__lastCanvas = now;
    return still;
}"""


def play(page: Page) -> None:
    page.locator("#play").click()


def paused_on_a_dot(page: Page, attempts: int = 10) -> dict:
    """Pause while a sampled request's dot is on the canvas: on a slow machine the pause may land
    between two stories, so play on until one is there when the canvas holds still."""
    for _ in range(attempts):
        page.wait_for_function(READ_DOT)
        page.locator("#pause").click()
        page.wait_for_function(CANVAS_STILL, polling=300)
        dot = page.evaluate(READ_DOT)
        if dot is not None:
            return dot
        play(page)
    raise AssertionError(f"no sampled request's dot on the canvas after {attempts} pauses")


def test_it_opens_a_dots_story_when_it_is_clicked(page: Page, server_url: str):
    open_editor(page, server_url, QUIET)
    play(page)
    expect(page.locator(".legend")).to_contain_text("sampled request")
    dot = paused_on_a_dot(page)
    box = page.locator("#canvas").bounding_box()
    page.mouse.click(box["x"] + dot["x"], box["y"] + dot["y"])

    story = page.get_by_role("dialog", name="Request story")
    expect(story).to_be_visible()
    expect(story).to_contain_text("Request #")
    expect(story.locator(".story-hops li").first).to_contain_text("lb1")
    expect(story.locator(".story-sentence")).not_to_be_empty()
    assert not page.console_errors


def test_it_names_why_an_overloaded_node_fails_in_its_card_table_and_event_log(page: Page, server_url: str):
    open_editor(page, server_url, OVERLOADED)
    play(page)
    expect(page.locator("#event-log")).to_contain_text(
        re.compile(r"web\d refuses requests: its queue is full \(limit 5\)")
    )
    expect(page.locator("#node-stats")).to_contain_text(re.compile(r"Refused: queue full: [\d.,]+ failed/s"))
    page.mouse.move(*node_point(page, "web1"))
    expect(page.locator(".node-card")).to_contain_text(re.compile(r"Refused: queue full: [\d.,]+ failed/s"))
    screenshot(page, "stories-overloaded-card")


def test_it_says_which_queue_was_full_and_its_limit_for_a_refused_request(page: Page, server_url: str):
    open_editor(page, server_url, OVERLOADED)
    play(page)
    failed = page.locator('[data-exemplars="failed"] .exemplar').first
    expect(failed).to_contain_text("Refused: queue full")
    failed.click()
    story = page.get_by_role("dialog", name="Request story")
    expect(story.locator(".story-sentence")).to_have_text(
        re.compile(r"^web\d's queue was full \(limit 5\): refused after [\d.]+ ms\.$")
    )
    expect(story.locator('.story-hops li[data-outcome="queue_full"]')).to_contain_text("Refused: queue full")
    # The slowest answered ones are one click away too.
    page.locator('[data-exemplars="slowest"] .exemplar').first.click()
    expect(story.locator(".story-sentence")).to_contain_text("Answered in")
    screenshot(page, "stories-waterfall")


def test_it_tells_a_refused_requests_story_in_korean(korean_page: Page, server_url: str):
    page = korean_page
    open_editor(page, server_url, OVERLOADED)
    play(page)
    page.locator('[data-exemplars="failed"] .exemplar').first.click()
    sentence = page.locator(".story-panel .story-sentence")
    expect(sentence).to_have_text(re.compile(r"^web\d의 대기열이 가득 찼습니다\(한도 5\)"))
    screenshot(page, "stories-waterfall-ko")
