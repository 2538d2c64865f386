"""The catalog of kinds, props and actions, in the page's language."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from playground.front.catalog import translated_catalog


@require_GET
def catalog(request: HttpRequest) -> JsonResponse:
    return JsonResponse(translated_catalog())
