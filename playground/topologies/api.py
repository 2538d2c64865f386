"""The JSON API: topologies, their revisions, forks and the gallery."""

from functools import wraps

from django.http import Http404, HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from playground.ops.http import BadRequest, error, read_json
from playground.ops.limits import rate_limited
from playground.topologies.documents import validated_document
from playground.topologies.models import MAX_DESCRIPTION, MAX_MESSAGE, Revision, StaleVersion, Topology

GALLERY_SIZE = 100
# Revisions listed per page of the history; a page asks for the next with ?before=<version>.
REVISIONS_PAGE = 50
MAX_REVISIONS_PAGE = 200


def json_api(view):
    """Turn BadRequest and missing objects into JSON errors so every refusal is a clear 4xx."""

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
        "description": topology.description,
        "document": topology.document,
        "version": topology.version,
        "published": topology.published,
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


def text_field(body: dict, name: str, limit: int) -> str:
    value = body.get(name, "")
    if not isinstance(value, str) or len(value) > limit:
        raise BadRequest(
            f"{name} must be text of at most {limit} characters.",
            problems=[{"path": name, "message": f"Text of at most {limit} characters."}],
        )
    return value


def edited_version(body: dict) -> int:
    version = body.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise BadRequest(
            'Say which version you edited, as "version": N.',
            problems=[{"path": "version", "message": "Missing or not a whole number."}],
        )
    return version


def editable(request: HttpRequest, slug: str) -> Topology:
    """The topology, if the request carries its edit token; otherwise a 403 BadRequest."""
    topology = get_object_or_404(Topology, slug=slug)
    if not topology.accepts_token(request.headers.get("X-Edit-Token", "")):
        raise BadRequest("This edit link is not valid for this topology.", 403)
    return topology


def saved_or_conflict(topology: Topology, document: dict, version: int, message: str, **fields) -> JsonResponse:
    try:
        topology.save_version(document, version, message, **fields)
    except StaleVersion as stale:
        current = stale.current
        return error(
            f"Someone saved version {current.version} after the version {version} you edited.",
            409,
            current_version=current.version,
            document=current.document,
        )
    return JsonResponse(describe(topology))


@require_http_methods(["POST"])
@rate_limited("create")
@json_api
def topologies(request: HttpRequest) -> JsonResponse:
    body = read_json(request)
    document = validated_document(body)
    topology, token = Topology.create(document, description=text_field(body, "description", MAX_DESCRIPTION))
    return created(topology, token)


@require_http_methods(["GET", "PUT"])
@rate_limited("save")
@json_api
def topology(request: HttpRequest, slug: str) -> JsonResponse:
    if request.method == "GET":
        return JsonResponse(describe(get_object_or_404(Topology, slug=slug)))
    found = editable(request, slug)
    body = read_json(request)
    version, message = edited_version(body), text_field(body, "message", MAX_MESSAGE)
    document = validated_document(body)
    fields = {"description": text_field(body, "description", MAX_DESCRIPTION)} if "description" in body else {}
    return saved_or_conflict(found, document, version, message, **fields)


@require_http_methods(["POST"])
@rate_limited("create")
@json_api
def fork(request: HttpRequest, slug: str) -> JsonResponse:
    original = get_object_or_404(Topology, slug=slug)
    # A plain POST forks the saved document; a JSON body may carry the viewer's changes.
    body = read_json(request) if request.content_type == "application/json" and request.body else {}
    document = validated_document(body) if "document" in body else original.document
    topology, token = Topology.create(document, forked_from=original, description=original.description)
    return created(topology, token)


def whole_number(request: HttpRequest, name: str, default: int | None, low: int, high: int) -> int | None:
    text = request.GET.get(name)
    if text is None:
        return default
    if not text.isdigit() or not low <= int(text) <= high:
        raise BadRequest(f"{name} must be a whole number from {low} to {high}.",
                         problems=[{"path": name, "message": f"A whole number from {low} to {high}."}])  # fmt: skip
    return int(text)


@require_GET
@json_api
def revisions(request: HttpRequest, slug: str) -> JsonResponse:
    """A page of the history, newest first, and the link to the next (older) page, if any."""
    topology = get_object_or_404(Topology.objects.only("id"), slug=slug)
    before = whole_number(request, "before", None, 1, 2**31 - 1)
    limit = whole_number(request, "limit", REVISIONS_PAGE, 1, MAX_REVISIONS_PAGE)
    page = Revision.summaries(topology, before, limit + 1)
    older = len(page) > limit
    page = page[:limit]
    url = reverse("api-revisions", args=[slug])
    next_url = f"{url}?before={page[-1]['version']}&limit={limit}" if older else None
    return JsonResponse({"slug": slug, "revisions": page, "next": next_url})


@require_GET
@json_api
def revision(request: HttpRequest, slug: str, number: int) -> JsonResponse:
    found = get_object_or_404(Topology, slug=slug).revisions.filter(number=number).first()
    if found is None:
        return error(f"This topology has no version {number}.", 404)
    return JsonResponse({**found.describe(), "document": found.document})


@require_http_methods(["POST"])
@rate_limited("save")
@json_api
def restore(request: HttpRequest, slug: str, number: int) -> JsonResponse:
    """Bring back an old version as a new revision; nothing is overwritten."""
    found = editable(request, slug)
    old = found.revisions.filter(number=number).first()
    if old is None:
        return error(f"This topology has no version {number}.", 404)
    body = read_json(request)
    return saved_or_conflict(found, old.document, edited_version(body), f"Restored version {number}")


@require_http_methods(["POST"])
@rate_limited("save")
@json_api
def publish(request: HttpRequest, slug: str) -> JsonResponse:
    found = editable(request, slug)
    published = read_json(request).get("published")
    if not isinstance(published, bool):
        raise BadRequest('Send {"published": true} to list it in the gallery, or false to unlist it.')
    found.published = published
    found.save(update_fields=["published"])
    return JsonResponse(describe(found))


@require_GET
def gallery(request: HttpRequest) -> JsonResponse:
    published = Topology.objects.filter(published=True).order_by("-updated_at")[:GALLERY_SIZE]
    return JsonResponse(
        {
            "topologies": [
                {"slug": t.slug, "title": t.title, "description": t.description, "view_url": describe(t)["view_url"]}
                for t in published
            ]
        }
    )
