"""A lesson plays in the browser in English and Korean: from the list to lesson mode, through its
narration and questions, to an editable copy of its own."""

import pytest
from playwright.sync_api import Browser, Page, expect

from playground.lessons.files import read_lessons
from tests.browser.conftest import screenshot, watched_page

pytestmark = pytest.mark.browser

LESSON = next(lesson for lesson in read_lessons() if lesson["slug"] == "05-load-balancer")


@pytest.fixture(params=["en", "ko"])
def lang_page(request, browser: Browser):
    locale = {"en": "en-US", "ko": "ko-KR"}[request.param]
    context = browser.new_context(viewport={"width": 1400, "height": 860}, locale=locale)
    page = watched_page(context)
    page.lang = request.param
    yield page
    context.close()


def test_a_lesson_plays_from_the_gallery_to_an_editable_copy(lang_page: Page, server_url: str):
    page, lang = lang_page, lang_page.lang
    page.goto(server_url + "/")
    entry = page.locator(f'.lesson-item[data-lesson="{LESSON["slug"]}"]')
    expect(entry).to_contain_text(LESSON["title"][lang])
    entry.click()

    lesson = page.locator("#lesson")
    expect(page.locator("#conn-status")).to_have_attribute("data-state", "open")
    expect(lesson.locator(".lesson-title")).to_have_text(LESSON["title"][lang])
    expect(lesson.locator(".lesson-text")).to_have_text(LESSON["steps"][0]["text"][lang])
    expect(lesson.locator(".lesson-try-list li")).to_have_count(len(LESSON["try"]))
    # The preset can be changed in place (test_lesson_in_place.py), never saved.
    expect(page.locator("#palette")).to_be_visible()
    expect(page.locator("#save")).to_be_hidden()

    # Fast, so the scenario reaches the first question within seconds.
    page.select_option("#speed", "25")
    page.click("#play")
    first_question = next(i for i, step in enumerate(LESSON["steps"]) if "question" in step)
    expect(lesson).to_have_attribute("data-step", str(first_question))
    expect(lesson).to_have_attribute("data-waiting", "true")
    expect(lesson.locator(".lesson-question-text")).to_have_text(LESSON["steps"][first_question]["question"][lang])
    expect(lesson.locator(".lesson-answer")).to_be_hidden()
    # The question stops the simulation: the clock no longer moves.
    expect(page.locator("#play")).to_have_attribute("aria-pressed", "false")
    stopped_at = page.locator("#sim-time").text_content()
    assert LESSON["steps"][first_question]["at"] <= seconds(stopped_at) < LESSON["steps"][first_question + 1]["at"]
    screenshot(page, f"lesson-question-{lang}")

    # While the question waits, Back and Next browse the steps already reached.
    lesson.locator(".lesson-back").click()
    expect(lesson).to_have_attribute("data-step", str(first_question - 1))
    expect(lesson.locator(".lesson-text")).to_have_text(LESSON["steps"][first_question - 1]["text"][lang])
    lesson.locator(".lesson-next").click()
    expect(lesson).to_have_attribute("data-step", str(first_question))
    expect(lesson.locator(".lesson-next")).to_be_disabled()

    lesson.locator(".lesson-reveal").click()
    expect(lesson.locator(".lesson-answer-text")).to_have_text(LESSON["steps"][first_question]["answer"][lang])
    screenshot(page, f"lesson-answer-{lang}")
    lesson.locator(".lesson-continue").click()
    # The run goes on, through the steps without a question, to the next question, where it stops again.
    second_question = next(i for i, step in enumerate(LESSON["steps"]) if "question" in step and i > first_question)
    expect(lesson).to_have_attribute("data-step", str(second_question))
    expect(page.locator("#play")).to_have_attribute("aria-pressed", "false")
    expect(lesson.locator(".lesson-steps li.is-reached")).to_have_count(second_question + 1)

    lesson.locator(".lesson-open").click()
    page.wait_for_url("**/t/*/#edit=*")
    expect(page.locator("#title")).to_have_value(LESSON["title"][lang])
    expect(page.locator("#palette")).to_be_visible()
    expect(page.locator("#save")).to_be_visible()
    expect(page.locator("#title")).to_be_editable()
    assert page.console_errors == []


def seconds(shown: str) -> float:
    minutes, rest = shown.split(":")
    return int(minutes) * 60 + float(rest)


ALL = read_lessons()
# A million requests per second plays at about real time, a core's work every second: that lesson
# is checked to start and run, not walked to its end (most of a minute).
HEAVY = 200_000
WALKED = [lesson for lesson in ALL if lesson["document"]["traffic"]["rps"] < HEAVY]


@pytest.mark.parametrize("lesson", WALKED, ids=[lesson["slug"] for lesson in WALKED])
def test_every_lesson_plays_to_its_last_step(lesson, browser: Browser, server_url: str):
    """Each lesson, in one language or the other by turns, is walked through as a student would:
    every question stops the run, its answer shows, Continue runs on, to the last step."""
    lang = "ko" if lesson["number"] % 2 else "en"
    context = browser.new_context(viewport={"width": 1400, "height": 860}, locale={"en": "en-US", "ko": "ko-KR"}[lang])
    page = watched_page(context)
    try:
        page.goto(f"{server_url}/lessons/{lesson['slug']}/")
        expect(page.locator("#conn-status")).to_have_attribute("data-state", "open")
        root = page.locator("#lesson")
        expect(root.locator(".lesson-text")).to_have_text(lesson["steps"][0]["text"][lang])
        if "missing" in lesson:
            expect(root.locator(".lesson-missing-text")).to_have_text(lesson["missing"][lang])
        page.select_option("#speed", "100")
        page.click("#play")
        for index, step in enumerate(lesson["steps"]):
            if "question" not in step:
                continue
            expect(root).to_have_attribute("data-step", str(index), timeout=30_000)
            expect(root).to_have_attribute("data-waiting", "true")
            expect(root.locator(".lesson-question-text")).to_have_text(step["question"][lang])
            root.locator(".lesson-reveal").click()
            expect(root.locator(".lesson-answer-text")).to_have_text(step["answer"][lang])
            root.locator(".lesson-continue").click()
        last = len(lesson["steps"]) - 1
        expect(root.locator(".lesson-steps li.is-reached")).to_have_count(last + 1, timeout=30_000)
        if lesson["number"] == 13:
            screenshot(page, f"lesson-13-{lang}")
        assert page.console_errors == []
    finally:
        context.close()


def test_alerts_fire_on_the_incident_and_resolve_after_it(page: Page, server_url: str):
    lesson = next(lesson for lesson in ALL if lesson.get("alerts"))
    page.goto(f"{server_url}/lessons/{lesson['slug']}/")
    expect(page.locator("#conn-status")).to_have_attribute("data-state", "open")
    alerts = page.locator(".lesson-alert")
    expect(alerts).to_have_count(len(lesson["alerts"]))
    for alert in lesson["alerts"]:
        expect(page.locator(f'.lesson-alert[data-alert="{alert["id"]}"]')).to_have_attribute("data-state", "ok")
    page.select_option("#speed", "10")
    page.click("#play")
    question = next(i for i, step in enumerate(lesson["steps"]) if "question" in step)
    expect(page.locator("#lesson")).to_have_attribute("data-waiting", "true", timeout=30_000)
    expect(page.locator("#lesson")).to_have_attribute("data-step", str(question))
    # The question comes while the database is slow: both alerts are firing.
    for alert in lesson["alerts"]:
        expect(page.locator(f'.lesson-alert[data-alert="{alert["id"]}"]')).to_have_attribute("data-state", "firing")
    screenshot(page, "lesson-alerts-firing")
    page.locator(".lesson-reveal").click()
    page.locator(".lesson-continue").click()
    for alert in lesson["alerts"]:
        expect(page.locator(f'.lesson-alert[data-alert="{alert["id"]}"]')).to_have_attribute("data-state", "ok")
    assert page.console_errors == []


@pytest.mark.parametrize("lesson", [lesson for lesson in ALL if lesson["document"]["traffic"]["rps"] >= HEAVY])
def test_a_heavy_lesson_starts_and_runs(lesson, page: Page, server_url: str):
    page.goto(f"{server_url}/lessons/{lesson['slug']}/")
    expect(page.locator("#conn-status")).to_have_attribute("data-state", "open")
    expect(page.locator("#lesson .lesson-text")).to_have_text(lesson["steps"][0]["text"]["en"])
    page.click("#play")
    page.wait_for_function("() => document.querySelector('#sim-time').textContent !== '0:00.0'", timeout=60_000)
    page.wait_for_function(
        "() => Number(document.querySelector('#total-rps').textContent.replace(/[^0-9.]/g, '')) > 100000",
        timeout=60_000,
    )
    assert page.console_errors == []


def test_a_lesson_opens_with_its_whole_drawing_in_view(page: Page, server_url: str):
    lesson = next(item for item in read_lessons() if item["number"] == 6)  # five columns: wider than the canvas
    page.goto(f"{server_url}/lessons/{lesson['slug']}/")
    expect(page.locator("#zoom-reset")).not_to_have_text("100%")
    zoom = float(page.locator("#zoom-reset").inner_text().rstrip("%"))
    assert 30 <= zoom < 100
