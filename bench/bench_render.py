"""Drawing speed of the editor in headless Chromium, and the size of the page's own scripts and styles.

    python bench/bench_render.py [--seconds 10] [--particles 1900]

Starts daphne on a free port with a temporary SQLite database, as tests/browser/conftest.py does,
opens a 50-node topology (2 users, 4 load balancers, 40 web servers, 4 databases, 88 edges) in
Debian's headless Chromium at 1920x1080, fits it to the screen and plays it until at least
--particles dots move (the page keeps at most 2,000). Then it records the time between
requestAnimationFrame callbacks for --seconds and reports the median and the 5th and 95th
percentiles of the frame times, and frames per second (the median, and the 5th percentile: the
slow end). Particles are counted as the page draws them: arcs of a dot's radius in one frame.

Last, the bytes of the page's own scripts and styles as the page loads them (everything under
/static/ except the libraries in /static/vendor/), against the goal of 150 KB, and the same
sources unbundled in static/js and static/css. Reports; asserts nothing.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, free_port, wait_until_serving  # noqa: E402
from tests.browser.helpers import open_editor  # noqa: E402

GOAL_BYTES = 150 * 1024
VIEWPORT = {"width": 1920, "height": 1080}
# Dots drawn per frame (render.js): arcs of radius 2.6 (line width 1), or, zoomed out, squares of
# the same area (side 2.6 * sqrt(pi)).
COUNT_DOTS = """async () => {
    const proto = CanvasRenderingContext2D.prototype;
    const [arc, rect] = [proto.arc, proto.rect];
    const side = 2.6 * Math.sqrt(Math.PI);
    let dots = 0;
    proto.arc = function (x, y, radius, ...rest) {
        if (radius > 2.5 && radius < 2.7) dots += 1;
        return arc.call(this, x, y, radius, ...rest);
    };
    proto.rect = function (x, y, width, height) {
        if (Math.abs(width - side) < 0.001 && Math.abs(height - side) < 0.001) dots += 1;
        return rect.call(this, x, y, width, height);
    };
    const counts = [];
    for (let frame = 0; frame < 20; frame += 1) {
        dots = 0;
        await new Promise(requestAnimationFrame);
        counts.push(dots);
    }
    [proto.arc, proto.rect] = [arc, rect];
    return counts.sort((a, b) => a - b)[10];
}"""
FRAME_TIMES = """async (seconds) => {
    const times = [];
    let last = null;
    const end = performance.now() + seconds * 1000;
    await new Promise((resolve) => {
        function frame(now) {
            if (last !== null) times.push(now - last);
            last = now;
            if (now < end) requestAnimationFrame(frame);
            else resolve();
        }
        requestAnimationFrame(frame);
    });
    return times;
}"""


def fifty_nodes() -> dict:
    """Users fan out to 4 load balancers, each in front of 10 web servers that share one database."""

    def node(node_id: str, kind: str, x: int, y: int, **props) -> dict:
        return {"id": node_id, "kind": kind, "x": x, "y": y, "props": props}

    nodes = [node(f"users{i + 1}", "users", 0, 300 + 900 * i) for i in range(2)]
    nodes += [node(f"lb{j + 1}", "load_balancer", 320, 150 + 400 * j) for j in range(4)]
    nodes += [node(f"web{k + 1}", "web_server", 700 + 220 * (k % 2), 40 * k, workers=16) for k in range(40)]
    nodes += [node(f"db{j + 1}", "database", 1300, 150 + 400 * j, workers=32) for j in range(4)]
    edges = [{"from": f"users{i + 1}", "to": f"lb{j + 1}"} for i in range(2) for j in range(4)]
    edges += [{"from": f"lb{k // 10 + 1}", "to": f"web{k + 1}"} for k in range(40)]
    edges += [{"from": f"web{k + 1}", "to": f"db{k // 10 + 1}"} for k in range(40)]
    return {
        "version": 1,
        "title": "Fifty nodes",
        "traffic": {"rps": 4000, "pattern": "constant", "read_ratio": 0.9},
        "nodes": nodes,
        "edges": edges,
        "scenario": [],
    }


def start_server(database: Path) -> tuple[subprocess.Popen, str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DEBUG": "true", "REDIS_URL": ""}
    subprocess.run(["make", "--no-print-directory", "--silent", "bundle"], cwd=ROOT, check=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True,
                   capture_output=True)  # fmt: skip
    port = free_port()
    daphne = Path(sys.executable).with_name("daphne")
    command = [str(daphne), "-b", "127.0.0.1", "-p", str(port), "playground.asgi:application"]
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(url + "/api/catalog/", server)
    except RuntimeError:
        server.terminate()
        raise
    return server, url


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def own_files(loaded: dict[str, int]) -> dict[str, int]:
    """The page's own scripts and styles among what it loaded: /static/, not the libraries."""
    return {
        path: size
        for path, size in loaded.items()
        if path.startswith("/static/") and not path.startswith("/static/vendor/") and path.endswith((".js", ".css"))
    }


def play_until_busy(page: Page, particles: int) -> int:
    page.locator("#canvas").focus()
    page.keyboard.press("Shift+Digit1")
    page.get_by_role("button", name="Play").click()
    for _ in range(120):
        dots = page.evaluate(COUNT_DOTS)
        if dots >= particles:
            return dots
    raise RuntimeError(f"only {dots} particles after two minutes: is the topology refused?")


def main_thread(cdp) -> dict[str, float]:
    """Seconds the page's main thread has spent running scripts and in all tasks so far."""
    metrics = {metric["name"]: metric["value"] for metric in cdp.send("Performance.getMetrics")["metrics"]}
    return {"scripts": metrics["ScriptDuration"], "tasks": metrics["TaskDuration"]}


def measure(url: str, seconds: float, particles: int) -> dict:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_context(viewport=VIEWPORT).new_page()
        responses = []
        page.on("response", lambda response: responses.append(response))
        open_editor(page, url, fifty_nodes())
        dots_before = play_until_busy(page, particles)
        cdp = page.context.new_cdp_session(page)
        cdp.send("Performance.enable")
        before = main_thread(cdp)
        times = page.evaluate(FRAME_TIMES, seconds)
        busy = {name: (value - before[name]) * 1000 / len(times) for name, value in main_thread(cdp).items()}
        dots_after = page.evaluate(COUNT_DOTS)
        loaded = {urlparse(r.url).path: len(r.body()) for r in responses if r.ok}
        browser.close()
    return {"times": times, "dots": (dots_before, dots_after), "busy": busy, "own": own_files(loaded)}


def source_bytes() -> int:
    return sum(path.stat().st_size for folder in ("static/js", "static/css") for path in (ROOT / folder).rglob("*.*"))


def report(result: dict) -> None:
    times = result["times"]
    median, fast, slow = statistics.median(times), percentile(times, 0.05), percentile(times, 0.95)
    print(f"Frames over {sum(times) / 1000:.1f} s with {result['dots'][0]} then {result['dots'][1]} particles moving")
    print(f"  frame time  median {median:.1f} ms   p5 {fast:.1f} ms   p95 {slow:.1f} ms   ({len(times)} frames)")
    print(f"  fps         median {1000 / median:.1f}        p5 {1000 / slow:.1f} (the slow end: the p95 frame time)")
    busy = result["busy"]
    print(f"  main thread per frame: {busy['scripts']:.1f} ms in scripts, {busy['tasks']:.1f} ms busy in all")
    own = result["own"]
    total = sum(own.values())
    verdict = "under" if total < GOAL_BYTES else "OVER"
    print(f"Own scripts and styles as the page loads them: {total / 1024:.1f} KB, {verdict} the 150 KB goal")
    for path, size in sorted(own.items()):
        print(f"  {path:40} {size / 1024:6.1f} KB")
    print(f"  (unbundled sources in static/js and static/css: {source_bytes() / 1024:.1f} KB)")
    figures = {"median_ms": median, "p5_ms": fast, "p95_ms": slow, "script_ms": busy["scripts"], "own_bytes": total}
    print(json.dumps(figures))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--particles", type=int, default=1900)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        server, url = start_server(Path(folder) / "db.sqlite3")
        try:
            report(measure(url, args.seconds, args.particles))
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
