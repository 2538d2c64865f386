"""The database goes away while the server runs: pages, the API and WebSockets answer 503 or a clear
error, nothing crashes, and everything works again when the database is back.

A TCP relay between daphne and the real PostgreSQL of this machine stands in for the network:
switching it off is an outage as the server sees one.
"""

import json
import os
import select
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest
import websockets

from playground.ops.outages import TRY_AGAIN_LATER
from tests.browser.conftest import free_port, wait_until_serving
from tests.playground.conftest import make_document

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
POSTGRES = ("127.0.0.1", 5432)

pytestmark = pytest.mark.asyncio


class Relay:
    """Forwards connections from a local port to PostgreSQL until switched off."""

    def __init__(self):
        self.port = free_port()
        self.listener: socket.socket | None = None
        self.pipes: list[socket.socket] = []
        self.lock = threading.Lock()

    def on(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port), reuse_port=True)
        threading.Thread(target=self.accept, args=(self.listener,), daemon=True).start()

    def off(self) -> None:
        """Refuse new connections and cut the open ones, as a database that went down does."""
        if self.listener is None:
            return
        # shutdown wakes the thread blocked in accept(); close alone would leave it accepting.
        self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        self.listener = None
        with self.lock:
            for pipe in self.pipes:
                pipe.close()
            self.pipes.clear()

    def accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(POSTGRES)
            with self.lock:
                self.pipes += [client, server]
            threading.Thread(target=self.pump, args=(client, server), daemon=True).start()

    def pump(self, a: socket.socket, b: socket.socket) -> None:
        try:
            while True:
                ready, _, _ = select.select([a, b], [], [])
                for source in ready:
                    data = source.recv(65536)
                    if not data:
                        return
                    (b if source is a else a).sendall(data)
        except (OSError, ValueError):
            return
        finally:
            a.close()
            b.close()


@pytest.fixture(scope="module")
def server():
    name = f"playground_outage_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    relay = Relay()
    relay.on()
    database_url = f"postgres://postgres@127.0.0.1:{relay.port}/{name}"
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "true", "REDIS_URL": ""}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, env=env, check=True,
                   capture_output=True)  # fmt: skip
    port = free_port()
    daphne = Path(sys.executable).with_name("daphne")
    command = [str(daphne), "-b", "127.0.0.1", "-p", str(port), "playground.asgi:application"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wait_until_serving(f"http://127.0.0.1:{port}/api/catalog/", process)
    yield f"127.0.0.1:{port}", relay, process
    process.terminate()
    process.wait(timeout=10)
    relay.off()
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def get(address: str, path: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(f"http://{address}{path}") as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as refused:
        return refused.code, dict(refused.headers), refused.read()


def create(address: str) -> dict:
    status, headers, _ = get(address, "/")
    cookie = headers["Set-Cookie"].split(";")[0]
    request = urllib.request.Request(
        f"http://{address}/api/topologies/",
        data=json.dumps({"document": make_document()}).encode(),
        headers={"Content-Type": "application/json", "Cookie": cookie, "X-CSRFToken": cookie.split("=", 1)[1]},
    )
    return json.load(urllib.request.urlopen(request))


class TestDatabaseOutage:
    async def test_everything_answers_clearly_during_an_outage_and_works_again_after(self, server):
        address, relay, process = server
        created = create(address)
        assert get(address, f"/api/topologies/{created['slug']}/")[0] == 200

        relay.off()
        status, headers, body = get(address, f"/api/topologies/{created['slug']}/")
        assert status == 503 and headers["Retry-After"] == "30"
        assert "database is not answering" in json.loads(body)["error"]
        status, _, body = get(address, created["view_url"])
        assert status == 503 and b"Your unsaved work stays in your browser" in body
        assert get(address, "/healthz")[0] == 503
        async with websockets.connect(f"ws://{address}/ws/sim/{created['slug']}/", origin=f"http://{address}") as ws:
            message = json.loads(await ws.recv())
            assert message["type"] == "error" and "database is not answering" in message["message"]
            await ws.wait_closed()
            assert ws.close_code == TRY_AGAIN_LATER  # the page reconnects by itself
        assert process.poll() is None  # the server is still up

        relay.on()
        assert get(address, f"/api/topologies/{created['slug']}/")[0] == 200
        assert get(address, "/healthz")[0] == 200
        async with websockets.connect(f"ws://{address}/ws/sim/{created['slug']}/", origin=f"http://{address}") as ws:
            assert json.loads(await ws.recv())["type"] == "hello"
