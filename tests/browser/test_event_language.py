"""The event log speaks the page's language: the engine's English sentences arrive with their
template and params, and the page translates them."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import screenshot, watched_page
from tests.browser.helpers import SITE, node_point, open_editor

pytestmark = pytest.mark.browser


@pytest.fixture
def korean_page(browser: Browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ko-KR")
    yield watched_page(context)
    context.close()


def kill_from_the_menu(page: Page, node: str) -> None:
    page.mouse.click(*node_point(page, node), button="right")
    page.locator('[data-menu-action="kill"]').click()


def test_a_korean_page_shows_the_events_in_korean(korean_page: Page, server_url: str):
    page = korean_page
    open_editor(page, server_url, SITE)
    page.click("#play")
    page.wait_for_function("() => document.querySelector('#sim-time').textContent !== '0:00.0'")
    kill_from_the_menu(page, "web1")
    expect(page.locator("#event-log li").first).to_contain_text(
        re.compile(r"web1 강제 종료: 처리 중이던 요청 \d+개가 실패했습니다\.")
    )
    page.mouse.click(*node_point(page, "web1"), button="right")
    page.locator('[data-menu-action="revive"]').click()
    expect(page.locator("#event-log li").first).to_contain_text("web1 복구: 다시 요청을 처리합니다.")
    assert page.console_errors == []


def test_an_english_page_shows_the_engines_own_sentence(page: Page, server_url: str):
    open_editor(page, server_url, SITE)
    page.click("#play")
    page.wait_for_function("() => document.querySelector('#sim-time').textContent !== '0:00.0'")
    kill_from_the_menu(page, "web2")
    expect(page.locator("#event-log li").first).to_contain_text(
        re.compile(r"web2 was killed; the \d+ requests it held failed\.")
    )
    assert page.console_errors == []


def test_a_korean_scale_event_names_the_sizes_in_korean(korean_page: Page, server_url: str):
    """The machine sizes are choices: the sentence shows their Korean labels, not "small에서"."""
    page = korean_page
    open_editor(page, server_url, SITE)
    page.click("#play")
    page.wait_for_function("() => document.querySelector('#sim-time').textContent !== '0:00.0'")
    page.mouse.click(*node_point(page, "web1"))
    scale = page.locator('#inspector [data-action-form="scale"]')
    scale.locator('select[name="size"]').select_option("large")
    scale.locator('button[data-action="scale"]').click()
    expect(page.locator("#event-log li").first).to_contain_text(
        "web1 장비 변경: 소형 (small)에서 대형 (large) 장비로 바꿔 속도는 3.1배, 비용은 4배가 되었습니다(한 달 $80)."
    )
    page.locator("#event-log").scroll_into_view_if_needed()
    screenshot(page, "event-log-korean-scale")
    assert page.console_errors == []
