"""HTML pages: the editor on a new topology and on a saved one."""

import io
from functools import wraps
from urllib.parse import urlencode

import segno
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie

from playground.classes.models import LiveClass
from playground.front.catalog import translated_catalog
from playground.front.preview import render_png
from playground.lessons.files import preset
from playground.lessons.models import Lesson
from playground.ops.limits import retry_after
from playground.topologies.models import Topology
from playground.topologies.tokens import normalized_join_code

NEW_DOCUMENT = {
    "version": 1,
    "title": "",
    "traffic": {"rps": 200, "pattern": "constant", "read_ratio": 0.9},
    "nodes": [],
    "edges": [],
    "scenario": [],
}


def join_limited(view):
    """Looking a code up answers whether a class exists: counted per address ("join" in
    RATE_LIMITS), so that codes cannot be tried one after another, generous enough for a class
    behind one address."""

    @wraps(view)
    def limited(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.GET.get("code") or args or kwargs:
            seconds = retry_after("join", request.META.get("REMOTE_ADDR", ""))
            if seconds is not None:
                message = _("Too many class codes tried from your address; try again in %(seconds)s s.")
                response = render(request, "live_join.html", {"code": "", "message": message % {"seconds": seconds}},
                                  status=429)  # fmt: skip
                response["Retry-After"] = str(seconds)
                return response
        return view(request, *args, **kwargs)

    return limited


def editor_context(document: dict, topology: Topology | None) -> dict:
    return {
        "page": "saved" if topology else "new",
        "slug": topology.slug if topology else "",
        "title": topology.title if topology else "",
        "description": topology.description if topology else "",
        "published": topology.published if topology else False,
        "version": topology.version if topology else None,
        "revision": None,
        "forked_from": topology.forked_from.slug if topology and topology.forked_from else "",
        "document": document,
        "catalog": translated_catalog(),
    }


def link_preview(request: HttpRequest, topology: Topology) -> dict:
    """Open Graph fields, so a shared link shows the title and a picture of the topology in a chat."""
    return {
        "title": topology.title or "Untitled topology",
        "description": topology.description or "A system architecture to run and break in Scale Playground.",
        "url": request.build_absolute_uri(reverse("topology", args=[topology.slug])),
        "image": request.build_absolute_uri(reverse("topology-preview", args=[topology.slug])),
    }


@ensure_csrf_cookie
def new_topology(request: HttpRequest) -> HttpResponse:
    return render(request, "editor.html", editor_context(NEW_DOCUMENT, None))


@ensure_csrf_cookie
def saved_topology(request: HttpRequest, slug: str) -> HttpResponse:
    """A saved topology; `?revision=N` shows an older version, read-only, with a way to restore it."""
    topology = get_object_or_404(Topology.objects.select_related("forked_from"), slug=slug)
    context = editor_context(topology.document, topology)
    context["og"] = link_preview(request, topology)
    # oEmbed discovery: a pasted link of this page becomes the embeddable player (front/embed.py).
    context["oembed_url"] = (
        request.build_absolute_uri(reverse("oembed")) + "?" + urlencode({"url": context["og"]["url"], "format": "json"})
    )
    asked = request.GET.get("revision", "")
    if asked:
        if not asked.isdigit():
            raise Http404("A revision is a version number.")
        revision = get_object_or_404(topology.revisions, number=int(asked))
        context.update(document=revision.document, revision=revision.number, title=revision.describe()["title"])
    return render(request, "editor.html", context)


@ensure_csrf_cookie
def lesson(request: HttpRequest, slug: str) -> HttpResponse:
    """A guided lesson: its preset runs read-only beside the narration; it opens as an editable copy."""
    found = get_object_or_404(Lesson, slug=slug)
    document = preset(found.data, request.LANGUAGE_CODE)
    context = editor_context(document, None)
    # The narration column and "Open as a topology" use the same preset, in the page's language.
    context.update(page="lesson", lesson={**found.data, "document": document}, title=document["title"])
    return render(request, "editor.html", context)


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


@ensure_csrf_cookie
@join_limited
def live_class(request: HttpRequest, code: str) -> HttpResponse:
    """A live class: students watch; the teacher's page carries its token in the fragment."""
    found = LiveClass.objects.filter(code=normalized_join_code(code), ended_at__isnull=True).first()
    if found is None:
        return join_live_class_page(request, code)
    context = editor_context(found.document, None)
    join_url = request.build_absolute_uri(reverse("live-class", args=[found.code]))
    context.update(page="live", live_code=found.code, narration=found.narration, join_url=join_url,
                   title=str(found.document.get("title", "")))  # fmt: skip
    return render(request, "editor.html", context)


def join_live_class_page(request: HttpRequest, typed: str) -> HttpResponse:
    message = _("There is no live class with the code “%(code)s” right now. Check it with your teacher.")
    message %= {"code": typed}
    return render(request, "live_join.html", {"code": typed, "message": message}, status=404)


@join_limited
def join_live_class(request: HttpRequest) -> HttpResponse:
    """Where a student types the code; a known code goes straight to the class."""
    typed = request.GET.get("code", "")
    if not typed:
        return render(request, "live_join.html", {"code": "", "message": ""})
    code = normalized_join_code(typed)
    if LiveClass.objects.filter(code=code, ended_at__isnull=True).exists():
        return redirect("live-class", code=code)
    return join_live_class_page(request, typed)


@join_limited
def live_class_qr(request: HttpRequest, code: str) -> HttpResponse:
    """A QR code of the join link, to show large on a projector; only while the class runs."""
    live_class = get_object_or_404(LiveClass, code=normalized_join_code(code), ended_at__isnull=True)
    link = request.build_absolute_uri(reverse("live-class", args=[live_class.code]))
    out = io.BytesIO()
    segno.make(link, error="m").save(out, kind="svg", scale=10, border=2, dark="#1b1d2a")
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")
