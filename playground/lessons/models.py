"""Guided lessons as the site serves them."""

from django.db import models


class Lesson(models.Model):
    """A guided lesson, copied from its file in lessons/ by `manage.py load_lessons`.

    The files are the source of truth; this table lets the site list and serve them like any
    other content (and a teacher's own lessons could live here later)."""

    slug = models.SlugField(max_length=64, unique=True)
    number = models.PositiveIntegerField(unique=True)
    data = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "playground_lesson"
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Lesson {self.number}: {self.slug}"
