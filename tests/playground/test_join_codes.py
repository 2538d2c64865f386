"""Class codes answer whether a class exists: looked up at a bounded rate per address, and an
ended class's QR code is gone. Link previews draw documents that leave a node's place out."""

import pytest
from django.utils import timezone

from playground.classes.models import LiveClass
from tests.playground.conftest import make_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def running_class() -> LiveClass:
    created, _token = LiveClass.start(make_document())
    return created


def lookup(client, path: str, address: str = "10.0.0.7"):
    return client.get(path, REMOTE_ADDR=address)


class TestJoinCodeLookups:
    @pytest.mark.parametrize("path", ["/live/?code=ZZZ999", "/live/ZZZ999/", "/live/ZZZ999/qr.svg"])
    def test_it_refuses_lookups_past_the_limit_with_a_retry_time(self, client, settings, path):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, "join": "3/m"}
        answers = [lookup(client, path).status_code for _ in range(3)]
        assert answers == [404, 404, 404]
        refused = lookup(client, path)
        assert refused.status_code == 429
        assert int(refused["Retry-After"]) > 0
        assert "Too many class codes" in refused.content.decode()

    def test_another_address_keeps_its_own_allowance(self, client, settings, running_class):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, "join": "1/m"}
        assert lookup(client, "/live/?code=ZZZ999").status_code == 404
        assert lookup(client, "/live/?code=ZZZ999").status_code == 429
        assert lookup(client, f"/live/?code={running_class.code}", "10.0.0.8").status_code == 302

    def test_the_empty_join_page_is_not_counted(self, client, settings):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, "join": "1/m"}
        assert [lookup(client, "/live/").status_code for _ in range(3)] == [200, 200, 200]


class TestQrCode:
    def test_it_draws_a_running_class(self, client, running_class):
        response = client.get(f"/live/{running_class.code}/qr.svg")
        assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"

    def test_an_ended_class_has_none(self, client, running_class):
        LiveClass.objects.filter(pk=running_class.pk).update(ended_at=timezone.now())
        assert client.get(f"/live/{running_class.code}/qr.svg").status_code == 404


class TestLinkPreview:
    def test_it_draws_nodes_that_leave_their_place_out(self, client):
        document = make_document()
        for node in document["nodes"]:
            del node["x"], node["y"]
        created = client.post("/api/topologies/", {"document": document}, content_type="application/json")
        assert created.status_code == 201
        response = client.get(f"/t/{created.json()['slug']}/preview.png")
        assert response.status_code == 200 and response["Content-Type"] == "image/png"
        assert response.content.startswith(b"\x89PNG")
