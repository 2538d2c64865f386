"""Running it in production: health for the load balancer, metrics, request ids in JSON logs, the
deploy checks, and static files served by daphne itself."""

import json
import os
import re
import secrets
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from django.db import OperationalError

from playground.ops import health
from tests.browser.conftest import free_port, wait_until_serving

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "playground.example.org,127.0.0.1",
    "SIM_WARM_ON_START": "false",
}

pytestmark = pytest.mark.django_db


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, **env}, timeout=300)  # fmt: skip


class TestHealthz:
    def test_it_reports_ok_when_the_database_and_channel_layer_answer(self, client):
        response = client.get("/healthz")
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "checks": {"database": "ok", "channel_layer": "ok"},
                                   "engine": {"ready": True}}  # fmt: skip

    def test_it_answers_503_with_the_reason_when_the_database_is_down(self, client, monkeypatch):
        def refuse() -> None:
            raise OperationalError("connection refused")

        monkeypatch.setattr(health, "database_answers", refuse)
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["checks"]["database"] == "failing: OperationalError: connection refused"


class TestMetrics:
    def test_it_exposes_http_latency_by_route_in_the_prometheus_format(self, client):
        client.get("/api/catalog/")
        response = client.get("/metrics")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/plain")
        text = response.content.decode()
        assert re.search(
            r'playground_http_request_duration_seconds_count\{route="api-catalog",status="200"\} [1-9]', text
        )
        for name in ("playground_websocket_connections", "playground_live_classes", "playground_frames_sent_total",
                     "playground_frames_dropped_total", "playground_engine_step_seconds_bucket"):  # fmt: skip
            assert name in text


class TestRequestIds:
    def test_it_names_every_response(self, client):
        first, second = client.get("/api/catalog/"), client.get("/api/catalog/")
        assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
        assert first["X-Request-ID"] != second["X-Request-ID"]

    def test_it_keeps_the_load_balancers_id_and_refuses_an_odd_one(self, client):
        assert client.get("/healthz", headers={"X-Request-ID": "nginx-42.a"})["X-Request-ID"] == "nginx-42.a"
        odd = client.get("/healthz", headers={"X-Request-ID": "x\nforged log line"})["X-Request-ID"]
        assert re.fullmatch(r"[0-9a-f]{32}", odd)

    def test_production_logs_are_one_json_object_a_line_with_the_request_id(self):
        code = (
            "import django, logging; django.setup();"
            "from playground.ops.request_ids import REQUEST_ID; REQUEST_ID.set('req-7');"
            "logging.getLogger('playground').warning('class %s taken over', 'ABC123')"
        )
        env = {**os.environ, **PRODUCTION, "DJANGO_SETTINGS_MODULE": "playground.settings"}
        done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
        line = json.loads(done.stderr.strip().splitlines()[-1])
        assert line["message"] == "class ABC123 taken over"
        assert (line["level"], line["logger"], line["request_id"]) == ("WARNING", "playground", "req-7")


class TestDeploy:
    def test_the_deploy_checks_pass_with_the_production_settings(self):
        done = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "no issues" in done.stdout

    def test_daphne_serves_the_static_files_itself_in_production(self, tmp_path):
        static_root = tmp_path / "static"
        env = {**PRODUCTION, "STATIC_ROOT": str(static_root), "HTTPS": "false",
               "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}  # fmt: skip
        assert run_manage("collectstatic", "--noinput", **env).returncode == 0
        assert run_manage("migrate", "--noinput", **env).returncode == 0
        port = free_port()
        daphne = Path(sys.executable).with_name("daphne")
        server = subprocess.Popen([str(daphne), "-b", "127.0.0.1", "-p", str(port), "playground.asgi:application"],
                                  cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE, text=True)  # fmt: skip
        try:
            wait_until_serving(f"http://127.0.0.1:{port}/healthz", server)
            page = urllib.request.urlopen(f"http://127.0.0.1:{port}/").read().decode()
            styles = re.search(r'href="(/static/dist/css/app\.[0-9a-f]{12}\.css)"', page)
            assert styles, "the page links the hashed name collectstatic wrote"
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{styles.group(1)}") as answer:
                assert answer.headers["Content-Type"].startswith("text/css")
                assert "immutable" in answer.headers["Cache-Control"]
        finally:
            server.terminate()
            server.wait(timeout=10)
