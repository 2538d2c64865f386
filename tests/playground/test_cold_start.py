"""A server on a machine that has never compiled the engine serves at once: the page loads while
the kernels compile in the background, the simulation socket says the engine is being prepared,
and a Play pressed meanwhile starts by itself once it is ready."""

import asyncio
import json
import os
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest
import websockets

from playground.ops.warmup import Warmup
from tests.browser.conftest import free_port, wait_until_serving
from tests.playground.conftest import make_document

ROOT = Path(__file__).resolve().parents[2]


class TestWarmup:
    def test_it_is_ready_only_once_the_compile_has_finished(self):
        release = threading.Event()
        warmup = Warmup(warm=lambda: release.wait() and 1.5)
        assert warmup.ready  # nothing to wait for before it starts
        warmup.start()
        assert not warmup.ready and warmup.status()["ready"] is False
        release.set()
        assert warmup.done.wait(timeout=30)
        assert warmup.ready and warmup.status() == {"ready": True} and warmup.seconds == 1.5

    @pytest.mark.asyncio
    async def test_a_waiter_wakes_when_the_compile_ends(self):
        release = threading.Event()
        warmup = Warmup(warm=lambda: release.wait() and 1.0)
        warmup.start()
        waiting = asyncio.ensure_future(warmup.wait())
        await asyncio.sleep(0)  # let the waiter register before the compile ends
        assert not waiting.done()
        release.set()
        await asyncio.wait_for(waiting, timeout=30)

    def test_a_failed_compile_does_not_stop_the_server(self):
        def broken():
            raise RuntimeError("no compiler")

        warmup = Warmup(warm=broken)
        warmup.start()
        assert warmup.done.wait(timeout=30)
        assert warmup.ready and "no compiler" in warmup.failed


@pytest.fixture
def cold_server(tmp_path):
    """daphne with an empty numba cache of its own: every kernel must compile, as on a fresh clone."""
    port = free_port()
    env = {**os.environ, "NUMBA_CACHE_DIR": str(tmp_path / "numba"), "SIM_WARM_ON_START": "true",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "DEBUG": "true"}  # fmt: skip
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True,
                   capture_output=True)  # fmt: skip
    daphne = Path(sys.executable).with_name("daphne")
    # The server's log goes to a file: a pipe nobody reads fills up and stalls the server.
    with (tmp_path / "daphne.log").open("w") as log:
        server = subprocess.Popen([str(daphne), "-b", "127.0.0.1", "-p", str(port), "playground.asgi:application"],
                                  cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, text=True)  # fmt: skip
        wait_until_serving(f"http://127.0.0.1:{port}/healthz", server, warm=False)
        yield port
        server.terminate()
        server.wait(timeout=30)


async def next_of(ws, kind: str, timeout: float = 600) -> dict:
    """The next message of that type; a cold compile takes minutes on a busy CI machine. An error
    on the way fails at once, with what the server said."""
    while True:
        message = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        assert message["type"] != "error", message
        if message["type"] == kind:
            return message


@pytest.mark.asyncio
@pytest.mark.timeout(1200)
async def test_the_page_is_served_while_the_engine_compiles_and_play_waits_for_it(cold_server):
    port = cold_server
    health = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10).read())
    assert health["engine"]["ready"] is False  # the server answers before the kernels are compiled
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as page:
        assert page.status == 200 and b'id="engine-warming"' in page.read()

    origin = f"http://127.0.0.1:{port}"
    async with websockets.connect(f"ws://127.0.0.1:{port}/ws/sim/new/", origin=origin, close_timeout=1) as ws:
        hello = await next_of(ws, "hello", timeout=30)
        assert hello["engine"]["ready"] is False and hello["engine"]["elapsed_s"] >= 0
        await ws.send(json.dumps({"type": "load", "document": make_document()}))
        await ws.send(json.dumps({"type": "start"}))
        # Both come once the kernels are compiled, in either order: the simulation waits for numba's
        # compile lock, which the warm-up releases a moment before it is done.
        seen: dict[str, dict] = {}
        while len(seen) < 2:
            message = json.loads(await asyncio.wait_for(ws.recv(), 600))
            assert message["type"] != "error", message
            if message["type"] in ("engine", "frame"):
                seen.setdefault(message["type"], message)
        assert seen["engine"]["ready"] is True
        assert seen["frame"]["t"] > 0 and seen["frame"]["nodes"]["web1"]["up"] is True
    health = json.loads(urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10).read())
    assert health["engine"] == {"ready": True}
