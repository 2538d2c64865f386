"""A teacher's page and a student's page side by side: going live, joining by code, watching in step,
the teacher's controls and narration reaching the student, and the end of the class."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import join_by_code, screenshot
from tests.browser.helpers import node_point

pytestmark = pytest.mark.browser


def clock(page: Page) -> str:
    return page.locator("#sim-time").inner_text()


def test_it_runs_one_class_that_a_student_watches_in_step(teacher: Page, student_context, server_url: str):
    code = teacher.locator("#live-code").inner_text().strip()
    assert re.fullmatch(r"[A-Z0-9]{6}", code)
    assert "teach=" not in teacher.url  # the teacher's secret never stays in the address bar

    student = join_by_code(student_context, server_url, code)
    expect(student.locator("#play")).to_be_disabled()
    expect(student.locator("#live-end")).to_be_hidden()
    expect(student.locator("#live-role")).to_contain_text("선생님")
    expect(teacher.locator("#live-audience")).to_have_attribute("data-count", "1")

    teacher.locator("#play").click()
    student.wait_for_function("() => document.querySelector('#sim-time').textContent !== '0:00.0'")
    expect(student.locator('#node-stats tr[data-node="web1"] td.state')).to_have_attribute("data-state", "up")

    teacher.locator("#narrate-text").fill("Watch web1: it is about to fail.")
    teacher.get_by_role("button", name="Show to the class").click()
    expect(student.locator("#narration")).to_have_text("Watch web1: it is about to fail.")

    teacher.mouse.click(*node_point(teacher, "web1"), button="right")
    teacher.locator('[data-menu-action="kill"]').click()
    expect(student.locator('#node-stats tr[data-node="web1"] td.state')).to_have_attribute("data-state", "down")
    expect(student.locator('#node-stats tr[data-node="web1"] td.state')).to_have_text("다운")
    # One event, each watcher in their own language.
    expect(student.locator("#event-log li").first).to_contain_text("web1 강제 종료: 처리 중이던 요청")
    expect(teacher.locator("#event-log li").first).to_contain_text("web1 was killed; the")

    teacher.locator("#pause").click()
    expect(student.locator("#play")).to_have_attribute("aria-pressed", "false")
    paused_at = clock(teacher)
    expect(student.locator("#sim-time")).to_have_text(paused_at)

    screenshot(teacher, "live-teacher")
    screenshot(student, "live-student")
    teacher.locator("#live-code").click()
    expect(teacher.locator("#join-dialog .join-big-code")).to_have_text(code)
    expect(teacher.locator("#join-dialog img.join-qr")).to_have_js_property("complete", True)
    assert teacher.locator("#join-dialog img.join-qr").evaluate("img => img.naturalWidth") > 100
    screenshot(teacher, "live-join-code")
    teacher.keyboard.press("Escape")

    teacher.once("dialog", lambda dialog: dialog.accept())
    teacher.locator("#live-end").click()
    expect(student.locator("#narration")).to_have_text("선생님이 수업을 끝냈습니다.")
    expect(student.locator("#conn-status")).to_have_attribute("data-state", "closed")
    assert teacher.console_errors == [] and student.console_errors == []


def test_it_puts_a_late_joiner_in_step_at_once(teacher: Page, student_context, server_url: str):
    code = teacher.locator("#live-code").inner_text().strip()
    teacher.locator("#speed").select_option("10")
    teacher.locator("#play").click()
    teacher.wait_for_function("() => document.querySelector('#sim-time').textContent >= '0:03'")
    teacher.locator("#pause").click()

    late = join_by_code(student_context, server_url, code)
    expect(late.locator("#sim-time")).not_to_have_text("0:00.0")
    # A frame already on its way when the teacher pressed Pause still reaches the teacher, so the
    # class's own clock (the late joiner's) is the one to match.
    paused_at = clock(late)
    expect(teacher.locator("#sim-time")).to_have_text(paused_at)
    assert paused_at >= "0:03"
    expect(late.locator("#speed")).to_have_value("10")
    expect(late.locator('#node-stats tr[data-node="lb1"] td.state')).to_have_attribute("data-state", "up")


def test_it_tells_a_student_when_the_code_is_wrong(page: Page, server_url: str):
    page.goto(server_url + "/live/")
    page.locator("#code").fill("ZZZZZZ")
    page.locator("#code").press("Enter")
    expect(page.locator("#join-error")).to_contain_text("ZZZZZZ")
