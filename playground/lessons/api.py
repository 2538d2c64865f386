"""The JSON API of the guided lessons."""

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET

from playground.lessons.files import summary
from playground.lessons.models import Lesson
from playground.ops.http import error


@require_GET
def lessons(request: HttpRequest) -> JsonResponse:
    """The guided lessons in order, as the gallery lists them."""
    found = Lesson.objects.all()
    return JsonResponse({"lessons": [{**summary(lesson.data), "url": reverse("lesson", args=[lesson.slug])}
                                     for lesson in found]})  # fmt: skip


@require_GET
def lesson(request: HttpRequest, slug: str) -> JsonResponse:
    found = Lesson.objects.filter(slug=slug).first()
    if found is None:
        return error("There is no lesson at this link.", 404)
    return JsonResponse({**found.data, "url": reverse("lesson", args=[found.slug])})
