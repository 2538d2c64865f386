"""What the screen says is what the engine measured: the data counters from the frames' `data`
(keys lost as a gauge that a restore brings back to 0, keys moved by resharding), the headline
numbers over the engine's window (and which window), the CDN's hit ratio, and each node's own
measurements (hit ratio, keys, shard state, snapshot time) under its name in the live numbers."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.helpers import open_editor

pytestmark = pytest.mark.browser

BACKED_UP = {
    "version": 1,
    "title": "A bad write and a restore",
    "traffic": {"rps": 200, "read_ratio": 0.8, "keys": 1000, "static_ratio": 0.3},
    "nodes": [
        {"id": "users", "kind": "users", "x": 80, "y": 240, "props": {}},
        {"id": "cdn", "kind": "cdn", "x": 260, "y": 100, "props": {}},
        {"id": "files", "kind": "object_store", "x": 460, "y": 100, "props": {}},
        {"id": "web1", "kind": "web_server", "x": 260, "y": 240, "props": {}},
        {"id": "primary", "kind": "database", "x": 460, "y": 240, "props": {"role": "primary"}},
        {"id": "backup", "kind": "backup", "x": 640, "y": 240, "props": {"interval_s": 5}},
    ],
    "edges": [
        {"from": "users", "to": "cdn"},
        {"from": "cdn", "to": "files"},
        {"from": "users", "to": "web1"},
        {"from": "web1", "to": "primary"},
        {"from": "primary", "to": "backup"},
    ],
    "scenario": [
        {"at": 6, "action": "bad_write", "target": "primary", "share": 1.0},
        {"at": 9, "action": "restore", "target": "primary"},
    ],
}


def counter(page: Page, key: str):
    return page.locator(f'#data-counters [data-counter="{key}"] dd')


def test_keys_lost_come_and_go_and_the_nodes_say_what_was_measured(page: Page, server_url: str):
    open_editor(page, server_url, BACKED_UP)
    # Fast enough to be quick, slow enough that the three seconds of lost keys last 1.5 s on screen.
    page.select_option("#speed", "2")
    page.get_by_role("button", name="Play").click()

    # The bad write at 0:06 takes rows away: "Keys lost" shows them, in red.
    expect(counter(page, "keys_lost")).to_have_text(re.compile(r"^[1-9][\d,]*$"))
    expect(counter(page, "keys_lost")).to_have_class(re.compile("is-bad"))
    row = page.locator('#node-stats tr[data-node="primary"] .node-facts')
    expect(row).to_contain_text("keys")
    expect(page.locator('#node-stats tr[data-node="backup"] .node-facts')).to_contain_text("snapshot at")
    # The restore at 0:09, from the snapshot of 0:05, brings them back: a gauge, not a sum of every frame's.
    expect(counter(page, "keys_lost")).to_have_text("0")

    expect(page.locator("#total-cdn")).to_have_text(re.compile(r"^\d+(\.\d)?%$"))
    expect(page.locator('#node-stats tr[data-node="cdn"] .node-facts')).to_contain_text("hits")
    expect(page.locator("#totals-window")).to_have_text("5.0 s")
    page.wait_for_function("() => Number(document.querySelector('[data-chart=\"hits\"]').dataset.points) >= 3")
    screenshot(page, "measured-numbers")
    assert page.console_errors == []


SHARDED = {
    "version": 1,
    "title": "Add a shard",
    "traffic": {"rps": 200, "read_ratio": 0.9, "keys": 10000},
    "nodes": [
        {"id": "users", "kind": "users", "x": 80, "y": 240, "props": {}},
        {"id": "web1", "kind": "web_server", "x": 260, "y": 240, "props": {}},
        *[
            {
                "id": f"shard{i}",
                "kind": "database",
                "x": 460,
                "y": 80 + 120 * i,
                "props": {
                    "role": "primary",
                    "shard_group": "users",
                    "sharding": "consistent",
                    "shard_state": "spare" if i == 3 else "active",
                },
            }  # fmt: skip
            for i in (1, 2, 3)
        ],
    ],
    "edges": [{"from": "users", "to": "web1"}, *[{"from": "web1", "to": f"shard{i}"} for i in (1, 2, 3)]],
    "scenario": [{"at": 2, "action": "add_shard", "target": "shard3"}],
}


def test_resharding_shows_the_keys_moved_and_the_shard_states(page: Page, server_url: str):
    open_editor(page, server_url, SHARDED)
    expect(page.locator("#node-stats tbody tr")).to_have_count(5)
    page.select_option("#speed", "10")
    page.get_by_role("button", name="Play").click()
    expect(page.locator('#node-stats tr[data-node="shard1"] .node-facts')).to_contain_text("active shard")
    expect(counter(page, "keys_moved")).to_have_text(re.compile(r"^[1-9][\d,]*$"))
    expect(page.locator('#node-stats tr[data-node="shard3"] .node-facts')).to_contain_text("active shard")
    assert page.console_errors == []


def test_the_headline_numbers_speak_korean(korean_page: Page, server_url: str):
    page = korean_page
    open_editor(page, server_url, BACKED_UP)
    page.locator("#play").click()
    expect(page.locator(".totals-window dt")).to_have_text("측정 구간")
    expect(page.locator("#total-cdn-box dt")).to_have_text("CDN 적중률")
    expect(page.locator('#node-stats tr[data-node="cdn"] .node-facts')).to_contain_text("적중률")


THEORY = {
    "version": 1,
    "title": "Theory beside the run",
    "traffic": {"rps": 500, "read_ratio": 1.0, "keys": 2000, "zipf": 0.8},
    "nodes": [
        {"id": "users", "kind": "users", "x": 80, "y": 240, "props": {}},
        {
            "id": "web1",
            "kind": "web_server",
            "x": 260,
            "y": 240,
            "props": {"workers": 1, "service_ms": 1, "service_dist": "exponential"},
        },  # fmt: skip
        {"id": "cache1", "kind": "cache", "x": 460, "y": 120, "props": {"capacity_keys": 200, "policy": "lru"}},
        {"id": "db1", "kind": "database", "x": 460, "y": 360, "props": {}},
    ],
    "edges": [{"from": "users", "to": "web1"}, {"from": "web1", "to": "cache1"}, {"from": "web1", "to": "db1"}],
    "scenario": [],
}


def test_a_node_shows_what_theory_predicts_beside_what_was_measured(page: Page, server_url: str):
    open_editor(page, server_url, THEORY)
    page.get_by_role("button", name="Play").click()
    web = page.locator('#node-stats tr[data-node="web1"] .node-facts')
    expect(web).to_contain_text(re.compile(r"waits [\d.]+ ms · M/M/1 predicts [\d.]+ ms"))
    cache = page.locator('#node-stats tr[data-node="cache1"] .node-facts')
    expect(cache).to_contain_text(re.compile(r"hits \d+(\.\d)?% · Che \(LRU\) predicts \d+(\.\d)?%"))
    assert page.console_errors == []
