"""The server goes away and comes back: the page says so, reconnects by itself and plays on.

This module runs its own daphne, because stopping the shared one would break the other tests.
"""

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ROOT, free_port, screenshot, wait_until_serving
from tests.browser.helpers import SITE, node_ids, open_editor

pytestmark = pytest.mark.browser


class Server:
    """A daphne that can be stopped and started again on the same port."""

    def __init__(self, database: Path):
        self.env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DEBUG": "true", "REDIS_URL": ""}
        self.url = f"http://127.0.0.1:{free_port()}"
        self.process: subprocess.Popen | None = None
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=self.env, check=True,
                       capture_output=True)  # fmt: skip

    def start(self) -> None:
        daphne = Path(sys.executable).with_name("daphne")
        port = self.url.rsplit(":", 1)[1]
        self.process = subprocess.Popen(
            [str(daphne), "-b", "127.0.0.1", "-p", port, "playground.asgi:application"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        wait_until_serving(self.url + "/api/catalog/", self.process)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def own_server(tmp_path) -> Iterator[Server]:
    server = Server(tmp_path / "db.sqlite3")
    server.start()
    yield server
    server.stop()


def test_it_says_the_connection_dropped_reconnects_by_itself_and_plays_on(page: Page, own_server: Server):
    open_editor(page, own_server.url, SITE)
    clock = page.locator("#sim-time")
    page.get_by_role("button", name="Play").click()
    expect(clock).not_to_have_text("0:00.0")

    own_server.stop()
    banner = page.get_by_role("alert").filter(has_text="The connection to the server was lost.")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("Reconnecting")
    expect(banner.get_by_role("button", name="Reconnect now")).to_be_visible()
    expect(page.locator("#conn-status")).to_have_text("Disconnected, reconnecting…")
    screenshot(page, "connection-lost")
    # The longer status text does not push the top bar's buttons onto two lines.
    heights = page.locator(".topbar button:visible").evaluate_all("(all) => all.map((b) => b.offsetHeight)")
    assert max(heights) <= 40
    stopped_at = clock.inner_text()

    own_server.start()
    expect(page.locator("#conn-status")).to_have_attribute("data-state", "open", timeout=30_000)
    expect(banner).to_be_hidden()
    expect(page.get_by_role("status").filter(has_text="Connected again.")).to_be_visible()
    # The new server runs the same drawing from the start, and the page asked it to play.
    expect(page.locator("#play")).to_have_attribute("aria-pressed", "true")
    page.wait_for_function(
        "(stoppedAt) => !['0:00.0', stoppedAt].includes(document.querySelector('#sim-time').textContent)",
        arg=stopped_at,
    )
    # While the server is away, each failed attempt logs a WebSocket error: those are expected.
    assert [error for error in page.console_errors if "WebSocket" not in error] == []


def test_an_edit_made_while_the_server_restarts_survives_and_reaches_the_new_server(page: Page, own_server: Server):
    open_editor(page, own_server.url, SITE)
    own_server.stop()
    expect(page.locator("#conn-status")).to_have_text("Disconnected, reconnecting…")
    # The person goes on drawing while the server is away.
    page.fill("#title", "Edited while the server restarted")
    page.locator("#title").press("Enter")
    page.locator('#node-stats tr[data-node="web2"]').click()
    page.locator("#canvas").press("Delete")
    expect(page.locator('#node-stats tr[data-node="web2"]')).to_have_count(0)

    own_server.start()
    expect(page.locator("#conn-status")).to_have_attribute("data-state", "open", timeout=30_000)
    expect(page.locator("#title")).to_have_value("Edited while the server restarted")
    # The new server simulates the edited drawing: web1 alone takes the traffic.
    page.get_by_role("button", name="Step").click()
    expect(page.locator('#node-stats tr[data-node="web1"] td').nth(2)).not_to_have_text("—")
    expect(page.locator('#node-stats tr[data-node="web2"]')).to_have_count(0)
    # And the edit is still there after a reload.
    page.reload()
    expect(page.locator("#conn-status")).to_have_attribute("data-state", "open")
    expect(page.locator("#title")).to_have_value("Edited while the server restarted")
    assert "web2" not in node_ids(page)
    assert [error for error in page.console_errors if "WebSocket" not in error] == []
