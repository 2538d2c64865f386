"""Load on one live class: a teacher plays, students connected from a second process watch.

    python bench/bench_live.py [--students 200] [--seconds 60]

Starts daphne on a free port of 127.0.0.1 with a temporary SQLite database, opens a class
through the API, connects the students from a child process and the teacher from this one,
plays for the given time at 10 frames a second, then reports frames received per student (as a
share of the frames sent), the delay from the server's send to each student (p50, p99), and the
server process's CPU and memory. Reports; asserts nothing.
"""

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.playground.conftest import make_document  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(database: Path, port: int) -> subprocess.Popen:
    """daphne as in production (no debug, collected static files), but on plain HTTP and SQLite."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DEBUG": "false", "HTTPS": "false",
           "REDIS_URL": "", "SECRET_KEY": "bench-" + "x" * 50, "STATIC_ROOT": str(database.parent / "static"),
           "LOG_LEVEL": "WARNING"}  # fmt: skip
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    return start_daphne(env, port)


def start_daphne(env: dict[str, str], port: int) -> subprocess.Popen:
    """A daphne process on 127.0.0.1:port, returned once it answers /healthz."""
    daphne = Path(sys.executable).with_name("daphne")
    server = subprocess.Popen([str(daphne), "-b", "127.0.0.1", "-p", str(port), "playground.asgi:application"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    for _ in range(600):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise RuntimeError(f"daphne on {port} did not start")


def open_class(port: int) -> dict:
    """Go live as the editor page does: with the CSRF cookie the page receives and its token."""
    page = urllib.request.urlopen(f"http://127.0.0.1:{port}/")
    cookie = next(h.split(";")[0] for h in page.headers.get_all("Set-Cookie") if h.startswith("csrftoken="))
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/live/",
        data=json.dumps({"document": make_document()}).encode(),
        headers={"Content-Type": "application/json", "Cookie": cookie, "X-CSRFToken": cookie.split("=", 1)[1]},
    )
    return json.load(urllib.request.urlopen(request))


def process_usage(pid: int) -> tuple[float, int]:
    """CPU seconds used so far and resident memory in bytes, read from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    rss_pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
    return cpu, rss_pages * os.sysconf("SC_PAGE_SIZE")


# The students' process


# Watchers acknowledge the newest frame they have seen this often, as the page does (live.js).
ACK_INTERVAL_S = 1.0


async def student(url: str, origin: str, ready: asyncio.Event, counter: list, results: list) -> None:
    seqs, delays, last_ack = [], [], time.monotonic()
    async with websockets.connect(url, origin=origin, max_size=2**22) as ws:
        counter[0] += 1
        if counter[0] == counter[1]:
            ready.set()
        async for raw in ws:
            message = json.loads(raw)
            if message["type"] == "frame":
                seqs.append(message["seq"])
                delays.append(time.time() - message["sent_at"])
                if time.monotonic() - last_ack >= ACK_INTERVAL_S:
                    await ws.send(json.dumps({"type": "ack", "seq": message["seq"]}))
                    last_ack = time.monotonic()
            elif message["type"] == "ended":
                break
    results.append({"seqs": seqs, "delays": delays})


async def students_main(url: str, origin: str, count: int) -> None:
    ready, counter, results = asyncio.Event(), [0, count], []
    tasks = [asyncio.create_task(student(url, origin, ready, counter, results)) for _ in range(count)]
    await ready.wait()
    print("ready", flush=True)
    await asyncio.gather(*tasks, return_exceptions=True)
    print(json.dumps(results), flush=True)


# The teacher's side


async def teach(url: str, origin: str, token: str, students: int, seconds: float, server_pid: int) -> dict:
    async with websockets.connect(url, origin=origin) as ws:
        await ws.send(json.dumps({"type": "auth", "token": token}))
        while True:
            message = json.loads(await ws.recv())
            if message["type"] == "audience" and message["students"] >= students:
                break
        cpu_before, _ = process_usage(server_pid)
        memory = []
        await ws.send(json.dumps({"type": "start"}))
        first_seq = last_seq = None
        started = time.monotonic()
        next_sample = started
        last_ack = started
        while time.monotonic() - started < seconds:
            try:
                message = json.loads(await asyncio.wait_for(ws.recv(), timeout=1))
            except TimeoutError:
                continue
            if message["type"] == "frame":
                first_seq = message["seq"] if first_seq is None else first_seq
                last_seq = message["seq"]
                if time.monotonic() - last_ack >= ACK_INTERVAL_S:
                    await ws.send(json.dumps({"type": "ack", "seq": last_seq}))
                    last_ack = time.monotonic()
            if time.monotonic() >= next_sample:
                memory.append(process_usage(server_pid)[1])
                next_sample += 1.0
        await ws.send(json.dumps({"type": "pause"}))
        cpu_after, _ = process_usage(server_pid)
        await ws.send(json.dumps({"type": "end"}))
        # Frames are numbered by the server, so the count sent does not depend on the teacher's reading.
        sent = 0 if first_seq is None else last_seq - first_seq + 1
        return {"frames_sent": sent, "first_seq": first_seq, "last_seq": last_seq, "cpu_s": cpu_after - cpu_before,
                "memory": memory}  # fmt: skip


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--students-process", nargs=3, metavar=("URL", "ORIGIN", "COUNT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.students_process:
        url, origin, count = args.students_process
        asyncio.run(students_main(url, origin, int(count)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        port = free_port()
        server = start_server(Path(tmp) / "db.sqlite3", port)
        try:
            live = open_class(port)
            url, origin = f"ws://127.0.0.1:{port}{live['socket_url']}", f"http://127.0.0.1:{port}"
            watchers = subprocess.Popen(
                [sys.executable, __file__, "--students-process", url, origin, str(args.students)],
                stdout=subprocess.PIPE, text=True,
            )  # fmt: skip
            assert watchers.stdout.readline().strip() == "ready"
            teacher = asyncio.run(teach(url, origin, live["teacher_token"], args.students, args.seconds, server.pid))
            results = json.loads(watchers.stdout.readline())
            watchers.wait(timeout=30)
        finally:
            server.terminate()
            server.wait(timeout=10)
    report(args, teacher, results)


def report(args: argparse.Namespace, teacher: dict, results: list[dict]) -> None:
    sent = max(1, teacher["frames_sent"])
    measured = range(teacher["first_seq"] or 0, (teacher["last_seq"] or -1) + 1)
    shares = sorted(sum(seq in measured for seq in r["seqs"]) / sent for r in results)
    delays_ms = [1000 * d for r in results for d in r["delays"]]
    memory_mb = [m / 2**20 for m in teacher["memory"]]
    print(f"students connected: {len(results)} of {args.students}; frames sent by the server: {sent}")
    print(f"frames received per student (share of sent): min {shares[0]:.3f}, median {percentile(shares, 0.5):.3f}")
    print(f"students with >= 99% of frames: {sum(s >= 0.99 for s in shares)} of {len(shares)}")
    print(f"delay server -> student: p50 {percentile(delays_ms, 0.5):.1f} ms, p99 {percentile(delays_ms, 0.99):.1f} ms")
    print(f"server CPU: {teacher['cpu_s'] / args.seconds:.2f} cores on average")
    print(f"server memory: start {memory_mb[0]:.0f} MB, end {memory_mb[-1]:.0f} MB, max {max(memory_mb):.0f} MB")


if __name__ == "__main__":
    main()
