"""Security headers on every page: a strict Content-Security-Policy and the usual companions."""

import re

import pytest

pytestmark = pytest.mark.django_db


def directives(header: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


class TestHeaders:
    @pytest.mark.parametrize("path", ["/", "/live/"])
    def test_pages_allow_only_the_sites_own_scripts_styles_and_connections(self, client, path):
        policy = directives(client.get(path)["Content-Security-Policy"])
        for name in ("default-src", "script-src", "style-src", "connect-src"):
            assert policy[name] == ["'self'"], name
        assert policy["object-src"] == policy["base-uri"] == policy["frame-ancestors"] == ["'none'"]

    def test_the_editor_has_no_inline_script(self, client):
        page = client.get("/").content.decode()
        scripts = re.findall(r"<script([^>]*)>", page)
        assert scripts
        assert all("src=" in attributes or 'type="application/json"' in attributes for attributes in scripts)

    def test_it_sends_the_usual_security_headers(self, client):
        response = client.get("/")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
