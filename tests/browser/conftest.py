"""A real daphne server on a free port and Debian's Chromium driven by Playwright.

These fixtures fail rather than skip when Chromium or the server is missing: CI requires them.
"""

import json
import os
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.browser.helpers import SITE, WORKING_COPY

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-dev-shm-usage",
]
SCREENSHOTS = ROOT / "screenshots"


# How long expect() waits for what a person would see. The page answers in well under a second on
# a quiet machine; a busy CI runner can be many times slower, and waiting costs nothing when it is fast.
expect.set_options(timeout=20_000)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_serving(url: str, server: subprocess.Popen, attempts: int = 600, warm: bool = True) -> None:
    """Poll until the server answers, and (warm) until its engine is compiled: it serves pages
    before that, but a test's first Play would then wait for the compile. Each attempt blocks on a
    real connection, not a sleep."""
    base = url.split("/", 3)
    health = f"{base[0]}//{base[2]}/healthz"
    for _ in range(attempts):
        if server.poll() is not None:
            error = server.stderr.read() if server.stderr else ""
            raise RuntimeError(f"daphne exited with code {server.returncode}: {error}")
        try:
            with urllib.request.urlopen(url, timeout=1):
                pass
            if not warm or engine_ready(health):
                return
        except OSError:
            pass
        try:
            server.wait(timeout=0.1)
        except subprocess.TimeoutExpired:
            pass
    raise RuntimeError(f"daphne did not answer (with its engine warm) on {url}")


def engine_ready(health_url: str) -> bool:
    try:
        with urllib.request.urlopen(health_url, timeout=1) as answer:
            body = answer.read()
    except urllib.error.HTTPError as refused:  # 503: a dependency is down, the engine may still be warm
        body = refused.read()
    return bool(json.loads(body).get("engine", {}).get("ready"))


@pytest.fixture(scope="session", autouse=True)
def scripts_bundle() -> None:
    """The page loads static/dist/main.js: build it from the scripts as they are now (make bundle)."""
    subprocess.run(["make", "--no-print-directory", "--silent", "bundle"], cwd=ROOT, check=True)


@pytest.fixture(scope="session")
def server_url(tmp_path_factory) -> Iterator[str]:
    database = tmp_path_factory.mktemp("browser") / "db.sqlite3"
    # Every page of the suite comes from one address, far more often than people do.
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DEBUG": "true", "REDIS_URL": "",
           "RATE_LIMIT_SOCKET": "100000/m", "RATE_LIMIT_CREATE": "100000/m", "RATE_LIMIT_SAVE": "100000/m"}  # fmt: skip
    for command in (["migrate", "--noinput"], ["load_lessons"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    port = free_port()
    daphne = Path(sys.executable).with_name("daphne")
    server = subprocess.Popen(
        [str(daphne), "-b", "127.0.0.1", "-p", str(port), "playground.asgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(url + "/api/catalog/", server)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:  # daphne may wait on open WebSockets past SIGTERM
            server.kill()
            server.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium per test module: Playwright's sync API keeps an event loop running while it is
    open, which would break the asyncio tests that pytest-django may order after these."""
    if not CHROMIUM.exists():
        pytest.fail("Debian's Chromium is missing at /usr/bin/chromium: run 'make chromium' (as root).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def watched_page(context: BrowserContext) -> Page:
    """A new page of the context whose script errors and console errors gather in `page.console_errors`."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = errors
    return page


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    yield watched_page(context)
    context.close()


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


@pytest.fixture
def korean_page(browser: Browser) -> Iterator[Page]:
    """A page whose browser prefers Korean, at the editor's usual size."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="ko-KR")
    yield watched_page(context)
    context.close()


# A live class: its teacher and its students (test_live_class_pages.py, test_live_class_design.py).


@pytest.fixture
def teacher(browser: Browser, server_url: str) -> Page:
    """A teacher who drew the small site and pressed Go live."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = watched_page(context)
    page.add_init_script(f"localStorage.setItem({json.dumps(WORKING_COPY)}, {json.dumps(json.dumps(SITE))})")
    page.goto(server_url + "/")
    expect(page.locator("#conn-status")).to_have_attribute("data-state", "open")
    page.get_by_role("button", name="Go live").click()
    page.wait_for_url(re.compile(r"/live/[A-Z0-9]+/$"))
    expect(page.locator("#live-end")).to_be_visible()
    yield page
    context.close()


@pytest.fixture
def student_context(browser: Browser):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="ko-KR")
    yield context
    context.close()


def join_by_code(context: BrowserContext, server_url: str, code: str) -> Page:
    page = watched_page(context)
    page.goto(server_url + "/live/")
    page.locator("#code").fill(code.lower())
    page.locator("#code").press("Enter")
    page.wait_for_url(f"**/live/{code}/")
    expect(page.locator("#conn-status")).to_have_attribute("data-state", "open")
    return page
