"""A tablet: fingers place components from the palette, connect nodes and pinch to zoom.

Touches go through the DevTools protocol (Input.dispatchTouchEvent), so Chromium turns them into
real touch and pointer events, as on a touch screen.
"""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, CDPSession, Page, expect

from tests.browser.helpers import SITE, canvas_pixels, node_ids, open_editor, wait_for_canvas_change, working_copy

pytestmark = pytest.mark.browser

Point = tuple[float, float]


@pytest.fixture
def tablet(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1180, "height": 820}, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.console_errors = errors
    yield page
    context.close()


class Fingers:
    """Touch points sent one event at a time; `steps` moves make a drag, not a jump."""

    def __init__(self, page: Page):
        self.cdp: CDPSession = page.context.new_cdp_session(page)

    def send(self, kind: str, points: list[Point]) -> None:
        touch_points = [{"x": x, "y": y, "id": index} for index, (x, y) in enumerate(points)]
        self.cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": touch_points})

    def drag(self, starts: list[Point], ends: list[Point], steps: int = 10) -> None:
        for count in range(1, len(starts) + 1):
            self.send("touchStart", starts[:count])
        for step in range(1, steps + 1):
            share = step / steps
            self.send(
                "touchMove",
                [(x0 + (x1 - x0) * share, y0 + (y1 - y0) * share) for (x0, y0), (x1, y1) in zip(starts, ends)],
            )
        self.send("touchEnd", [])

    def tap(self, point: Point) -> None:
        self.send("touchStart", [point])
        self.send("touchEnd", [])


def on_canvas(page: Page, x: float, y: float) -> Point:
    box = page.locator("#canvas").bounding_box()
    return box["x"] + x, box["y"] + y


def test_it_places_a_component_dragged_from_the_palette_by_finger(tablet: Page, server_url: str):
    open_editor(tablet, server_url, SITE)
    entry = tablet.locator('.palette-item[data-kind="web_server"]').bounding_box()
    start = (entry["x"] + entry["width"] / 2, entry["y"] + entry["height"] / 2)
    Fingers(tablet).drag([start], [on_canvas(tablet, 300, 500)])
    expect(tablet.locator("#inspector h2")).to_have_text("web3")
    placed = next(n for n in working_copy(tablet)["nodes"] if n["id"] == "web3")
    assert (placed["x"], placed["y"]) == (300, 500)
    assert tablet.console_errors == []


def test_it_connects_two_nodes_by_dragging_a_finger_from_the_handle(tablet: Page, server_url: str):
    open_editor(tablet, server_url, SITE)
    fingers = Fingers(tablet)
    fingers.tap(on_canvas(tablet, 100, 260))
    expect(tablet.locator("#inspector h2")).to_have_text("users1")
    # A fingertip lands near the handle (on users1's right edge at x 160), not on it.
    fingers.drag([on_canvas(tablet, 150, 266)], [on_canvas(tablet, 460, 160)])
    tablet.wait_for_function(
        "() => JSON.parse(localStorage.getItem('scale-playground:new')).edges.some((e) => e.from === 'users1' && e.to === 'web1')"
    )
    users1 = next(n for n in working_copy(tablet)["nodes"] if n["id"] == "users1")
    assert (users1["x"], users1["y"]) == (100, 260)


def test_it_zooms_with_a_pinch_without_moving_the_node_under_a_finger(tablet: Page, server_url: str):
    open_editor(tablet, server_url, SITE)
    before = canvas_pixels(tablet)
    # The first finger lands on lb1 (280, 260); the fingers spread from 100 to 200 pixels apart.
    Fingers(tablet).drag(
        [on_canvas(tablet, 280, 260), on_canvas(tablet, 380, 260)],
        [on_canvas(tablet, 230, 260), on_canvas(tablet, 430, 260)],
    )
    expect(tablet.locator("#zoom-reset")).to_have_text("200%")
    wait_for_canvas_change(tablet, before)
    assert working_copy(tablet)["nodes"] == SITE["nodes"]
    assert node_ids(tablet) == {n["id"] for n in SITE["nodes"]}

    # Zoomed twice around the fingers' midpoint (330, 260): web1 (460, 160) is now at (590, 60).
    Fingers(tablet).tap(on_canvas(tablet, 590, 60))
    expect(tablet.locator("#inspector h2")).to_have_text("web1")
