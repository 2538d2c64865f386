"""Edit tokens and teacher tokens leak nowhere: not through view links, page sources, API reads,
error messages or logs. They travel only in a link's #fragment (never sent to the server) and in
the X-Edit-Token header or the teacher's first WebSocket message."""

import json
import logging

import pytest
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from playground.routing import websocket_urlpatterns
from tests.playground.conftest import make_document

pytestmark = pytest.mark.django_db(transaction=True)
application = URLRouter(websocket_urlpatterns)


class Everything(logging.Handler):
    """Every log record of every logger, formatted with its arguments and any traceback."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def logs():
    handler, root = Everything(), logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(level)


def post(client, path: str, body: dict, **headers):
    return client.post(path, data=json.dumps(body), content_type="application/json", **headers)


def put(client, slug: str, body: dict, token: str):
    return client.put(f"/api/topologies/{slug}/", data=json.dumps(body), content_type="application/json",
                      HTTP_X_EDIT_TOKEN=token)  # fmt: skip


class TestEditTokens:
    def test_the_token_is_shown_once_and_never_again(self, client, logs):
        created = post(client, "/api/topologies/", {"document": make_document()}).json()
        token, slug = created["edit_token"], created["slug"]
        assert created["edit_url"].endswith(f"#edit={token}") and token not in created["view_url"]
        post(client, f"/api/topologies/{slug}/publish/", {"published": True}, HTTP_X_EDIT_TOKEN=token)
        assert put(client, slug, {"document": make_document("Renamed"), "version": 1}, token).status_code == 200
        api = f"/api/topologies/{slug}"
        pages = [f"/t/{slug}/", f"/t/{slug}/?revision=1", f"{api}/", f"{api}/revisions/", f"{api}/revisions/1/",
                 "/api/gallery/", "/"]  # fmt: skip
        for page in pages:
            response = client.get(page)
            assert response.status_code == 200, page
            assert token not in response.content.decode(), f"the edit token leaks through {page}"
        assert not [line for line in logs.lines if token in line], "the edit token was logged"

    def test_a_wrong_token_is_refused_without_echoing_it_or_logging_it(self, client, logs):
        created = post(client, "/api/topologies/", {"document": make_document()}).json()
        guess = "guess-" + "x" * 30
        refused = put(client, created["slug"], {"document": make_document(), "version": 1}, guess)
        assert refused.status_code == 403
        assert guess not in refused.content.decode()
        assert created["edit_token"] not in refused.content.decode()
        assert any("Forbidden" in line for line in logs.lines), (
            "the refusal is logged, so the check below means something"
        )
        assert not [line for line in logs.lines if guess in line or created["edit_token"] in line]

    def test_the_token_is_stored_only_as_a_hash(self, client):
        from playground.topologies.models import Topology

        created = post(client, "/api/topologies/", {"document": make_document()}).json()
        row = Topology.objects.filter(slug=created["slug"]).values().get()
        assert created["edit_token"] not in json.dumps(row, default=str)


class TestTeacherTokens:
    @pytest.mark.asyncio
    async def test_the_teacher_token_is_nowhere_a_student_or_the_logs_can_see(self, async_client, logs):
        response = await async_client.post("/api/live/", data=json.dumps({"document": make_document()}),
                                           content_type="application/json")  # fmt: skip
        created = response.json()
        token, code = created["teacher_token"], created["code"]
        assert created["teacher_url"].endswith(f"#teach={token}") and token not in created["join_url"]
        page = await async_client.get(f"/live/{code}/")
        assert page.status_code == 200 and token not in page.content.decode()
        student = WebsocketCommunicator(application, f"/ws/live/{code}/")
        teacher = WebsocketCommunicator(application, f"/ws/live/{code}/")
        try:
            for communicator in (student, teacher):
                assert (await communicator.connect())[0]
                assert token not in json.dumps(await communicator.receive_json_from(timeout=10))
            await student.send_json_to({"type": "auth", "token": token[:-1] + "?"})
            refusal = await student.receive_json_from(timeout=10)
            assert refusal["type"] == "error" and token[:-1] not in refusal["message"]
            await teacher.send_json_to({"type": "auth", "token": token})
            assert (await teacher.receive_json_from(timeout=10))["role"] == "teacher"
        finally:
            await student.disconnect()
            await teacher.disconnect()
            from playground.classes.runner import RUNNERS

            runner = RUNNERS.get(code)
            if runner is not None:
                await runner.end("test over")
        assert not [line for line in logs.lines if token[:-1] in line], "the teacher token was logged"


class TestCsrf:
    """Browser pages send Django's CSRF token with every write; a write from another site has none."""

    def test_a_write_without_the_csrf_token_is_refused(self):
        from django.test import Client

        browser = Client(enforce_csrf_checks=True)
        refused = post(browser, "/api/topologies/", {"document": make_document()})
        assert refused.status_code == 403

    def test_a_write_with_the_pages_csrf_token_is_accepted(self):
        from django.test import Client

        browser = Client(enforce_csrf_checks=True)
        browser.get("/")  # the editor page sets the cookie
        token = browser.cookies["csrftoken"].value
        accepted = post(browser, "/api/topologies/", {"document": make_document()}, HTTP_X_CSRFTOKEN=token)
        assert accepted.status_code == 201
