"""A web server with several instances shows them: one pip per instance under the node, filled by
its utilisation while it runs, a dashed outline while it boots; the live numbers table and the
legend say the same in words, so scaling out (by hand or by autoscaling) is visible on the canvas."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import screenshot
from tests.browser.helpers import node_point, open_editor, pixel

pytestmark = pytest.mark.browser

WEB = {"x": 460, "y": 260}
POOL = {
    "version": 1,
    "title": "A pool of web servers",
    "traffic": {"rps": 200, "pattern": "constant", "read_ratio": 0.9},
    "nodes": [
        {"id": "users1", "kind": "users", "x": 100, "y": 260, "props": {}},
        {"id": "lb1", "kind": "load_balancer", "x": 280, "y": 260, "props": {}},
        {"id": "web1", "kind": "web_server", **WEB, "props": {"instances": 3, "boot_s": 3, "service_ms": 30}},
        {"id": "db1", "kind": "database", "x": 640, "y": 260, "props": {}},
    ],
    "edges": [{"from": "users1", "to": "lb1"}, {"from": "lb1", "to": "web1"}, {"from": "web1", "to": "db1"}],
    "scenario": [],
}


def pip(page: Page, index: int, height: float) -> list[int]:
    """The colour of the index-th pip under web1 (12 px wide, 15 px apart, 11 px tall, 5 px under
    the node), at a height from 0 (its top) to 11 (its bottom)."""
    return pixel(page, WEB["x"] - 50 + 15 * index, WEB["y"] + 35 + height)


def filled(rgba: list[int]) -> bool:
    """A running instance's utilisation colour (green, amber or red), not the grey of an empty pip,
    the canvas behind or the pale accent of a booting one."""
    return max(rgba[:3]) - min(rgba[:3]) > 60


def pale_accent(rgba: list[int]) -> bool:
    red, green, blue, _ = rgba
    return blue > red + 10 and blue > green + 10 and not filled(rgba)


def wait_for_pips(page: Page, expected: list[bool]) -> None:
    """Wait until the next frames are drawn: the pips' bottoms are filled, or not, as expected."""
    page.wait_for_function(
        """({expected, x, y}) => {
            const canvas = document.querySelector('#canvas');
            const dpr = canvas.width / canvas.getBoundingClientRect().width;
            const ctx = canvas.getContext('2d');
            return expected.every((want, i) => {
                const [r, g, b] = ctx.getImageData(Math.round((x + 15 * i) * dpr), Math.round(y * dpr), 1, 1).data;
                return (Math.max(r, g, b) - Math.min(r, g, b) > 60) === want;
            });
        }""",
        arg={"expected": expected, "x": WEB["x"] - 50, "y": WEB["y"] + 35 + 9},
    )


def test_the_instances_of_a_web_server_are_drawn_and_follow_a_scale_out(page: Page, server_url: str):
    open_editor(page, server_url, POOL)
    background = pixel(page, WEB["x"] - 50 + 15 * 3, WEB["y"] + 40)
    # Before any frame the document's three instances are outlines under the node, and no more.
    assert [pip(page, i, 5) != background for i in range(4)] == [True, True, True, False]
    assert not any(filled(pip(page, i, 9)) for i in range(3))

    page.click("#play")
    stats = page.locator('#node-stats tr[data-node="web1"] td.state')
    expect(stats).to_have_text("up · 3 running")
    wait_for_pips(page, [True, True, True, False])

    page.mouse.click(*node_point(page, "web1"))
    page.locator('#inspector [data-action-form="scale"] input[name="instances"]').fill("5")
    page.locator('#inspector button[data-action="scale"]').click()
    expect(stats).to_have_text("up · 3 running, 2 booting")
    wait_for_pips(page, [True, True, True, False, False])
    assert pale_accent(pip(page, 4, 5)), "a booting instance is a pale dashed outline"
    expect(page.locator('.legend [data-pip="booting"]')).to_be_visible()
    screenshot(page, "instance-pool-booting")

    # boot_s later the new instances run and take their share.
    expect(stats).to_have_text("up · 5 running")
    wait_for_pips(page, [True] * 5)
    assert page.console_errors == []


def test_the_instances_read_in_korean(korean_page: Page, server_url: str):
    page = korean_page
    open_editor(page, server_url, POOL)
    page.click("#play")
    expect(page.locator('#node-stats tr[data-node="web1"] td.state')).to_have_text("정상 · 실행 중 3개")
    expect(page.locator(".legend .legend-pool")).to_contain_text("인스턴스:")
    expect(page.locator('.legend [data-pip="running"]')).to_have_text("실행 중 (사용률만큼 채움)")
    assert page.console_errors == []


def test_one_instance_of_a_pool_can_be_killed_and_the_others_go_on(page: Page, server_url: str):
    open_editor(page, server_url, POOL)
    page.click("#play")
    stats = page.locator('#node-stats tr[data-node="web1"] td.state')
    expect(stats).to_have_text("up · 3 running")
    page.mouse.click(*node_point(page, "web1"))
    form = page.locator('#inspector [data-action-form="kill_instance"]')
    form.locator('input[name="instance"]').fill("2")
    form.locator('button[data-action="kill_instance"]').click()
    expect(stats).to_contain_text("up · ")
    expect(stats).to_contain_text("1 dead")
    expect(page.locator("#event-log")).to_contain_text("Instance 2 of web1 was killed")
    wait_for_pips(page, [True, False, True, False])
    assert page.console_errors == []
