"""A lesson's narration follows the simulation's own time: a step that says something happened
shows only once the frames show it. Lesson 6 used to ask "Now the primary dies..." while the
primary was still up whenever a frame ended exactly at the kill's time (at these speeds, always)."""

import pytest
from playwright.sync_api import Page, expect

from playground.lessons.files import read_lessons
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

LESSON = next(lesson for lesson in read_lessons() if lesson["slug"] == "06-replication")
KILL = next(
    action for action in LESSON["document"]["scenario"] if action == {"at": 70, "action": "kill", "target": "primary"}
)
STEP = next(i for i, step in enumerate(LESSON["steps"]) if step["at"] == KILL["at"])


@pytest.mark.parametrize("speed", ["10", "25"])
def test_the_question_about_the_dead_primary_shows_with_the_primary_down(page: Page, server_url: str, speed: str):
    page.goto(server_url + f"/lessons/{LESSON['slug']}/")
    expect(page.locator("#conn-status")).to_have_attribute("data-state", "open")
    page.select_option("#speed", speed)
    page.click("#play")
    lesson = page.locator("#lesson")
    expect(lesson).to_have_attribute("data-step", str(STEP))
    expect(lesson).to_have_attribute("data-waiting", "true")
    # The moment the question is on screen, the numbers already say the primary died.
    state = page.evaluate(
        """() => document.querySelector('#node-stats tr[data-node="primary"] td.state').dataset.state"""
    )
    assert state == "down"
    expect(page.locator("#event-log")).to_contain_text("primary")
    assert page.console_errors == []


def test_a_korean_lesson_names_its_nodes_in_korean(korean_page: Page, server_url: str):
    page = korean_page
    page.goto(server_url + f"/lessons/{LESSON['slug']}/")
    expect(page.locator("#conn-status")).to_have_attribute("data-state", "open")
    expect(page.locator('#node-stats tr[data-node="replica2"] td.name')).to_contain_text("부 DB 2")
    expect(page.locator('#node-stats tr[data-node="primary"] td.name')).to_contain_text("주 DB")
    page.click("#play")
    expect(page.locator("#node-stats tbody")).not_to_contain_text("Replica")
    screenshot(page, "lesson-06-ko")
    assert page.console_errors == []
