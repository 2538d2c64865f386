"""HTML pages: the editor on a new topology and on a saved one."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import quote_etag
from django.views.decorators.csrf import ensure_csrf_cookie

import engine
from playground.models import Topology
from playground.preview import render_png

NEW_DOCUMENT = {
    "version": 1,
    "title": "",
    "traffic": {"rps": 200, "pattern": "constant", "read_ratio": 0.9},
    "nodes": [],
    "edges": [],
    "scenario": [],
}


def editor_context(document: dict, topology: Topology | None) -> dict:
    return {
        "page": "saved" if topology else "new",
        "slug": topology.slug if topology else "",
        "title": topology.title if topology else "",
        "version": topology.version if topology else None,
        "forked_from": topology.forked_from.slug if topology and topology.forked_from else "",
        "document": document,
        "catalog": engine.catalog_json(),
    }


@ensure_csrf_cookie
def new_topology(request: HttpRequest) -> HttpResponse:
    return render(request, "editor.html", editor_context(NEW_DOCUMENT, None))


@ensure_csrf_cookie
def saved_topology(request: HttpRequest, slug: str) -> HttpResponse:
    topology = get_object_or_404(Topology.objects.select_related("forked_from"), slug=slug)
    return render(request, "editor.html", editor_context(topology.document, topology))


def preview_png(request: HttpRequest, slug: str) -> HttpResponse:
    """The picture a chat shows for a shared link; tagged by version so caches stay right."""
    topology = get_object_or_404(Topology, slug=slug)
    etag = quote_etag(f"{topology.slug}-v{topology.version}")
    if request.headers.get("If-None-Match") == etag:
        return HttpResponse(status=304)
    response = HttpResponse(render_png(topology.document), content_type="image/png")
    response["ETag"] = etag
    response["Cache-Control"] = "public, max-age=300"
    return response
