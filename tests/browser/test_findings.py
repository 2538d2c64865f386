"""Design findings of the engine beside the canvas and on the nodes they concern."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import SITE, node_point, open_editor, pixel

pytestmark = pytest.mark.browser

AMBER = (217, 119, 6)


def is_amber(rgba: list[int]) -> bool:
    return all(abs(a - b) < 30 for a, b in zip(rgba[:3], AMBER, strict=True))


def test_it_lists_a_single_point_of_failure_and_marks_the_node(page: Page, server_url: str):
    open_editor(page, server_url, SITE)
    finding = page.locator('#findings li[data-kind="single_point_of_failure"][data-node="db1"]')
    expect(finding).to_contain_text("Single point of failure")
    expect(finding).to_contain_text("db1")
    expect(page.locator('#findings li[data-node="web1"]')).to_have_count(0)
    # The badge sits on db1's top-left corner (centre 640, 260; half size 60 x 30).
    page.wait_for_function(
        """() => {
            const canvas = document.querySelector('#canvas');
            const dpr = canvas.width / canvas.getBoundingClientRect().width;
            const [r, g, b] = canvas.getContext('2d').getImageData(Math.round(577 * dpr), Math.round(234 * dpr), 1, 1).data;
            return Math.abs(r - 217) < 30 && Math.abs(g - 119) < 30 && Math.abs(b - 6) < 30;
        }"""
    )
    assert not is_amber(pixel(page, 402, 132))  # web1 has a twin: no badge

    finding.click()
    expect(page.locator("#inspector h2")).to_have_text("db1")
    assert page.console_errors == []


def test_it_updates_the_findings_as_the_user_edits(page: Page, server_url: str):
    open_editor(page, server_url, SITE)
    expect(page.locator('#findings li[data-node="db1"]')).not_to_have_count(0)
    page.mouse.click(*node_point(page, "web2"))
    page.keyboard.press("Delete")
    # With one web server left, it becomes a single point of failure too.
    expect(page.locator('#findings li[data-kind="single_point_of_failure"][data-node="web1"]')).to_have_count(1)
    page.keyboard.press("Control+z")
    expect(page.locator('#findings li[data-node="web1"]')).to_have_count(0)
    expect(page.locator("#findings-count")).not_to_have_text("")


def test_it_states_the_findings_in_korean(korean_page: Page, server_url: str):
    open_editor(korean_page, server_url, SITE)
    finding = korean_page.locator('#findings li[data-kind="single_point_of_failure"][data-node="db1"]')
    expect(finding).to_contain_text("데이터베이스 'db1'은(는) 단일 장애 지점(SPOF)입니다.")
    expect(korean_page.locator("#findings")).not_to_contain_text("is a single point of failure")
    assert korean_page.console_errors == []
