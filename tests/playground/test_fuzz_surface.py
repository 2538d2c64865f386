"""Fuzzing every write of the API and the link preview, with the inputs an attacker would choose:
JSON nested thousands of levels deep, padding (huge strings, thousands of keys), wrong types,
damaged documents; and the simulation WebSocket with floods and a client that never reads.
Never a 500, never a hang; a refused write changes nothing; a server that is not read from holds
a bounded number of frames. Budgets are fixed and derandomized, so CI time stays predictable
(docs/security.md gives the counts)."""

import asyncio
import json

import pytest
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from playground.routing import websocket_urlpatterns
from playground.sim.consumer import FRAME_WINDOW
from playground.topologies.models import Topology
from tests.playground.conftest import make_document
from tests.playground.test_fuzz import Raw, assert_clear_refusal, damaged_documents, json_values, protocol_messages

application = URLRouter(websocket_urlpatterns)
SLOW_INPUTS = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]
HTTP_FUZZ = settings(max_examples=1000, deadline=None, derandomize=True, suppress_health_check=SLOW_INPUTS)


@pytest.fixture(autouse=True)
def generous_limits(settings):
    """Thousands of writes from one test address: the rate limits are tested elsewhere (test_limits.py)."""
    settings.RATE_LIMITS = {group: "1000000/h" for group in settings.RATE_LIMITS}


def nested(depth: int, opener: str) -> str:
    """JSON text nested `depth` levels deep, written out as text: json.dumps itself would recurse."""
    if opener == "[":
        return "[" * depth + "]" * depth
    return '{"a":' * depth + "1" + "}" * depth


deep_texts = st.builds(nested, st.integers(1, 6000), st.sampled_from(["[", "{"]))
huge_strings = st.integers(0, 700_000).map(lambda size: "x" * size)
many_keys = st.integers(0, 30_000).map(lambda count: {f"k{index}": index for index in range(count)})
wrong_types = st.sampled_from([None, True, 0, -1, 2**70, 1.5, "", "1", [], [1], {}, {"version": 1}])


@st.composite
def hostile_bodies(draw) -> str | dict:
    """A request body, as text or as the JSON value to send: of any shape, a document damaged,
    padded or nested deep, fields of the wrong type."""
    shape = draw(st.sampled_from(["any", "document", "deep", "deep-document", "padded", "wrong"]))
    if shape == "deep":
        return draw(deep_texts)
    if shape == "deep-document":
        field = draw(st.sampled_from(["document", "version", "published", "message", "title", "props"]))
        return json.dumps({"document": make_document(), "version": 1}).replace(
            f'"{field}": ', f'"{field}": {draw(deep_texts)}, "_{field}": ', 1
        )
    body = {"document": draw(damaged_documents()), "version": draw(st.integers(0, 3) | wrong_types)}
    if shape == "any":
        body = draw(json_values)
    elif shape == "padded":
        document = make_document()
        where = draw(st.sampled_from(["title", "label", "key", "node", "props", "body"]))
        padding = draw(huge_strings) if where in ("title", "label") else draw(many_keys)
        if where == "title":
            document["title"] = padding
        elif where == "label":
            document["nodes"][0]["label"] = padding
        elif where == "node":
            document["nodes"][0].update(padding)
        elif where == "props":
            document["nodes"][2]["props"].update(padding)
        elif where == "body":
            body.update(padding)
        else:
            document.update(padding)
        body["document"] = document
    elif shape == "wrong":
        for name in draw(st.lists(st.sampled_from(["document", "version", "published", "message", "description",
                                                   "slug"]), min_size=1, max_size=3)):  # fmt: skip
            body[name] = draw(wrong_types)
    if isinstance(body, dict) and draw(st.booleans()):
        body.setdefault("published", draw(st.booleans()))
    return body


def writes(slug: str, token: str) -> list[tuple[str, str, dict]]:
    edit = {"HTTP_X_EDIT_TOKEN": token}
    return [
        ("post", "/api/topologies/", {}),
        ("put", f"/api/topologies/{slug}/", edit),
        ("post", f"/api/topologies/{slug}/fork/", {}),
        ("post", f"/api/topologies/{slug}/revisions/1/restore/", edit),
        ("post", f"/api/topologies/{slug}/publish/", edit),
        ("post", "/api/live/", {}),
    ]


@pytest.fixture
def target() -> tuple[Topology, str]:
    """The topology every example writes to (its version grows as saves get through), with its token."""
    return Topology.create(make_document())


@pytest.mark.django_db
class TestEveryWrite:
    @HTTP_FUZZ
    @given(body=hostile_bodies(), right_token=st.booleans(), current_version=st.booleans())
    def test_any_body_to_any_write_gets_a_clear_answer_and_a_refusal_changes_nothing(
        self, client, target, body, right_token, current_version
    ):
        topology, token = target
        if isinstance(body, dict) and current_version:
            body["version"] = Topology.objects.get(pk=topology.pk).version  # let some saves through
        text = body if isinstance(body, str) else json.dumps(body)
        version = Topology.objects.get(pk=topology.pk).version
        for method, path, headers in writes(topology.slug, token if right_token else "wrong"):
            before = Topology.objects.get(pk=topology.pk).version
            response = getattr(client, method)(path, data=text, content_type="application/json", **headers)
            assert_clear_refusal(response)
            if response.status_code >= 400:
                assert Topology.objects.get(pk=topology.pk).version == before
        saved = Topology.objects.get(pk=topology.pk)
        assert saved.revisions.count() == saved.version  # every accepted save is one revision
        if saved.version != version:
            # What got through is drawn for link previews.
            preview = client.get(f"/t/{saved.slug}/preview.png")
            assert preview.status_code == 200 and preview["Content-Type"] == "image/png"


@pytest.mark.django_db
class TestPreview:
    @settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=SLOW_INPUTS)
    @given(document=damaged_documents())
    def test_a_preview_of_any_stored_document_is_a_picture_or_a_clear_404(self, client, document):
        # Stored as it is, as rows saved before validation was as strict as now may be.
        try:
            text = json.dumps(document, allow_nan=False)
        except ValueError:
            return  # NaN or Infinity: no database takes it as JSON
        stored = Topology.objects.create(slug=f"p{Topology.objects.count()}", document=json.loads(text),
                                         edit_token_hash="x")  # fmt: skip
        response = client.get(f"/t/{stored.slug}/preview.png")
        assert response.status_code in (200, 404), response.content[:300]
        if response.status_code == 200:
            assert response["Content-Type"] == "image/png"
        assert client.get(f"/t/{stored.slug}/").status_code < 500


async def answers_again(communicator: WebsocketCommunicator, attempts: int = 200) -> None:
    """Past a flood the budget refills at its rate: ask until a pause is answered with its state."""
    for _ in range(attempts):
        await communicator.send_json_to({"type": "pause"})
        # receive_nothing waits without cancelling the application, as a timed-out receive would.
        while not await communicator.receive_nothing(timeout=0.2):
            answer = await communicator.receive_json_from()
            assert answer["type"] in {"state", "frame", "event", "error"}
            if answer["type"] == "error":
                assert answer["message"].strip()
            if answer["type"] == "state" and answer["running"] is False and "findings" not in answer:
                return
    raise AssertionError("the socket never answered again after the flood")


async def flood(messages: list, times: int) -> int:
    communicator = WebsocketCommunicator(application, "/ws/sim/new/")
    sent = 0
    try:
        assert (await communicator.connect(timeout=10))[0]
        assert (await communicator.receive_json_from(timeout=10))["type"] == "hello"
        await communicator.send_json_to({"type": "load", "document": make_document()})
        for _ in range(times):
            for message in messages:
                await communicator.send_to(text_data=message.text if isinstance(message, Raw) else json.dumps(message))
                sent += 1
        await answers_again(communicator)
    finally:
        await communicator.disconnect()
    return sent


@pytest.mark.django_db(transaction=True)
class TestSocketFloods:
    @settings(max_examples=40, deadline=None, derandomize=True, suppress_health_check=SLOW_INPUTS)
    @given(messages=st.lists(protocol_messages, min_size=1, max_size=6), times=st.integers(10, 80))
    def test_a_flood_of_any_messages_leaves_the_socket_answering(self, messages, times):
        asyncio.run(flood(messages, times))

    @pytest.mark.asyncio
    async def test_a_flood_of_deep_and_padded_messages_is_refused_clearly(self):
        communicator = WebsocketCommunicator(application, "/ws/sim/new/")
        try:
            assert (await communicator.connect(timeout=10))[0]
            await communicator.receive_json_from(timeout=10)
            many_props = {f"k{index}": index for index in range(20_000)}
            hostile = [nested(5000, "["), nested(5000, "{"), json.dumps({"type": "load", "x": "y" * 300_000}),
                       json.dumps({"type": "set", "target": "web1", "props": many_props})]  # fmt: skip
            for text in hostile:
                await communicator.send_to(text_data=text)
                answer = await communicator.receive_json_from(timeout=10)
                assert answer["type"] == "error" and answer["message"].strip()
        finally:
            await communicator.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
class TestClientThatNeverReads:
    async def test_the_server_holds_a_bounded_number_of_frames_for_it(self, settings):
        settings.SIM_FRAMES_PER_SECOND = 200  # frames as fast as the machine steps them
        communicator = WebsocketCommunicator(application, "/ws/sim/new/")
        try:
            assert (await communicator.connect(timeout=10))[0]
            await communicator.send_json_to({"type": "load", "document": make_document()})
            await communicator.send_json_to({"type": "speed", "value": 100})
            await communicator.send_json_to({"type": "start"})
            frames = await queued_frames_reach(communicator, FRAME_WINDOW)
            # The window of a claim that nothing more happens: at 200 frames a second an unbounded
            # sender would queue a hundred more in this time.
            await asyncio.sleep(0.5)
            assert queued_frames(communicator) == frames == FRAME_WINDOW
            # Once the page acknowledges what it has shown, frames flow again.
            await communicator.send_json_to({"type": "ack", "seq": FRAME_WINDOW})
            assert await queued_frames_reach(communicator, 2 * FRAME_WINDOW) == 2 * FRAME_WINDOW
        finally:
            await communicator.disconnect()


def queued_frames(communicator: WebsocketCommunicator) -> int:
    """Frames the server has sent that this client has not read (the communicator's own buffer)."""
    return sum('"type": "frame"' in item.get("text", "") for item in list(communicator.output_queue._queue))


async def queued_frames_reach(communicator: WebsocketCommunicator, count: int, attempts: int = 500) -> int:
    for _ in range(attempts):
        if queued_frames(communicator) >= count:
            return queued_frames(communicator)
        await asyncio.sleep(0.01)
    raise AssertionError(f"fewer than {count} frames came")


@pytest.mark.django_db
class TestPreviewOfOddRows:
    def test_nodes_without_places_and_fields_of_any_type_still_draw(self, client):
        odd = [{"nodes": None, "edges": "x", "title": 5},
               {"nodes": [{"id": "a", "kind": ["x"], "label": ["y"]}, {"id": ["b"]}, {"id": "c", "x": "1", "y": True}],
                "edges": [{"from": ["a"], "to": "c"}, 3]}]  # fmt: skip
        for index, document in enumerate(odd):
            stored = Topology.objects.create(slug=f"odd{index}", document=document, edit_token_hash="x")
            response = client.get(f"/t/{stored.slug}/preview.png")
            assert response.status_code == 200 and response["Content-Type"] == "image/png"
