"""Input built to break the server's recursive readers: deeply nested JSON, in a body and on the
socket. Before the depth limit, a POST of 3,000 nested arrays answered 500 (RecursionError)."""

import pytest

from playground.ops.http import MAX_JSON_DEPTH
from tests.playground.conftest import make_document
from tests.playground.test_consumer import opened

pytestmark = pytest.mark.django_db(transaction=True)


def nested_arrays(depth: int) -> str:
    return "[" * depth + "]" * depth


def document_with_props_nested(depth: int) -> str:
    """A body whose one web server has a prop of lists, `depth` levels deep in all."""
    head = (
        '{"document": {"version": 1, "title": "deep", '
        '"nodes": [{"id": "web1", "kind": "web_server", "props": {"workers": '
    )
    inner = depth - 5  # the body, its document, the nodes, the node and its props
    return head + nested_arrays(inner) + "}}]}}"


class TestDeepNestingOverHttp:
    @pytest.mark.parametrize("depth", [3_000, 100_000])
    def test_it_refuses_deeply_nested_arrays_clearly(self, client, depth):
        response = client.post("/api/topologies/", data=nested_arrays(depth), content_type="application/json")
        assert response.status_code == 400
        assert f"nested more than {MAX_JSON_DEPTH} levels" in response.json()["error"]

    def test_it_refuses_a_document_nested_just_past_the_limit(self, client):
        response = client.post(
            "/api/topologies/", data=document_with_props_nested(MAX_JSON_DEPTH + 1), content_type="application/json"
        )
        assert response.status_code == 400
        assert "nested" in response.json()["error"]

    def test_it_still_reads_a_document_at_the_limit(self, client):
        response = client.post(
            "/api/topologies/", data=document_with_props_nested(MAX_JSON_DEPTH), content_type="application/json"
        )
        # Read as JSON, then refused by validation for what it says, not for how deep it is.
        assert response.status_code == 400
        assert "nested" not in response.json()["error"]
        assert response.json()["problems"]

    def test_it_saves_an_ordinary_document(self, client):
        response = client.post("/api/topologies/", data={"document": make_document()}, content_type="application/json")
        assert response.status_code == 201


@pytest.mark.asyncio
class TestDeepNestingOnTheSocket:
    async def test_it_answers_an_error_and_keeps_the_connection(self):
        communicator = await opened()
        try:
            await communicator.send_to(text_data='{"type": "load", "document": ' + nested_arrays(3_000) + "}")
            reply = await communicator.receive_json_from(timeout=5)
            assert reply["type"] == "error" and "nested" in reply["message"]
            await communicator.send_json_to({"type": "load", "document": make_document()})
            reply = await communicator.receive_json_from(timeout=5)
            assert reply["type"] == "state"
        finally:
            await communicator.disconnect()
