"""Two daphne processes on this machine's real PostgreSQL and Redis, as `make cluster` runs them.

A live class started on one process is watched and driven from the other, and when the process
that runs the class dies, the other takes it over. These tests fail, never skip, when the
services are not running: CI requires them.
"""

import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest
import websockets

from tests.browser.conftest import free_port, wait_until_serving
from tests.playground.conftest import make_document

ROOT = Path(__file__).resolve().parents[2]
POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture(scope="module")
def database_url():
    """A PostgreSQL database of its own, migrated, dropped at the end."""
    name = f"playground_cluster_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    migrated = subprocess.run([sys.executable, "manage.py", "migrate", "--noinput"], cwd=ROOT, capture_output=True,
                              text=True, env={**os.environ, "DATABASE_URL": url})  # fmt: skip
    assert migrated.returncode == 0, migrated.stderr
    yield url
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


class Process:
    """One daphne process of the cluster."""

    def __init__(self, database_url: str):
        self.port = free_port()
        env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": REDIS_URL, "DEBUG": "true",
               "CACHE_KEY_PREFIX": f"test-{database_url.rsplit('/', 1)[1]}",
               # Every process of a site has the same key (docs/deploy.md): it signs live classes' checkpoints.
               "SECRET_KEY": f"cluster-test-{database_url.rsplit('/', 1)[1]}"}  # fmt: skip
        daphne = Path(sys.executable).with_name("daphne")
        # To a file, not a pipe nobody reads: a busy class's log would fill the pipe and stall the server.
        self.log = Path(tempfile.gettempdir()) / f"playground-cluster-{self.port}.log"
        self.server = subprocess.Popen([str(daphne), "-b", "127.0.0.1", "-p", str(self.port),
                                        "playground.asgi:application"], cwd=ROOT, env=env,
                                       stdout=subprocess.DEVNULL, stderr=self.log.open("w"), text=True)  # fmt: skip
        wait_until_serving(f"http://127.0.0.1:{self.port}/api/catalog/", self.server)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def connect(self, path: str):
        # A connection whose server was killed cannot finish the closing handshake: do not wait 10 s for it.
        return await websockets.connect(f"ws://127.0.0.1:{self.port}{path}", origin=self.url(""), close_timeout=1)

    def kill(self) -> None:
        self.server.send_signal(signal.SIGKILL)
        self.server.wait(timeout=10)

    def stop(self) -> None:
        if self.server.poll() is None:
            self.server.terminate()
            try:
                self.server.wait(timeout=10)
            except subprocess.TimeoutExpired:  # daphne may wait on open WebSockets past SIGTERM
                self.server.kill()
                self.server.wait()


@pytest.fixture
def cluster(database_url):
    processes = [Process(database_url), Process(database_url)]
    yield processes
    for process in processes:
        process.stop()


def go_live(process: Process, document: dict | None = None) -> dict:
    """Open a class through the API, with the CSRF cookie a page gets, as the editor does."""
    page = urllib.request.urlopen(process.url("/"))
    cookie = next(h.split(";")[0] for h in page.headers.get_all("Set-Cookie") if h.startswith("csrftoken="))
    request = urllib.request.Request(
        process.url("/api/live/"),
        data=json.dumps({"document": document or make_document()}).encode(),
        headers={"Content-Type": "application/json", "Cookie": cookie, "X-CSRFToken": cookie.split("=", 1)[1]},
    )
    return json.load(urllib.request.urlopen(request))


async def next_of(ws, kind: str, limit: int = 500, timeout: float = 15) -> dict:
    for _ in range(limit):
        message = json.loads(await asyncio.wait_for(ws.recv(), timeout))
        if message["type"] == kind:
            return message
    raise AssertionError(f"no {kind!r} message among the next {limit}")


async def next_event(ws, kind: str, timeout: float = 15) -> dict:
    """The next event of that kind, past the others (a dead node's "failing" events come and go)."""
    while True:
        event = await next_of(ws, "event", timeout=timeout)
        if event["kind"] == kind:
            return event


async def teach(process: Process, live: dict):
    ws = await process.connect(live["socket_url"])
    await next_of(ws, "hello")
    await ws.send(json.dumps({"type": "auth", "token": live["teacher_token"]}))
    ws.hello = await next_of(ws, "hello")
    assert ws.hello["role"] == "teacher"
    return ws


async def watch(process: Process, live: dict):
    ws = await process.connect(live["socket_url"])
    assert (await next_of(ws, "hello"))["role"] == "student"
    return ws


async def frames(ws, count: int) -> dict[int, float]:
    """The next `count` frames, acknowledged as a page does: sequence number to simulated time."""
    seen = {}
    while len(seen) < count:
        frame = await next_of(ws, "frame")
        seen[frame["seq"]] = frame["t"]
        await ws.send(json.dumps({"type": "ack", "seq": frame["seq"]}))
    return seen


class TestAcrossProcesses:
    async def test_a_class_opened_on_one_process_is_driven_and_watched_from_the_other(self, cluster):
        first, second = cluster
        live = go_live(first)
        student_here = await watch(first, live)
        student_there = await watch(second, live)
        teacher = await teach(second, live)
        assert teacher.hello["students"] == 2  # one student on each process

        await teacher.send(json.dumps({"type": "start"}))
        here, there = await frames(student_here, 10), await frames(student_there, 10)
        common = set(here) & set(there)
        assert len(common) >= 5 and all(here[seq] == there[seq] for seq in common)  # one simulation

        await teacher.send(json.dumps({"type": "act", "action": "kill", "target": "web1"}))
        for student in (student_here, student_there):
            event = await next_of(student, "event")
            assert (event["kind"], event["target"]) == ("kill", "web1")
        await teacher.send(json.dumps({"type": "act", "action": "kill", "target": "no-such-node"}))
        assert "no-such-node" in (await next_of(teacher, "error"))["message"]  # the owner answers across

        await teacher.send(json.dumps({"type": "end"}))
        for student in (student_here, student_there):
            assert "ended" in (await next_of(student, "ended"))["reason"]
        for ws in (teacher, student_here, student_there):
            await ws.close()

    async def test_the_class_goes_on_when_the_process_running_it_dies(self, cluster):
        owner, survivor = cluster
        live = go_live(owner)
        teacher = await teach(owner, live)  # the first to join runs the class: here, `owner`
        student = await watch(survivor, live)
        await teacher.send(json.dumps({"type": "act", "action": "kill", "target": "web1"}))
        await teacher.send(json.dumps({"type": "start"}))
        before = await frames(student, 10)

        owner.kill()
        await next_event(student, "takeover", timeout=20)
        after = await frames(student, 5)
        assert min(after) > max(before)  # numbering goes on
        assert min(after.values()) >= max(before.values())  # so does simulated time
        frame = await next_of(student, "frame")
        assert frame["nodes"]["web1"]["up"] is False  # the state was resumed, not restarted

        teacher = await teach(survivor, live)  # the teacher's page reconnects, to the survivor
        await teacher.send(json.dumps({"type": "pause"}))
        state = await next_of(student, "state")
        while state["running"]:
            state = await next_of(student, "state")
        for ws in (teacher, student):
            await ws.close()


def busy_document() -> dict:
    """20,000 requests a second, all served: two web servers of 300 workers and a database of 600."""
    document = make_document("A busy class")
    document["traffic"]["rps"] = 20_000
    for node in document["nodes"]:
        if node["kind"] in ("web_server", "database"):
            node["props"]["workers"] = 300 if node["kind"] == "web_server" else 600
    return document


# Twenty simulated minutes: replaying that from time 0 takes this machine longer than a lease.
BUSY_T = 1200.0


async def frames_until(ws, t: float) -> dict:
    """Frames, acknowledged, until one at simulated time `t` or later; that one."""
    frame = await next_of(ws, "frame")
    while frame["t"] < t:
        await ws.send(json.dumps({"type": "ack", "seq": frame["seq"]}))
        frame = await next_of(ws, "frame")
    return frame


class TestBusyTakeover:
    async def test_a_busy_class_is_taken_over_once_and_goes_on(self, cluster, record_property):
        owner, survivor = cluster
        live = go_live(owner, busy_document())
        teacher = await teach(owner, live)  # the first to join runs the class: here, `owner`
        student = await watch(survivor, live)
        await teacher.send(json.dumps({"type": "speed", "value": 100}))
        await teacher.send(json.dumps({"type": "act", "action": "slow", "target": "web1", "factor": 1.5}))
        await teacher.send(json.dumps({"type": "start"}))
        before = await frames_until(student, BUSY_T)

        owner.kill()
        killed = time.monotonic()
        await next_event(student, "takeover", timeout=60)
        first = await next_of(student, "frame", timeout=60)
        resumed_in = time.monotonic() - killed
        record_property("resumed_in_s", round(resumed_in, 2))
        print(f"busy takeover at t={before['t']:.0f} s: first frame of the new owner {resumed_in:.2f} s after the kill")
        assert first["seq"] > before["seq"] and first["t"] >= BUSY_T  # resumed, not restarted
        assert first["nodes"]["web1"]["util"] > 1.2 * first["nodes"]["web2"]["util"]  # still slowed down

        # Longer than two leases: an owner that lost its lease while catching up, or a second
        # runner in the same process, would show as another takeover or numbers seen twice.
        seen, takeovers = [first], 0
        while len(seen) < 60:
            message = json.loads(await asyncio.wait_for(student.recv(), 15))
            if message["type"] == "event" and message["kind"] == "takeover":
                takeovers += 1
            elif message["type"] == "frame":
                seen.append(message)
                await student.send(json.dumps({"type": "ack", "seq": message["seq"]}))
        assert takeovers == 0
        assert all(a["seq"] < b["seq"] and a["t"] < b["t"] for a, b in zip(seen, seen[1:]))
        for ws in (teacher, student):
            await ws.close()


def answers_within(url: str, seconds: float) -> bool:
    """Poll `url` until it answers or the deadline passes (a process starting is not an event we can await)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):
                return True
        except OSError:
            time.sleep(0.2)
    return False


@pytest.fixture
def nginx_cluster(database_url, tmp_path):
    """`make cluster`: two daphne processes behind nginx, started by deploy/cluster.py."""
    port, first = free_port(), free_port()
    while first + 1 == port:
        first = free_port()
    command = [sys.executable, "deploy/cluster.py", "--processes", "2", "--port", str(port),
               "--first-process-port", str(first), "--state-dir", str(tmp_path), "--database-url", database_url,
               "--redis-url", REDIS_URL]  # fmt: skip
    # Rate-limit counters of its own: Redis outlives the run, and an earlier run's saves from
    # 127.0.0.1 must not count against this one.
    env = {**os.environ, "CACHE_KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}"}
    cluster = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    ready = cluster.stdout.readline()
    while ready and "Scale Playground: http" not in ready:
        ready = cluster.stdout.readline()
    assert ready, "deploy/cluster.py stopped before it was ready"
    yield port, tmp_path, [first, first + 1]
    cluster.send_signal(signal.SIGTERM)
    try:
        cluster.wait(timeout=30)
    except subprocess.TimeoutExpired:
        cluster.kill()
        cluster.wait()


class TestMakeCluster:
    async def test_nginx_spreads_pages_and_websockets_over_the_processes_and_survives_one_dying(self, nginx_cluster):
        port, state, process_ports = nginx_cluster
        front = Process.__new__(Process)
        front.port = port
        assert json.load(urllib.request.urlopen(front.url("/healthz")))["status"] == "ok"
        assert b"og:image" not in urllib.request.urlopen(front.url("/")).read()  # the editor, through nginx
        live = go_live(front)
        teacher = await teach(front, live)
        students = [await watch(front, live) for _ in range(4)]
        await teacher.send(json.dumps({"type": "start"}))
        for student in students:
            await frames(student, 3)

        victim = int((state / f"daphne-{process_ports[0]}.pid").read_text())
        os.kill(victim, signal.SIGKILL)
        for _ in range(10):  # nginx passes every page to the process that is left
            with urllib.request.urlopen(front.url("/api/catalog/")) as answer:
                assert answer.status == 200
        newcomer = await watch(front, live)
        await frames(newcomer, 3)
        # The supervisor starts the dead process again, as systemd's Restart=always would.
        assert answers_within(f"http://127.0.0.1:{process_ports[0]}/healthz", seconds=60)
        assert int((state / f"daphne-{process_ports[0]}.pid").read_text()) != victim
        for ws in (teacher, newcomer, *students):
            await ws.close()
