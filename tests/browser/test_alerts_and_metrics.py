"""Monitoring in the editor: alerts on any metric of the frames (a node's, a tier's, the
business numbers) that fire and resolve in the event log and are kept per topology in this
browser; the metrics grouped as business, web tier and data tier; an event log filtered by kind
and by node."""

import copy
import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.helpers import SITE, open_editor

pytestmark = pytest.mark.browser

PERCENT = re.compile(r"^\d+(\.\d)?%$")


def add_alert(page: Page, metric: str, op: str, value: str, for_s: str = "0") -> None:
    form = page.locator("#alerts .alert-form")
    form.locator('select[name="metric"]').select_option(metric)
    form.locator('select[name="op"]').select_option(op)
    form.locator('input[name="value"]').fill(value)
    form.locator('input[name="for_s"]').fill(for_s)
    form.locator('button[type="submit"]').click()


def act_on(page: Page, node: str, action: str) -> None:
    page.locator(f'#node-stats tr[data-node="{node}"]').click()
    page.locator(f'#inspector button[data-action="{action}"]').click()


def test_an_alert_on_a_node_fires_and_resolves_in_the_log_and_stays_with_the_topology(page: Page, server_url: str):
    open_editor(page, server_url, SITE)
    add_alert(page, "nodes.db1.up", "==", "0", "1")
    add_alert(page, "tiers.web.util_max", ">", "2")  # a utilisation never above 1: never fires
    rule = page.locator('#alerts .alert-rule[data-metric="nodes.db1.up"]')
    expect(rule).to_have_attribute("data-state", "ok")
    expect(rule.locator(".alert-text")).to_have_text("db1 · up (1) or down (0) == 0 for 1 s")
    page.select_option("#speed", "5")
    page.click("#play")
    page.wait_for_function("() => document.querySelector('#sim-time').textContent !== '0:00.0'")
    act_on(page, "db1", "kill")
    expect(rule).to_have_attribute("data-state", "firing")
    expect(page.locator("#alerts .count")).to_have_text("1 of 2 firing")
    log = page.locator("#event-log")
    expect(log).to_contain_text("Alert firing: db1 · up (1) or down (0) == 0 for 1 s")
    act_on(page, "db1", "revive")
    expect(rule).to_have_attribute("data-state", "ok")
    expect(log).to_contain_text("Alert resolved: db1")
    expect(page.locator('#alerts .alert-rule[data-metric="tiers.web.util_max"]')).to_have_attribute("data-state", "ok")
    screenshot(page, "alerts-in-the-editor")

    # Filtered by kind, then by node: the other events stay in the log, hidden.
    page.select_option("#event-kind", "alerts")
    expect(log.locator("li:visible")).to_have_count(2)
    expect(log.locator('li:visible[data-group="alerts"]')).to_have_count(2)
    page.select_option("#event-kind", "failures")
    expect(log.locator("li:visible")).not_to_have_count(0)
    for text in log.locator("li:visible").all_inner_texts():
        assert "db1" in text and "Alert" not in text
    page.select_option("#event-kind", "")
    page.select_option("#event-node", "web1")
    expect(log.locator("li:visible")).to_have_count(0)
    page.select_option("#event-node", "db1")
    expect(log.locator("li:visible")).to_have_count(log.locator("li").count())

    page.reload()
    expect(page.locator("#alerts .alert-rule")).to_have_count(2)
    page.locator('#alerts .alert-rule[data-metric="tiers.web.util_max"] .alert-remove').click()
    expect(page.locator("#alerts .alert-rule")).to_have_count(1)
    page.reload()
    expect(page.locator("#alerts .alert-rule")).to_have_count(1)
    assert page.console_errors == []


def test_the_metrics_are_grouped_as_business_web_tier_and_data_tier(page: Page, server_url: str):
    document = copy.deepcopy(SITE)
    document["traffic"]["login_ratio"] = 0.2
    open_editor(page, server_url, document)
    groups = page.locator("#metric-groups")
    logins = groups.locator('[data-metric="business.logins_rps"]')
    expect(logins).to_be_hidden()
    page.select_option("#speed", "5")
    page.click("#play")
    page.wait_for_function(
        "() => parseFloat(document.querySelector('[data-metric=\"business.throughput_rps\"] dd').textContent) > 100"
    )
    # A fifth of 200 requests a second log in.
    expect(logins).to_be_visible()
    page.wait_for_function(
        "() => { const v = parseFloat(document.querySelector('[data-metric=\"business.logins_rps\"] dd').textContent);"
        " return v > 20 && v < 60; }"
    )
    expect(groups.locator('[data-metric="tiers.web.down"] dd')).to_have_text("0")
    act_on(page, "web1", "kill")
    expect(groups.locator('[data-metric="tiers.web.down"] dd')).to_have_text("1")
    expect(groups.locator('[data-metric="tiers.data.util_max"] dd')).to_have_text(PERCENT)
    groups.scroll_into_view_if_needed()
    screenshot(page, "metrics-grouped")
    assert page.console_errors == []


def test_a_korean_page_names_the_metrics_and_alerts_in_korean(korean_page: Page, server_url: str):
    page = korean_page
    open_editor(page, server_url, SITE)
    expect(page.locator('#metric-groups [data-group="tiers.data"] h3')).to_have_text("데이터 계층")
    expect(page.locator("#event-kind option").first).to_have_text("모든 이벤트")
    add_alert(page, "nodes.db1.util", ">", "0.9", "2")
    expect(page.locator("#alerts .alert-text")).to_have_text("db1 · 사용률 > 0.9, 2초 지속")
    page.locator("#alerts").scroll_into_view_if_needed()
    screenshot(page, "alerts-ko")
    assert page.console_errors == []
