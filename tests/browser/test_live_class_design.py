"""A live class shows its design findings, lets its teacher change props of the running
simulation (students see the new values), and once it ends offers to keep its design."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import join_by_code, screenshot
from tests.browser.helpers import node_point
from tests.browser.layout import PHONE, overflows_sideways, reachable, small_targets

pytestmark = pytest.mark.browser


def code_of(teacher: Page) -> str:
    return teacher.locator("#live-code").inner_text().strip()


def end_class(teacher: Page) -> None:
    teacher.once("dialog", lambda dialog: dialog.accept())
    teacher.locator("#live-end").click()
    expect(teacher.locator("#live-ended")).to_be_visible()


def test_teacher_and_students_see_the_design_findings(teacher: Page, student_context, server_url: str):
    student = join_by_code(student_context, server_url, code_of(teacher))
    for page in (teacher, student):
        expect(page.locator('#findings li[data-kind="single_point_of_failure"]').first).to_be_visible()


def test_the_teacher_changes_a_prop_and_the_students_see_it(teacher: Page, student_context, server_url: str):
    student = join_by_code(student_context, server_url, code_of(teacher))
    teacher.mouse.click(*node_point(teacher, "web1"))
    workers = teacher.locator("#prop-workers")
    expect(workers).to_be_enabled()
    expect(teacher.locator("#node-label")).to_be_disabled()  # the class's structure stays as it went live
    workers.fill("3")
    workers.press("Tab")

    student.locator('#node-stats tr[data-node="web1"]').click()
    expect(student.locator("#prop-workers")).to_have_value("3")
    expect(student.locator("#prop-workers")).to_be_disabled()
    assert teacher.console_errors == [] and student.console_errors == []


def test_an_ended_class_is_kept_as_a_draft(teacher: Page, student_context, server_url: str):
    student = join_by_code(student_context, server_url, code_of(teacher))
    expect(teacher.locator("#live-audience")).to_have_attribute("data-count", "1")
    end_class(teacher)
    expect(teacher.locator("#live-audience")).to_be_hidden()  # nobody is watching: no stale count
    expect(student.locator("#live-ended")).to_be_visible()
    screenshot(teacher, "live-ended-teacher")

    teacher.locator("#live-keep-editing").click()
    teacher.wait_for_url(server_url + "/")
    expect(teacher.locator("#node-stats tbody tr")).to_have_count(5)
    expect(teacher.locator("#save")).to_be_enabled()


def test_an_ended_class_is_saved_as_a_topology(teacher: Page, server_url: str):
    end_class(teacher)
    teacher.locator("#live-save-design").click()
    teacher.wait_for_url(re.compile(r"/t/[\w-]+/"))
    expect(teacher.locator("#share-dialog")).to_be_visible()
    expect(teacher.locator("#node-stats tbody tr")).to_have_count(5)


def test_a_student_watches_on_a_phone(teacher: Page, browser: Browser, server_url: str):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    student = join_by_code(context, server_url, code_of(teacher))
    teacher.locator("#narrate-text").fill("Watch the load balancer.")
    teacher.locator("#narrate-form button").click()
    expect(student.locator("#narration")).to_have_text("Watch the load balancer.")
    for selector in ("#narration", "#canvas", "#sim-time", "#total-rps", "#live-code"):
        assert reachable(student, student.locator(selector)), selector
    assert small_targets(student, ".topbar button, .simbar button") == []
    assert not overflows_sideways(student)
    screenshot(student, "live-student-phone-390")
    end_class(teacher)
    expect(student.locator("#live-ended")).to_be_visible()
    assert reachable(student, student.locator("#live-keep-editing"))
    screenshot(student, "live-ended-student-phone-390")
    context.close()
