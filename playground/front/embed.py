"""A saved topology as a player other sites can frame, and its oEmbed description.

The embed page is the editor's page without its editing chrome (page "embed"): it plays the
simulation and links back. Every other page refuses to be framed (X-Frame-Options and the CSP's
frame-ancestors 'none'); only this one lets any site frame it, and it holds no secret: the
edit token never reaches it. oEmbed (https://oembed.com) lets a blog or course platform turn a
pasted link of a topology into the player by itself.
"""

from urllib.parse import urlsplit

from csp.decorators import csp_replace
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import Resolver404, resolve, reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt

from playground.front.pages import editor_context, link_preview
from playground.topologies.models import Topology

# The size a player opens at unless the consumer asks for less: the drawing and the numbers
# fit, as on a 16:9 slide.
EMBED_WIDTH, EMBED_HEIGHT = 960, 540
MIN_EMBED_WIDTH, MIN_EMBED_HEIGHT = 320, 240
PREVIEW_WIDTH, PREVIEW_HEIGHT = 1200, 630


@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def embedded_topology(request: HttpRequest, slug: str) -> HttpResponse:
    topology = get_object_or_404(Topology.objects.select_related("forked_from"), slug=slug)
    context = editor_context(topology.document, topology)
    context.update(page="embed", og=link_preview(request, topology))
    return render(request, "editor.html", context)


def embed_snippet(src: str, title: str, width: int, height: int) -> str:
    return (f'<iframe src="{escape(src)}" width="{width}" height="{height}" title="{escape(title)}" '
            'style="border:0;border-radius:8px" loading="lazy" allow="fullscreen"></iframe>')  # fmt: skip


def bounded(asked: str, default: int, least: int) -> int | None:
    if not asked:
        return default
    if not asked.isdigit():
        return None
    return max(least, min(default, int(asked)))


def oembed(request: HttpRequest) -> HttpResponse:
    """The oEmbed answer for a link of a saved topology: a "rich" player in an iframe."""
    if request.GET.get("format", "json") != "json":
        return JsonResponse({"error": _("Only the json format is offered.")}, status=501)
    topology = topology_of(request.GET.get("url", ""), request.get_host())
    if topology is None:
        return JsonResponse({"error": _("The url is not a link of a saved topology here.")}, status=404)
    width = bounded(request.GET.get("maxwidth", ""), EMBED_WIDTH, MIN_EMBED_WIDTH)
    height = bounded(request.GET.get("maxheight", ""), EMBED_HEIGHT, MIN_EMBED_HEIGHT)
    if width is None or height is None:
        return JsonResponse({"error": _("maxwidth and maxheight are whole numbers of pixels.")}, status=400)
    title = topology.title or _("Untitled topology")
    src = request.build_absolute_uri(reverse("topology-embed", args=[topology.slug]))
    return JsonResponse({
        "version": "1.0",
        "type": "rich",
        "provider_name": "Scale Playground",
        "provider_url": request.build_absolute_uri("/"),
        "title": title,
        "html": embed_snippet(src, title, width, height),
        "width": width,
        "height": height,
        "thumbnail_url": request.build_absolute_uri(reverse("topology-preview", args=[topology.slug])),
        "thumbnail_width": PREVIEW_WIDTH,
        "thumbnail_height": PREVIEW_HEIGHT,
        "cache_age": 300,
    })  # fmt: skip


def topology_of(url: str, host: str) -> Topology | None:
    """The saved topology a link of this site names (its page or its player), else None."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or parts.netloc != host:
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.url_name not in ("topology", "topology-embed"):
        return None
    return Topology.objects.filter(slug=match.kwargs["slug"]).first()
