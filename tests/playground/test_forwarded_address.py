"""Behind nginx, the per-address limits count the address nginx saw, not one the client wrote in
X-Forwarded-For: with $proxy_add_x_forwarded_for nginx appended to the client's header and daphne
took its first entry, so a script got a fresh allowance with every forged address."""

import json
import os
import urllib.error
import urllib.request

import pytest

from tests.playground.conftest import make_document
from tests.playground.test_cluster import database_url, nginx_cluster  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def create_limit_of_two(monkeypatch):
    monkeypatch.setitem(os.environ, "RATE_LIMIT_CREATE", "2/h")


def create_through(port: int, forged: str) -> int:
    """Save a topology through nginx as the editor does (CSRF cookie and header), claiming `forged`."""
    page = urllib.request.urlopen(f"http://127.0.0.1:{port}/")
    cookie = next(h.split(";")[0] for h in page.headers.get_all("Set-Cookie") if h.startswith("csrftoken="))
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/topologies/",
        data=json.dumps({"document": make_document()}).encode(),
        headers={
            "Content-Type": "application/json",
            "Cookie": cookie,
            "X-CSRFToken": cookie.split("=", 1)[1],
            "X-Forwarded-For": forged,
        },  # fmt: skip
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status
    except urllib.error.HTTPError as refused:
        return refused.code


class TestForwardedAddress:
    def test_a_forged_forwarded_address_does_not_escape_the_limit(self, create_limit_of_two, nginx_cluster):  # noqa: F811
        port, _state, _ports = nginx_cluster
        answers = [create_through(port, f"203.0.113.{n}") for n in range(1, 5)]
        assert answers[:2] == [201, 201]
        assert answers[2:] == [429, 429]
