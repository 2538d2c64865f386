"""Run Scale Playground as it runs in production, on this machine: several daphne processes on
PostgreSQL and Redis behind nginx (Debian's package), WebSockets proxied. `make cluster` runs it.

    python deploy/cluster.py [--processes 2] [--port 8080] [--state-dir .cluster]

Everything listens on 127.0.0.1. The script creates the PostgreSQL database if it is missing,
migrates, collects the static files, starts the processes and nginx, and stops them all on
Ctrl+C or SIGTERM. A process that dies is restarted, as systemd would (docs/deploy.md).
"""

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

NGINX_CONF = """\
worker_processes 1;
pid {state}/nginx.pid;
error_log {state}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log {state}/nginx-access.log;
    client_body_temp_path {state}/nginx-tmp/body;
    proxy_temp_path {state}/nginx-tmp/proxy;
    fastcgi_temp_path {state}/nginx-tmp/fastcgi;
    uwsgi_temp_path {state}/nginx-tmp/uwsgi;
    scgi_temp_path {state}/nginx-tmp/scgi;
    client_max_body_size 1m;

    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ''      close;
    }}

    upstream playground {{
        least_conn;
{servers}
    }}

    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://playground;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            # The address nginx saw, never what the client wrote: daphne takes the first entry.
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Request-ID $request_id;
            # A WebSocket of a live class stays open for the whole lesson.
            proxy_read_timeout 1h;
            proxy_send_timeout 1h;
            proxy_next_upstream error timeout http_502 http_503;
        }}
    }}
}}
"""


def environment(args: argparse.Namespace, state: Path) -> dict[str, str]:
    secret = state / "secret_key"
    if not secret.exists():
        secret.write_text(secrets.token_urlsafe(50))
    return {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "SECRET_KEY": secret.read_text().strip(),
        "DEBUG": "false",
        "HTTPS": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{args.port},http://localhost:{args.port}",
        "STATIC_ROOT": str(state / "static"),
        "DB_CONN_MAX_AGE": "60",
    }


def create_database(url: str) -> None:
    """Create the database of DATABASE_URL if it does not exist yet."""
    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


class Cluster:
    def __init__(self, args: argparse.Namespace, state: Path, env: dict[str, str]):
        self.args, self.state, self.env = args, state, env
        self.ports = [args.first_process_port + i for i in range(args.processes)]
        self.processes: dict[int, subprocess.Popen] = {}
        self.nginx: subprocess.Popen | None = None
        self.stopping = False

    def start_process(self, port: int) -> None:
        daphne = Path(sys.executable).with_name("daphne")
        # The child keeps its own copy of the log's file descriptor.
        with open(self.state / f"daphne-{port}.log", "a") as log:
            self.processes[port] = subprocess.Popen(
                [str(daphne), "-b", "127.0.0.1", "-p", str(port), "--proxy-headers", "playground.asgi:application"],
                cwd=ROOT, env=self.env, stdout=log, stderr=log,
            )  # fmt: skip
        (self.state / f"daphne-{port}.pid").write_text(str(self.processes[port].pid))

    def start_nginx(self) -> None:
        (self.state / "nginx-tmp").mkdir(exist_ok=True)
        servers = "\n".join(f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=3s;" for port in self.ports)
        conf = self.state / "nginx.conf"
        conf.write_text(NGINX_CONF.format(state=self.state, servers=servers, port=self.args.port))
        self.nginx = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(self.state), "-g", "daemon off;"])

    def wait_until_ready(self, ports: list[int]) -> None:
        for port in ports:
            for _ in range(600):
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                    break
                except OSError:
                    time.sleep(0.1)

    def supervise(self) -> None:
        while not self.stopping:
            for port, process in list(self.processes.items()):
                if process.poll() is not None and not self.stopping:
                    print(f"daphne on {port} exited with {process.returncode}; starting it again", flush=True)
                    self.start_process(port)
            if self.nginx.poll() is not None:
                print(f"nginx exited with {self.nginx.returncode}; see {self.state}/nginx-error.log", flush=True)
                return
            time.sleep(1)

    def stop(self, *_) -> None:
        self.stopping = True
        for process in [*self.processes.values(), self.nginx]:
            if process is not None and process.poll() is None:
                process.terminate()
        for process in [*self.processes.values(), self.nginx]:
            if process is not None:
                process.wait(timeout=15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--port", type=int, default=8080, help="where nginx listens")
    parser.add_argument("--first-process-port", type=int, default=8101)
    parser.add_argument("--state-dir", default=str(ROOT / ".cluster"))
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/playground")
    )
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    args = parser.parse_args()
    state = Path(args.state_dir).resolve()
    state.mkdir(parents=True, exist_ok=True)
    env = environment(args, state)
    create_database(args.database_url)
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    cluster = Cluster(args, state, env)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        for port in cluster.ports:
            cluster.start_process(port)
        cluster.wait_until_ready(cluster.ports)
        cluster.start_nginx()
        cluster.wait_until_ready([args.port])
        print(f"Scale Playground: http://127.0.0.1:{args.port}/ ({args.processes} daphne processes behind nginx; "
              f"logs in {state})", flush=True)  # fmt: skip
        cluster.supervise()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
