"""The JSON API: create, read, update and fork topologies."""

from functools import wraps

from django.db import transaction
from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

import engine
from playground.documents import validated_document
from playground.http import BadRequest, error, read_json
from playground.models import Topology


def json_api(view):
    """Turn BadRequest into a JSON error so every refusal is a clear 4xx."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except BadRequest as exc:
            return error(exc.message, exc.status, exc.problems)
        except Http404:
            return error("There is no topology at this link.", 404)

    return wrapper


def describe(topology: Topology) -> dict:
    return {
        "slug": topology.slug,
        "title": topology.title,
        "document": topology.document,
        "version": topology.version,
        "forked_from": topology.forked_from.slug if topology.forked_from else None,
        "view_url": reverse("topology", args=[topology.slug]),
        "created_at": topology.created_at.isoformat(),
        "updated_at": topology.updated_at.isoformat(),
    }


def created(topology: Topology, token: str) -> JsonResponse:
    body = describe(topology)
    body["edit_token"] = token
    body["edit_url"] = f"{body['view_url']}#edit={token}"
    return JsonResponse(body, status=201)


@require_GET
def catalog(request: HttpRequest) -> JsonResponse:
    return JsonResponse(engine.catalog_json())


@require_http_methods(["POST"])
@json_api
def topologies(request: HttpRequest) -> JsonResponse:
    document = validated_document(read_json(request))
    topology, token = Topology.create(document)
    return created(topology, token)


@require_http_methods(["GET", "PUT"])
@json_api
def topology(request: HttpRequest, slug: str) -> JsonResponse:
    found = get_object_or_404(Topology, slug=slug)
    if request.method == "GET":
        return JsonResponse(describe(found))
    return update(request, found)


def update(request: HttpRequest, found: Topology) -> JsonResponse:
    if not found.accepts_token(request.headers.get("X-Edit-Token", "")):
        return error("This edit link is not valid for this topology.", 403)
    body = read_json(request)
    version = body.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise BadRequest(
            'Say which version you edited, as "version": N.',
            problems=[{"path": "version", "message": "Missing or not a whole number."}],
        )
    document = validated_document(body)
    with transaction.atomic():
        # The version check and the write are one UPDATE, so two savers can never both win.
        saved = Topology.objects.filter(pk=found.pk, version=version).update(
            document=document,
            title=str(document.get("title", "")),
            version=version + 1,
            updated_at=timezone.now(),
        )
    if not saved:
        current = Topology.objects.get(pk=found.pk)
        return error(
            f"Someone saved version {current.version} after the version {version} you edited.",
            409,
            current_version=current.version,
            document=current.document,
        )
    found.refresh_from_db()
    return JsonResponse(describe(found))


@require_http_methods(["POST"])
@json_api
def fork(request: HttpRequest, slug: str) -> JsonResponse:
    original = get_object_or_404(Topology, slug=slug)
    # A plain POST forks the saved document; a JSON body may carry the viewer's changes.
    body = read_json(request) if request.content_type == "application/json" and request.body else {}
    document = validated_document(body) if "document" in body else original.document
    topology, token = Topology.create(document, forked_from=original)
    return created(topology, token)
