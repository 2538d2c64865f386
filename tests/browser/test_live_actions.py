"""Live actions come from the engine's catalog: the side panel and a node's context menu offer
each action that applies to the node (its kind, and what the action requires: a spare shard, a
primary, a backup), with its settings; actions without a target sit beside Play.
A prop the engine cannot change while running says so, and changing it starts the run again."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.helpers import SITE, node_point, open_editor

pytestmark = pytest.mark.browser

# A primary with a replica and a backup, and a shard group with a spare shard.
DATA = {
    "version": 1,
    "title": "Data that can be broken and brought back",
    "traffic": {"rps": 100, "pattern": "constant", "read_ratio": 0.9},
    "nodes": [
        {"id": "users1", "kind": "users", "x": 80, "y": 260, "props": {}},
        {"id": "lb1", "kind": "load_balancer", "x": 240, "y": 260, "props": {}},
        {"id": "web1", "kind": "web_server", "x": 400, "y": 160, "props": {}},
        {"id": "web2", "kind": "web_server", "x": 400, "y": 400, "props": {}},
        {"id": "db1", "kind": "database", "x": 560, "y": 100, "props": {"failover_s": 0.5}},
        {"id": "db2", "kind": "database", "x": 560, "y": 220, "props": {"role": "replica"}},
        {"id": "backup1", "kind": "backup", "x": 720, "y": 100, "props": {}},
        {"id": "shard1", "kind": "database", "x": 560, "y": 340, "props": {"shard_group": "users"}},
        {
            "id": "shard2",
            "kind": "database",
            "x": 560,
            "y": 460,
            "props": {"shard_group": "users", "shard_state": "spare"},
        },
    ],
    "edges": [
        {"from": "users1", "to": "lb1"},
        {"from": "lb1", "to": "web1"},
        {"from": "lb1", "to": "web2"},
        {"from": "web1", "to": "db1"},
        {"from": "web1", "to": "db2"},
        {"from": "db1", "to": "db2"},
        {"from": "db1", "to": "backup1"},
        {"from": "web2", "to": "shard1"},
        {"from": "web2", "to": "shard2"},
    ],
    "scenario": [],
}


def run(page: Page) -> None:
    page.click("#play")
    page.wait_for_function("() => document.querySelector('#sim-time').textContent !== '0:00.0'")


def select(page: Page, node: str) -> None:
    page.mouse.click(*node_point(page, node))
    expect(page.locator("#inspector h2")).to_have_text(node)


def test_the_side_panel_offers_the_actions_of_the_kind_with_their_settings(page: Page, server_url: str):
    open_editor(page, server_url, SITE)
    run(page)
    select(page, "web1")
    panel = page.locator("#inspector")
    for name in ("kill", "revive", "slow", "scale"):
        expect(panel.locator(f'button[data-action="{name}"]')).to_have_count(1)
    factor = panel.locator('[data-action-form="slow"] input[name="factor"]')
    expect(factor).to_have_value("5")
    expect(panel.locator('[data-action-form="slow"] .field-help')).to_contain_text("0.1 to 100")
    factor.fill("4")
    panel.locator('button[data-action="slow"]').click()
    expect(page.locator("#event-log li").first).to_contain_text(
        "web1 slowed down: each request it starts takes 4x as long."
    )

    factor.fill("500")
    panel.locator('button[data-action="slow"]').click()
    expect(panel.locator('[data-action-form="slow"] [data-param="factor"] .field-error')).not_to_be_empty()

    # Scale needs at least one of its settings, none of which has a default.
    panel.locator('button[data-action="scale"]').click()
    expect(panel.locator('[data-action-form="scale"] > .field-error')).to_have_text(
        "Fill in at least one of these settings."
    )
    panel.locator('[data-action-form="scale"] input[name="workers"]').fill("12")
    panel.locator('button[data-action="scale"]').click()
    expect(page.locator("#event-log li").first).to_contain_text("web1 scaled from 4 to 12 workers.")
    screenshot(page, "live-actions-panel")
    assert page.console_errors == []


def test_the_context_menu_lists_the_actions_and_opens_their_settings(page: Page, server_url: str):
    open_editor(page, server_url, SITE)
    page.mouse.click(*node_point(page, "db1"), button="right")
    menu = page.locator("#context-menu")
    expect(menu.locator("[data-menu-action]")).to_have_text(
        ["Kill", "Revive", "Slow down…", "Change schema…", "Bad write…", "Scale…", "Delete"]
    )
    menu.locator('[data-menu-action="slow"]').click()
    expect(page.locator('#inspector [data-action-form="slow"] input[name="factor"]')).to_be_focused()

    # Users are never killed: their menu has no live action.
    page.mouse.click(*node_point(page, "users1"), button="right")
    expect(menu.locator("[data-menu-action]")).to_have_text(["Delete"])


def test_a_traffic_spike_is_sent_from_beside_play(page: Page, server_url: str):
    open_editor(page, server_url, SITE)
    run(page)
    spike = page.locator('#global-actions [data-global-action="spike"]')
    spike.locator("summary").click()
    spike.locator('input[name="factor"]').fill("3")
    spike.locator('input[name="seconds"]').fill("10")
    spike.locator('button[data-action="spike"]').click()
    expect(page.locator("#event-log li").first).to_contain_text("Traffic spikes to 3x (600 rps) for 10 s.")
    expect(spike.locator(".global-action-popover")).to_be_hidden()


def test_a_prop_that_cannot_change_live_says_so_and_restarts_the_run(page: Page, server_url: str):
    open_editor(page, server_url, SITE)
    run(page)
    select(page, "web1")
    sessions = page.locator('#inspector .field[data-prop="sessions"]')
    expect(sessions.locator(".field-note")).to_have_text("Changing it restarts the simulation from 0.")
    expect(page.locator('#inspector .field[data-prop="workers"] .field-note')).to_have_count(0)
    sessions.locator("select").select_option("local")
    expect(page.locator("#toasts")).to_contain_text(
        "sessions cannot change while the simulation runs: it starts again from 0."
    )
    assert page.console_errors == []


def test_the_actions_speak_korean(korean_page: Page, server_url: str):
    page = korean_page
    open_editor(page, server_url, SITE)
    run(page)
    select(page, "web1")
    expect(page.locator('#inspector button[data-action="slow"]')).to_have_text("느리게 하기")
    spike = page.locator('#global-actions [data-global-action="spike"]')
    expect(spike.locator("summary")).to_have_text("트래픽 급증")
    spike.locator("summary").click()
    spike.locator('input[name="factor"]').fill("3")
    spike.locator('input[name="seconds"]').fill("10")
    spike.locator('button[data-action="spike"]').click()
    expect(page.locator("#event-log li").first).to_contain_text("트래픽 급증: 10초 동안 3배(600 rps)가 됩니다.")
    assert page.console_errors == []


def menu_of(page: Page, node: str):
    page.keyboard.press("Escape")  # an open menu may cover the node
    page.mouse.click(*node_point(page, node), button="right")
    return page.locator("#context-menu [data-menu-action]")


def test_only_the_actions_that_apply_to_a_node_are_offered(page: Page, server_url: str):
    open_editor(page, server_url, DATA)
    common = ["Kill", "Revive", "Slow down…"]
    expect(menu_of(page, "db1")).to_have_text([*common, "Change schema…", "Bad write…", "Restore", "Scale…", "Delete"])
    # A replica takes no writes, but its primary's backup restores it too.
    expect(menu_of(page, "db2")).to_have_text([*common, "Change schema…", "Restore", "Scale…", "Delete"])
    # Only a spare shard can be added; neither shard has a backup.
    expect(menu_of(page, "shard2")).to_have_text(
        [*common, "Add shard", "Change schema…", "Bad write…", "Scale…", "Delete"]
    )
    expect(menu_of(page, "shard1")).to_have_text([*common, "Change schema…", "Bad write…", "Scale…", "Delete"])
    expect(menu_of(page, "backup1")).to_have_text(["Kill", "Revive", "Restore", "Delete"])
    page.keyboard.press("Escape")

    # The side panel follows the node's props: a spare made active can no longer be added.
    select(page, "shard2")
    panel = page.locator("#inspector")
    expect(panel.locator('button[data-action="add_shard"]')).to_have_count(1)
    panel.locator("#prop-shard_state").select_option("active")
    expect(panel.locator('button[data-action="add_shard"]')).to_have_count(0)
    # A database has no instances to scale; a web server has.
    expect(panel.locator('[data-action-form="scale"] [data-param]')).to_have_count(2)
    select(page, "web1")
    expect(panel.locator('[data-action-form="scale"] [data-param="instances"]')).to_have_count(1)
    assert page.console_errors == []


def test_a_spare_that_joined_is_no_longer_offered_add_shard(page: Page, server_url: str):
    """The document still calls it a spare; the frames say it holds a shard now."""
    open_editor(page, server_url, DATA)
    run(page)
    common = ["Kill", "Revive", "Slow down…"]
    menu_of(page, "shard2").filter(has_text="Add shard").click()
    expect(page.locator("#event-log li").first).to_contain_text("shard2 joined shard group users as shard 2 of 2")
    expect(menu_of(page, "shard2")).to_have_text([*common, "Change schema…", "Bad write…", "Scale…", "Delete"])
    page.keyboard.press("Escape")
    select(page, "shard2")
    expect(page.locator('#inspector button[data-action="add_shard"]')).to_have_count(0)
    assert page.console_errors == []


def test_a_promoted_replica_is_offered_the_bad_write(page: Page, server_url: str):
    open_editor(page, server_url, DATA)
    run(page)
    select(page, "db2")
    bad_write = page.locator('#inspector [data-action-form="bad_write"]')
    expect(bad_write).to_have_count(0)
    menu_of(page, "db1").filter(has_text="Kill").click()
    expect(page.locator("#event-log")).to_contain_text("db2 was promoted to primary")
    select(page, "db2")
    expect(bad_write).to_have_count(1)
    bad_write.locator('button[data-action="bad_write"]').click()
    # Not necessarily the newest line: the bad write reaching the replica may follow at once.
    expect(page.locator("#event-log")).to_contain_text("rows (100%) on db2")
    assert page.console_errors == []
