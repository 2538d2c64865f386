from django.core.management.base import BaseCommand
from django.db import transaction

from playground.lessons.files import read_lessons
from playground.lessons.models import Lesson


def sync_lessons() -> tuple[int, int]:
    """Make the Lesson table match lessons/*.json; running it twice changes nothing the second time."""
    lessons = read_lessons()
    changed = 0
    with transaction.atomic():
        removed, _ = Lesson.objects.exclude(slug__in=[lesson["slug"] for lesson in lessons]).delete()
        stored = {lesson.slug: lesson for lesson in Lesson.objects.all()}
        for lesson in lessons:
            row = stored.get(lesson["slug"])
            if row is None or row.data != lesson or row.number != lesson["number"]:
                changed += 1
                # Another file may have taken this number: numbers are unique.
                Lesson.objects.filter(number=lesson["number"]).exclude(slug=lesson["slug"]).delete()
                fields = {"number": lesson["number"], "data": lesson}
                Lesson.objects.update_or_create(slug=lesson["slug"], defaults=fields)
    return changed, removed


class Command(BaseCommand):
    help = "Load the guided lessons from lessons/*.json into the database (idempotent)."

    def handle(self, *args, **options) -> None:
        changed, removed = sync_lessons()
        self.stdout.write(f"Lessons: {changed} added or updated, {removed} removed.")
