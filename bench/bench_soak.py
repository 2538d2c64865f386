"""Soak: one live class, 500 watchers across two daphne processes on PostgreSQL and Redis, ten minutes.

    python bench/bench_soak.py [--watchers 500] [--minutes 10]

Starts two daphne processes on free ports of 127.0.0.1 with a fresh PostgreSQL database and the
Redis of this machine, opens a class on the first, connects the teacher there and the watchers
from a second process, half to each daphne, plays at 10 frames a second, then reports: watchers
whose connection dropped, frames delivered per watcher, delay from the owner's send to each
watcher (p50, p99, max), and each process's memory over time. Reports; asserts nothing.
"""

import argparse
import asyncio
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
import websockets

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_live import ACK_INTERVAL_S, open_class, percentile, process_usage, start_daphne  # noqa: E402
from tests.browser.conftest import free_port  # noqa: E402

POSTGRES_ADMIN_URL = os.environ.get("BENCH_POSTGRES_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
SAMPLE_EVERY_S = 30


def production_env(database_url: str, static_root: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": REDIS_URL, "DEBUG": "false", "HTTPS": "false",
            "SECRET_KEY": "soak-" + "x" * 50, "ALLOWED_HOSTS": "127.0.0.1", "LOG_LEVEL": "WARNING",
            "STATIC_ROOT": static_root}  # fmt: skip


# The watchers' process


async def watcher(url: str, origin: str, ready: asyncio.Event, counter: list, results: list) -> None:
    seqs, delays, dropped, last_ack = [], [], False, time.monotonic()
    try:
        async with websockets.connect(url, origin=origin, max_size=2**22, open_timeout=60) as ws:
            async for raw in ws:
                message = json.loads(raw)
                if message["type"] == "hello":  # in the class, not only connected
                    counter[0] += 1
                    if counter[0] == counter[1]:
                        ready.set()
                elif message["type"] == "frame":
                    seqs.append(message["seq"])
                    delays.append(time.time() - message["sent_at"])
                    if time.monotonic() - last_ack >= ACK_INTERVAL_S:
                        await ws.send(json.dumps({"type": "ack", "seq": message["seq"]}))
                        last_ack = time.monotonic()
                elif message["type"] == "ended":
                    break
    except websockets.ConnectionClosed:
        dropped = True
    results.append({"seqs": seqs, "delays": delays, "dropped": dropped})


async def watchers_main(urls: list[str], origin: str, count: int) -> None:
    ready, counter, results = asyncio.Event(), [0, count], []
    tasks = [asyncio.create_task(watcher(urls[i % len(urls)], origin, ready, counter, results)) for i in range(count)]
    await ready.wait()
    print("ready", flush=True)
    await asyncio.gather(*tasks, return_exceptions=True)
    print(json.dumps(results), flush=True)


# The teacher's side


async def teach(url: str, origin: str, token: str, watchers: int, seconds: float, pids: list[int]) -> dict:
    async with websockets.connect(url, origin=origin) as ws:
        await ws.send(json.dumps({"type": "auth", "token": token}))
        while True:
            message = json.loads(await ws.recv())
            if message["type"] == "audience" and message["students"] >= watchers:
                break
        await ws.send(json.dumps({"type": "start"}))
        first_seq = last_seq = None
        started = time.monotonic()
        memory, next_sample, last_ack = [], started, started
        while time.monotonic() - started < seconds:
            if time.monotonic() >= next_sample:
                memory.append([round(time.monotonic() - started)] + [process_usage(pid)[1] for pid in pids])
                next_sample += SAMPLE_EVERY_S
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
        await ws.send(json.dumps({"type": "pause"}))
        await ws.send(json.dumps({"type": "end"}))
        return {"first_seq": first_seq, "last_seq": last_seq, "memory": memory}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--watchers", type=int, default=500)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--watchers-process", nargs=3, metavar=("URLS", "ORIGIN", "COUNT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.watchers_process:
        urls, origin, count = args.watchers_process
        asyncio.run(watchers_main(urls.split(","), origin, int(count)))
        return
    name = f"playground_soak_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    database_url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    servers, static_root = [], tempfile.mkdtemp(prefix="playground-soak-static-")
    env = production_env(database_url, static_root)
    try:
        for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
            subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, check=True, capture_output=True, env=env)
        ports = [free_port(), free_port()]
        servers = [start_daphne(env, port) for port in ports]
        live = open_class(ports[0])
        urls = [f"ws://127.0.0.1:{port}{live['socket_url']}" for port in ports]
        origin = f"http://127.0.0.1:{ports[0]}"
        # One client process per server: a single Python process parsing every watcher's frames would
        # itself become the bottleneck and inflate the delays it measures.
        clients = [
            subprocess.Popen([sys.executable, __file__, "--watchers-process", url, origin,
                              str(args.watchers // len(urls) + (i < args.watchers % len(urls)))],
                             stdout=subprocess.PIPE, text=True)
            for i, url in enumerate(urls)
        ]  # fmt: skip
        for client in clients:
            assert client.stdout.readline().strip() == "ready"
        teacher = asyncio.run(teach(urls[0], origin, live["teacher_token"], args.watchers, args.minutes * 60,
                                    [server.pid for server in servers]))  # fmt: skip
        results = [result for client in clients for result in json.loads(client.stdout.readline())]
        for client in clients:
            client.wait(timeout=60)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=15)
        shutil.rmtree(static_root, ignore_errors=True)
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    report(args, teacher, results)


def report(args: argparse.Namespace, teacher: dict, results: list[dict]) -> None:
    # The frames the owner sent while the teacher played: numbered, so every watcher's share of them
    # is known even when the teacher's own page missed some.
    seen = [seq for r in results for seq in r["seqs"]] + [teacher["first_seq"] or 0, teacher["last_seq"] or 0]
    measured = range(max(1, teacher["first_seq"] or 1), max(seen) + 1)
    sent = max(1, len(measured))
    shares = sorted(sum(seq in measured for seq in set(r["seqs"])) / sent for r in results)
    delays_ms = [1000 * d for r in results for d in r["delays"]]
    print(f"watchers: {len(results)} of {args.watchers}, over {args.minutes:g} minutes; frames sent: {sent}")
    print(f"connections dropped: {sum(r['dropped'] for r in results)}")
    print(f"frames delivered per watcher: min {shares[0]:.4f}, median {percentile(shares, 0.5):.4f}; "
          f"watchers with >= 99%: {sum(s >= 0.99 for s in shares)} of {len(shares)}")  # fmt: skip
    print(f"delay owner -> watcher: p50 {percentile(delays_ms, 0.5):.1f} ms, p99 {percentile(delays_ms, 0.99):.1f} ms, "
          f"max {max(delays_ms):.1f} ms")  # fmt: skip
    print("memory (MB) over time: seconds, process 1 (owner), process 2")
    for seconds, *rss in teacher["memory"]:
        print(f"  {seconds:5d}  " + "  ".join(f"{value / 2**20:7.1f}" for value in rss))


if __name__ == "__main__":
    main()
