"""Wires follow the engine's rules (the catalog's connects_to): a wire to a kind its source cannot
send requests to is not drawn, and the page says which kinds it can reach."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import drag, node_point, open_editor, working_copy

pytestmark = pytest.mark.browser

WIRING = {
    "version": 1,
    "title": "Wiring",
    "traffic": {"rps": 100},
    "nodes": [
        {"id": "users1", "kind": "users", "x": 100, "y": 120, "props": {}},
        {"id": "web1", "kind": "web_server", "x": 260, "y": 260, "props": {}},
        {"id": "cache1", "kind": "cache", "x": 440, "y": 120, "props": {}},
        {"id": "mq1", "kind": "message_queue", "x": 420, "y": 400, "props": {}},
        {"id": "worker1", "kind": "worker", "x": 600, "y": 400, "props": {}},
    ],
    "edges": [],
    "scenario": [],
}


def wire(page: Page, source: str, target: str) -> None:
    x, y = node_point(page, source)
    drag(page, (x + 60, y), node_point(page, target))


def edges(page: Page) -> list[tuple[str, str]]:
    return [(edge["from"], edge["to"]) for edge in working_copy(page)["edges"]]


def test_it_draws_the_wires_the_engine_allows_and_explains_the_others(page: Page, server_url: str):
    open_editor(page, server_url, WIRING)
    wire(page, "web1", "cache1")
    wire(page, "mq1", "worker1")
    assert edges(page) == [("web1", "cache1"), ("mq1", "worker1")]

    wire(page, "web1", "users1")
    expect(page.locator("#toasts")).to_contain_text(
        "Web server cannot send requests to Users. It can connect to: Database, Cache, Message queue, Session store, Object storage."
    )
    wire(page, "worker1", "mq1")
    expect(page.locator("#toasts")).to_contain_text("Worker cannot send requests to Message queue.")
    assert edges(page) == [("web1", "cache1"), ("mq1", "worker1")]
    assert page.console_errors == []


def test_it_explains_a_refused_wire_in_korean(korean_page: Page, server_url: str):
    open_editor(korean_page, server_url, WIRING)
    wire(korean_page, "cache1", "web1")
    expect(korean_page.locator("#toasts")).to_contain_text("캐시에서 웹 서버(으)로는 요청을 보낼 수 없습니다.")
    assert edges(korean_page) == []
