"""English and Korean: the browser's language picks the default; a switch changes it."""

import json
import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import screenshot, watched_page
from tests.browser.helpers import SITE, WORKING_COPY, node_point, open_editor

pytestmark = pytest.mark.browser


@pytest.fixture
def korean_page(browser: Browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="ko-KR")
    yield watched_page(context)
    context.close()


def test_it_shows_korean_to_a_browser_that_prefers_korean(korean_page: Page, server_url: str):
    page = korean_page
    open_editor(page, server_url, SITE)
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page.locator("#play")).to_contain_text("재생")
    expect(page.locator('.palette-item[data-kind="load_balancer"]')).to_contain_text("로드밸런서")
    expect(page.locator('.palette-item[data-kind="web_server"]')).to_contain_text("웹 서버")
    expect(page.get_by_role("button", name="실행 취소")).to_be_visible()
    expect(page.locator("#conn-status")).to_have_text("연결됨")
    expect(page.locator('#findings li[data-node="db1"]').first).to_contain_text("단일 장애 지점(SPOF)")
    expect(page.locator(".totals")).to_contain_text("처리량")
    page.click("#play")
    page.wait_for_function("() => Number(document.querySelector('.chart').dataset.points) >= 3")
    expect(page.locator(".chart .u-title").first).to_have_text("처리량 (rps)")
    screenshot(page, "editor-ko-light")
    assert page.console_errors == []


def test_it_switches_between_english_and_korean(page: Page, server_url: str):
    open_editor(page, server_url, SITE)
    expect(page.locator("#play")).to_contain_text("Play")
    page.get_by_role("button", name="한국어").click()
    expect(page.locator("#play")).to_contain_text("재생")
    expect(page.get_by_role("button", name="한국어")).to_have_attribute("aria-pressed", "true")
    expect(page.locator('#node-stats tr[data-node="db1"]')).to_have_count(1)
    page.get_by_role("button", name="EN").click()
    expect(page.locator("#play")).to_contain_text("Play")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_a_refused_value_is_explained_in_korean(korean_page: Page, server_url: str):
    page = korean_page
    page.goto(server_url + "/")
    rps = page.locator("#traffic-rps")
    rps.fill("99999999")
    error = page.locator("#traffic-rps-error")
    expect(error).to_have_text("0에서 2000000 사이여야 합니다.")
    expect(rps).to_have_attribute("aria-invalid", "true")


def test_choices_read_in_korean_and_the_document_keeps_the_choice(korean_page: Page, server_url: str):
    page = korean_page
    open_editor(page, server_url, SITE)
    pattern = page.locator("#traffic-pattern")
    expect(pattern.locator("option")).to_have_text(
        ["일정 (constant)", "점차 증가 (ramp)", "급증 (spike)", "하루 주기 (diurnal)"]
    )
    expect(page.locator('label[for="traffic-read_ratio"]')).to_have_text("읽기 비율 (read_ratio)")
    page.mouse.click(*node_point(page, "lb1"))
    algorithm = page.locator("#prop-algorithm")
    expect(algorithm.locator("option:checked")).to_have_text("라운드 로빈 (round_robin)")
    algorithm.select_option(label="최소 연결 (least_connections)")
    expect(algorithm).to_have_value("least_connections")
    page.wait_for_function(
        f"() => JSON.parse(localStorage.getItem({json.dumps(WORKING_COPY)})).nodes"
        ".find((node) => node.id === 'lb1').props.algorithm === 'least_connections'"
    )
    page.mouse.click(*node_point(page, "db1"))
    expect(page.locator("#prop-model option")).to_have_text(["관계형 (relational)", "비관계형 NoSQL (nosql)"])
    expect(page.locator("#prop-size option:checked")).to_have_text("소형 (small)")
    # A number's range leads its explanation.
    expect(page.locator("#prop-vnodes-help")).to_have_text(re.compile(r"^1~1000\. 가상 노드"))
    # Each field is named in Korean, with the name the document and the explanations use.
    expect(page.locator('label[for="prop-vnodes"]')).to_have_text("가상 노드 수 (vnodes)")
    assert page.console_errors == []
