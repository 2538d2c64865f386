"""The scale-out path for real: PostgreSQL and Redis on this machine, switched on by environment
variables. These tests fail, never skip, when the services are not running: CI requires them."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from channels_redis.core import RedisChannelLayer

ROOT = Path(__file__).resolve().parents[2]
# pytest-django creates "test_<name>"; the process id keeps parallel runs on one server apart.
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", f"postgres://postgres@127.0.0.1:5432/playground_{os.getpid()}")
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "playground.settings", **env}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=full_env, capture_output=True, text=True,
                          timeout=120)  # fmt: skip


class TestSettings:
    def test_it_switches_to_postgresql_and_redis_from_the_environment(self):
        code = (
            "import json, django; django.setup(); from django.conf import settings;"
            "print(json.dumps([settings.DATABASES['default']['ENGINE'],"
            " settings.CHANNEL_LAYERS['default']['BACKEND']]))"
        )
        done = run_python(code, DATABASE_URL=POSTGRES_URL, REDIS_URL=REDIS_URL)
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout) == [
            "django.db.backends.postgresql",
            "channels_redis.core.RedisChannelLayer",
        ]

    def test_it_defaults_to_sqlite_and_memory(self):
        code = (
            "import json, django; django.setup(); from django.conf import settings;"
            "print(json.dumps([settings.DATABASES['default']['ENGINE'],"
            " settings.CHANNEL_LAYERS['default']['BACKEND']]))"
        )
        env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
        done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                              env={**env, "DJANGO_SETTINGS_MODULE": "playground.settings"})  # fmt: skip
        assert json.loads(done.stdout) == ["django.db.backends.sqlite3", "channels.layers.InMemoryChannelLayer"]

    def test_a_bad_boolean_names_the_variable(self):
        done = run_python("import django; django.setup()", DEBUG="maybe")
        assert done.returncode != 0
        assert "DEBUG must be one of" in done.stderr


class TestPostgreSQL:
    def test_the_api_and_history_work_on_postgresql(self):
        """The API, history, backup and migration tests, concurrent saves included, run again on a real
        PostgreSQL."""
        env = {**os.environ, "DATABASE_URL": POSTGRES_URL}
        done = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/playground/test_api.py",
             "tests/playground/test_history.py", "tests/playground/test_backup.py",
             "tests/playground/test_migrations.py"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        assert " passed" in done.stdout


@pytest.mark.asyncio
class TestRedis:
    async def test_the_channel_layer_carries_a_group_message_through_redis(self):
        layer = RedisChannelLayer(hosts=[REDIS_URL], prefix=f"test-{uuid.uuid4().hex}")
        group = "class-demo"
        students = [await layer.new_channel() for _ in range(3)]
        for channel in students:
            await layer.group_add(group, channel)
        await layer.group_send(group, {"type": "sim.frame", "t": 1.5})
        received = [await layer.receive(channel) for channel in students]
        assert all(message == {"type": "sim.frame", "t": 1.5} for message in received)
        await layer.flush()
        await layer.close_pools()

    async def test_an_idle_receiver_is_not_torn_down(self):
        """redis-py 8 cuts socket reads after 5 s unless told otherwise; a watcher of a paused class
        waits longer than that for its next message and must keep waiting, not fail."""
        code = """
import asyncio, django
django.setup()
from channels.layers import get_channel_layer

async def idle():
    layer = get_channel_layer()  # as the settings build it with REDIS_URL set
    channel = await layer.new_channel()
    try:
        await asyncio.wait_for(layer.receive(channel), 7)
    except TimeoutError:
        print("still waiting")

asyncio.run(idle())
"""
        done = run_python(code, REDIS_URL=REDIS_URL)
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stdout.strip() == "still waiting"
