"""The JSON API of live classes: going live with a topology."""

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from playground.classes.models import LiveClass
from playground.ops.http import read_json
from playground.ops.limits import rate_limited
from playground.topologies.api import json_api
from playground.topologies.documents import validated_document
from playground.topologies.models import Topology


@require_http_methods(["POST"])
@rate_limited("create")
@json_api
def live_classes(request: HttpRequest) -> JsonResponse:
    """Go live: a join code for the class and a secret teacher link."""
    body = read_json(request)
    document = validated_document(body)
    slug = body.get("slug")
    topology = Topology.objects.filter(slug=slug).first() if isinstance(slug, str) else None
    live_class, token = LiveClass.start(document, topology)
    join_url = reverse("live-class", args=[live_class.code])
    return JsonResponse(
        {"code": live_class.code, "join_url": join_url, "teacher_url": f"{join_url}#teach={token}",
         "qr_url": reverse("live-qr", args=[live_class.code]), "socket_url": f"/ws/live/{live_class.code}/",
         "teacher_token": token},
        status=201,
    )  # fmt: skip
