"""A lesson's "Try this" is done on the lesson's own page: the preset is changed in place (new
components, settings, kill and revive) and "Back to the preset" brings it back and starts the
lesson again; nothing is saved, so a reload shows the preset. The run pauses at the lesson's
duration with "Play on"; the last step offers the next lesson, the last lesson the list."""

import pytest
from playwright.sync_api import Browser, Page, expect

from playground.lessons.files import read_lessons
from tests.browser.conftest import screenshot, watched_page

pytestmark = pytest.mark.browser

LESSONS = read_lessons()
METRICS = next(lesson for lesson in LESSONS if lesson["slug"] == "13-metrics-and-alerts")
PRESET_NODES = len(METRICS["document"]["nodes"])


def open_lesson(page: Page, server_url: str, lesson: dict) -> None:
    page.goto(f"{server_url}/lessons/{lesson['slug']}/")
    expect(page.locator("#conn-status")).to_have_attribute("data-state", "open")


def add_web_server(page: Page) -> None:
    """Click a palette entry, then an empty corner of the canvas (the top right: the legend, two
    lines since the sampled requests, covers the bottom left)."""
    page.locator('.palette-item[data-kind="web_server"]').click()
    box = page.locator("#canvas").bounding_box()
    page.mouse.click(box["x"] + box["width"] - 100, box["y"] + 100)


def rows(page: Page):
    return page.locator("#node-stats tbody tr[data-node]")


def test_a_lesson_is_changed_in_place_and_brought_back_to_its_preset(page: Page, server_url: str):
    open_lesson(page, server_url, METRICS)
    lesson = page.locator("#lesson")
    expect(page.locator("#palette")).to_be_visible()
    expect(page.locator("#save")).to_be_hidden()
    expect(lesson.locator(".lesson-edited")).to_be_hidden()
    expect(rows(page)).to_have_count(PRESET_NODES)

    add_web_server(page)
    expect(rows(page)).to_have_count(PRESET_NODES + 1)
    expect(lesson.locator(".lesson-edited")).to_be_visible()
    # A setting and a kill, as the lesson's "Try this" asks, from the inspector of the node.
    page.locator('#node-stats tr[data-node="lb"]').click()
    page.locator('#inspector input[name="health_check_s"]').fill("1")
    page.select_option("#speed", "5")
    page.click("#play")
    page.locator('#node-stats tr[data-node="web2"]').click()
    page.locator('#inspector button[data-action="kill"]').click()
    expect(page.locator('#node-stats tr[data-node="web2"] td.state')).to_have_attribute("data-state", "down")
    expect(page.locator("#event-log")).to_contain_text("web2")
    screenshot(page, "lesson-changed-in-place")

    lesson.locator(".lesson-preset").click()
    expect(rows(page)).to_have_count(PRESET_NODES)
    expect(lesson.locator(".lesson-edited")).to_be_hidden()
    expect(lesson).to_have_attribute("data-step", "0")
    expect(page.locator("#sim-time")).to_have_text("0:00.0")
    expect(page.locator("#play")).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#event-log li")).to_have_count(0)
    page.locator('#node-stats tr[data-node="lb"]').click()
    expect(page.locator('#inspector input[name="health_check_s"]')).to_have_value("10")
    # The preset runs again as the narration tells it: web2 is up until the scenario kills it.
    page.click("#play")
    page.wait_for_function("() => document.querySelector('#sim-time').textContent !== '0:00.0'")
    expect(page.locator('#node-stats tr[data-node="web2"] td.state')).to_have_attribute("data-state", "up")

    add_web_server(page)
    expect(rows(page)).to_have_count(PRESET_NODES + 1)
    page.reload()
    expect(page.locator("#conn-status")).to_have_attribute("data-state", "open")
    expect(rows(page)).to_have_count(PRESET_NODES)
    assert page.console_errors == []


def test_open_as_a_topology_saves_the_design_on_screen(page: Page, server_url: str):
    open_lesson(page, server_url, METRICS)
    add_web_server(page)
    expect(rows(page)).to_have_count(PRESET_NODES + 1)
    page.locator("#lesson .lesson-open").click()
    page.wait_for_url("**/t/*/#edit=*")
    expect(page.locator("#title")).to_have_value(METRICS["title"]["en"])
    expect(rows(page)).to_have_count(PRESET_NODES + 1)
    expect(page.locator("#save")).to_be_visible()
    assert page.console_errors == []


@pytest.fixture(params=["en", "ko"])
def lang_page(request, browser: Browser):
    context = browser.new_context(
        viewport={"width": 1400, "height": 860}, locale={"en": "en-US", "ko": "ko-KR"}[request.param]
    )
    page = watched_page(context)
    page.lang = request.param
    yield page
    context.close()


def test_the_run_pauses_at_its_duration_and_the_last_step_offers_the_next_lesson(lang_page: Page, server_url: str):
    page, lang = lang_page, lang_page.lang
    lesson = next(item for item in LESSONS if item["slug"] == "10-stateless-web-tier")
    following = LESSONS[LESSONS.index(lesson) + 1]
    open_lesson(page, server_url, lesson)
    root = page.locator("#lesson")
    duration = f"{lesson['duration_s'] // 60}:{lesson['duration_s'] % 60:02d}"
    expect(root.locator(".lesson-clock")).to_have_text({"en": f"0:00 of {duration}", "ko": f"{duration} 중 0:00"}[lang])
    page.select_option("#speed", "25")
    page.click("#play")
    for index, step in enumerate(lesson["steps"]):
        if "question" in step:
            expect(root).to_have_attribute("data-step", str(index), timeout=30_000)
            expect(root.locator(".lesson-finish")).to_be_hidden()
            root.locator(".lesson-reveal").click()
            root.locator(".lesson-continue").click()
    expect(root).to_have_attribute("data-ended", "true", timeout=30_000)
    expect(root.locator(".lesson-end")).to_be_visible()
    expect(page.locator("#play")).to_have_attribute("aria-pressed", "false")
    stopped = page.locator("#sim-time").text_content()
    minutes, rest = stopped.split(":")
    assert lesson["duration_s"] <= int(minutes) * 60 + float(rest) < lesson["duration_s"] + 5
    link = root.locator(".lesson-next-lesson")
    expect(link).to_be_visible()
    expect(link).to_contain_text(following["title"][lang])
    expect(link).to_have_attribute("href", f"/lessons/{following['slug']}/")
    screenshot(page, f"lesson-run-over-{lang}")

    root.locator(".lesson-play-on").click()
    expect(root).to_have_attribute("data-ended", "false")
    expect(root.locator(".lesson-end")).to_be_hidden()
    page.wait_for_function("(stopped) => document.querySelector('#sim-time').textContent !== stopped", arg=stopped)
    # It runs on: the end does not stop it a second time.
    expect(page.locator("#play")).to_have_attribute("aria-pressed", "true")
    link.click()
    page.wait_for_url(f"**/lessons/{following['slug']}/")
    expect(page.locator("#lesson .lesson-title")).to_have_text(following["title"][lang])
    assert page.console_errors == []


def test_the_last_lesson_offers_the_list_of_lessons(page: Page, server_url: str):
    open_lesson(page, server_url, LESSONS[-1])
    link = page.locator("#lesson .lesson-next-lesson")
    expect(link).to_have_text("All lessons")
    expect(link).to_have_attribute("href", "/#lessons")
    assert page.console_errors == []
