"""Redis goes away (REDIS_URL pointing at a port where nothing listens): every HTTP write answers a
JSON 503 that says so, WebSockets are told why and closed with "try again later" (4503) instead of
an internal error, and what does not need Redis goes on."""

import asyncio
import json
import socket

import pytest
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from playground.classes.models import LiveClass
from playground.classes.relay import RELAYS
from playground.classes.runner import group_name
from playground.ops.outages import TRY_AGAIN_LATER
from playground.routing import websocket_urlpatterns
from playground.topologies.models import Topology
from tests.playground.conftest import make_document

pytestmark = pytest.mark.django_db(transaction=True)

application = URLRouter(websocket_urlpatterns)


def closed_port() -> int:
    """A port nothing listens on: bound, then released."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def dead_redis_url() -> str:
    return f"redis://127.0.0.1:{closed_port()}/0"


@pytest.fixture
def cache_down(settings, dead_redis_url):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": dead_redis_url}}  # fmt: skip


@pytest.fixture
def layer_down(settings, dead_redis_url):
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer",
                                           "CONFIG": {"hosts": [dead_redis_url]}}}  # fmt: skip


@pytest.fixture
def saved() -> tuple[Topology, str]:
    return Topology.create(make_document())


def assert_outage(response) -> None:
    assert response.status_code == 503, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert "Redis" in response.json()["error"]
    assert response["Retry-After"]


class TestHttpWrites:
    def test_it_answers_every_write_with_a_json_503(self, client, saved, cache_down):
        topology, token = saved
        slug, edit = topology.slug, {"HTTP_X_EDIT_TOKEN": token}
        body = json.dumps({"document": make_document(), "version": 1})
        writes = [
            ("post", "/api/topologies/", body, {}),
            ("put", f"/api/topologies/{slug}/", body, edit),
            ("post", f"/api/topologies/{slug}/fork/", "{}", {}),
            ("post", f"/api/topologies/{slug}/revisions/1/restore/", json.dumps({"version": 1}), edit),
            ("post", f"/api/topologies/{slug}/publish/", json.dumps({"published": True}), edit),
            ("post", "/api/live/", json.dumps({"document": make_document()}), {}),
        ]
        for method, path, data, headers in writes:
            assert_outage(getattr(client, method)(path, data=data, content_type="application/json", **headers))
        assert Topology.objects.count() == 1  # nothing was half-saved

    def test_reads_go_on(self, client, saved, cache_down):
        topology, _ = saved
        assert client.get(f"/api/topologies/{topology.slug}/").status_code == 200


async def refused_for_outage(path: str) -> None:
    communicator = WebsocketCommunicator(application, path)
    try:
        assert (await communicator.connect(timeout=10))[0]
        told = await next_error(communicator)
        assert "Redis" in told["message"]
        closed = await communicator.receive_output(timeout=10)
        assert closed == {"type": "websocket.close", "code": TRY_AGAIN_LATER}
    finally:
        await communicator.disconnect()


async def next_error(communicator: WebsocketCommunicator) -> dict:
    for _ in range(10):
        message = await communicator.receive_json_from(timeout=10)
        if message["type"] == "error":
            return message
    raise AssertionError("no error message")


@pytest.mark.asyncio
class TestSockets:
    async def test_the_editors_socket_is_refused_with_the_reason_when_limits_cannot_be_counted(self, cache_down):
        await refused_for_outage("/ws/sim/new/")

    async def test_a_live_class_socket_is_refused_with_the_reason_when_the_layer_is_down(self, layer_down):
        created, _ = await asyncio.to_thread(LiveClass.start, make_document())
        await refused_for_outage(f"/ws/live/{created.code}/")
        assert group_name(created.code) not in RELAYS  # the next watcher starts a relay of its own

    async def test_the_editors_socket_needs_no_channel_layer(self, layer_down):
        communicator = WebsocketCommunicator(application, "/ws/sim/new/")
        try:
            assert (await communicator.connect(timeout=10))[0]
            assert (await communicator.receive_json_from(timeout=10))["type"] == "hello"
            await communicator.send_json_to({"type": "load", "document": make_document()})
            assert (await communicator.receive_json_from(timeout=10))["type"] == "state"
            await communicator.send_json_to({"type": "step"})
            assert (await communicator.receive_json_from(timeout=10))["type"] == "frame"
        finally:
            await communicator.disconnect()
