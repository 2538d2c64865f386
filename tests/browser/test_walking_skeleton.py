"""A new user draws a topology, watches it run, breaks a server, saves and shares it."""

import json

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

# Where the test drops each component, in canvas pixels (the initial view is unzoomed).
LAYOUT = [
    ("users", 100, 300),
    ("load_balancer", 280, 300),
    ("web_server", 480, 200),
    ("web_server", 480, 400),
    ("database", 680, 300),
]
WIRES = [("users1", "lb1"), ("lb1", "web1"), ("lb1", "web2"), ("web1", "db1"), ("web2", "db1")]
NODE_HALF_WIDTH = 60


def canvas_point(page: Page, x: float, y: float) -> tuple[float, float]:
    box = page.locator("#canvas").bounding_box()
    return box["x"] + x, box["y"] + y


def drag(page: Page, start: tuple[float, float], end: tuple[float, float]) -> None:
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=8)
    page.mouse.up()


def node_positions(page: Page) -> dict[str, tuple[float, float]]:
    nodes = page.evaluate("() => JSON.parse(localStorage.getItem(Object.keys(localStorage)[0])).nodes")
    return {node["id"]: (node["x"], node["y"]) for node in nodes}


def stat(page: Page, node: str, cell: str) -> str:
    return page.locator(f'#node-stats tr[data-node="{node}"] td.{cell}').inner_text()


def rps(page: Page, node: str) -> float:
    return float(stat(page, node, "rps").split()[0].replace(",", ""))


def wait_for_rps(page: Page, node: str, comparison: str, value: float) -> None:
    """Wait until the node's rps is above ("above") or exactly ("equals") the value. The page's
    Content-Security-Policy forbids eval, so the comparison is named, not written as code."""
    page.wait_for_function(
        """([node, comparison, value]) => {
            const cell = document.querySelector(`#node-stats tr[data-node="${node}"] td.rps`);
            if (!cell) return false;
            const rps = parseFloat(cell.textContent.replace(/,/g, ""));
            return Number.isFinite(rps) && (comparison === "above" ? rps > value : rps === value);
        }""",
        arg=[node, comparison, value],
        timeout=20_000,
    )


def canvas_pixels(page: Page) -> str:
    return page.evaluate("() => document.querySelector('#canvas').toDataURL()")


def draw_topology(page: Page) -> None:
    for kind, x, y in LAYOUT:
        item = page.locator(f'.palette-item[data-kind="{kind}"]')
        box = item.bounding_box()
        drag(page, (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2), canvas_point(page, x, y))
    positions = node_positions(page)
    assert set(positions) == {"users1", "lb1", "web1", "web2", "db1"}
    for source, target in WIRES:
        sx, sy = positions[source]
        tx, ty = positions[target]
        drag(page, canvas_point(page, sx + NODE_HALF_WIDTH, sy), canvas_point(page, tx, ty))


def test_a_new_user_draws_runs_breaks_saves_and_shares(page: Page, server_url: str, browser):
    page.goto(server_url + "/")
    expect(page.locator("#conn-status")).not_to_contain_text("reconnecting")
    draw_topology(page)
    stored = json.loads(page.evaluate("() => localStorage.getItem(Object.keys(localStorage)[0])"))
    assert sorted((e["from"], e["to"]) for e in stored["edges"]) == sorted(WIRES)

    page.select_option("#speed", "10")
    page.click("#play")
    wait_for_rps(page, "web1", "above", 0)
    wait_for_rps(page, "web2", "above", 0)
    before = canvas_pixels(page)
    page.wait_for_function("(before) => document.querySelector('#canvas').toDataURL() !== before", arg=before)
    first_web1 = stat(page, "web1", "rps")
    page.wait_for_function(
        "(first) => document.querySelector('#node-stats tr[data-node=\"web1\"] td.rps').textContent !== first",
        arg=first_web1,
    )
    shared_before = rps(page, "web2")
    screenshot(page, "skeleton-running")

    x, y = node_positions(page)["web1"]
    page.mouse.click(*canvas_point(page, x, y))
    page.click('button[data-action="kill"]')
    page.wait_for_function(
        "() => document.querySelector('#node-stats tr[data-node=\"web1\"] td.state').textContent.includes('down')"
    )
    wait_for_rps(page, "web1", "equals", 0)
    wait_for_rps(page, "web2", "above", 1.5 * shared_before)
    screenshot(page, "skeleton-web1-killed")

    page.fill("#title", "My first scalable site")
    page.click("#save")
    view_link = page.locator("#view-link")
    page.wait_for_function("() => document.querySelector('#view-link')?.value.includes('/t/')")
    edit_link = page.locator("#edit-link").input_value()
    assert "#edit=" in edit_link
    view_url = view_link.input_value()
    assert "#edit=" not in view_url
    assert page.console_errors == []

    viewer = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    viewer.goto(view_url)
    document = json.loads(viewer.locator("#topology-document").text_content())
    assert document["title"] == "My first scalable site"
    assert {node["id"] for node in document["nodes"]} == {"users1", "lb1", "web1", "web2", "db1"}
    assert sorted((e["from"], e["to"]) for e in document["edges"]) == sorted(WIRES)
    expect(viewer.locator("#fork")).to_be_visible()
    expect(viewer.locator("#save")).to_be_hidden()
    expect(viewer.locator('#node-stats tr[data-node="web2"]')).to_be_visible()
    screenshot(viewer, "skeleton-viewer")
    viewer.context.close()
