"""Shared steps of the browser tests: a prepared topology, canvas points, pixels and storage."""

import json

from playwright.sync_api import Page, expect

WORKING_COPY = "scale-playground:new"

# users -> lb -> web1, web2 -> db1: a small site with one database (a single point of failure).
SITE = {
    "version": 1,
    "title": "Small site",
    "traffic": {"rps": 200, "pattern": "constant", "read_ratio": 0.9},
    "nodes": [
        {"id": "users1", "kind": "users", "x": 100, "y": 260, "props": {}},
        {"id": "lb1", "kind": "load_balancer", "x": 280, "y": 260, "props": {}},
        {"id": "web1", "kind": "web_server", "x": 460, "y": 160, "props": {}},
        {"id": "web2", "kind": "web_server", "x": 460, "y": 360, "props": {}},
        {"id": "db1", "kind": "database", "x": 640, "y": 260, "props": {}},
    ],
    "edges": [
        {"from": "users1", "to": "lb1"},
        {"from": "lb1", "to": "web1"},
        {"from": "lb1", "to": "web2"},
        {"from": "web1", "to": "db1"},
        {"from": "web2", "to": "db1"},
    ],
    "scenario": [],
}


# A page function: whether any pixel of the canvas has exactly this colour (an [r, g, b] argument).
HAS_COLOUR = """(rgb) => {
    const canvas = document.querySelector('#canvas');
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 0; i < data.length; i += 4)
        if (data[i] === rgb[0] && data[i + 1] === rgb[1] && data[i + 2] === rgb[2]) return true;
    return false;
}"""


def open_editor(page: Page, server_url: str, document: dict | None = None) -> None:
    """Open a new topology whose unsaved working copy is `document` (as after a reload)."""
    if document is not None:
        page.add_init_script(
            f"if (!sessionStorage.getItem('seeded')) {{ sessionStorage.setItem('seeded', '1');"
            f" localStorage.setItem({json.dumps(WORKING_COPY)}, {json.dumps(json.dumps(document))}); }}"
        )
    page.goto(server_url + "/")
    expect(page.locator("#conn-status")).to_have_attribute("data-state", "open")


def working_copy(page: Page) -> dict:
    return json.loads(page.evaluate(f"() => localStorage.getItem({json.dumps(WORKING_COPY)})"))


def node_ids(page: Page) -> set[str]:
    return {node["id"] for node in working_copy(page)["nodes"]}


def canvas_point(page: Page, x: float, y: float) -> tuple[float, float]:
    """A world point of the unzoomed initial view, in page coordinates."""
    box = page.locator("#canvas").bounding_box()
    return box["x"] + x, box["y"] + y


def node_point(page: Page, node_id: str) -> tuple[float, float]:
    node = next(node for node in working_copy(page)["nodes"] if node["id"] == node_id)
    return canvas_point(page, node["x"], node["y"])


def drag(page: Page, start: tuple[float, float], end: tuple[float, float], modifier: str | None = None) -> None:
    if modifier:
        page.keyboard.down(modifier)
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=8)
    page.mouse.up()
    if modifier:
        page.keyboard.up(modifier)


def canvas_pixels(page: Page) -> str:
    return page.evaluate("() => document.querySelector('#canvas').toDataURL()")


def pixel(page: Page, x: float, y: float) -> list[int]:
    """The RGBA colour of the canvas at a point of the unzoomed view (CSS pixels)."""
    return page.evaluate(
        """([x, y]) => {
            const canvas = document.querySelector('#canvas');
            const dpr = canvas.width / canvas.getBoundingClientRect().width;
            return Array.from(canvas.getContext('2d').getImageData(Math.round(x * dpr), Math.round(y * dpr), 1, 1).data);
        }""",
        [x, y],
    )


def wait_for_canvas_change(page: Page, before: str) -> None:
    page.wait_for_function("(before) => document.querySelector('#canvas').toDataURL() !== before", arg=before)
