"""Saved topologies with their revisions."""

from django.db import models, transaction
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.utils import timezone

from playground.topologies.tokens import hash_token, new_edit_token, new_slug, token_matches

MAX_MESSAGE = 200
MAX_DESCRIPTION = 2000


class StaleVersion(Exception):
    """Someone saved after the version the editor started from; carries the current topology."""

    def __init__(self, current: "Topology"):
        super().__init__(f"version {current.version} is newer")
        self.current = current


class Topology(models.Model):
    slug = models.SlugField(max_length=32, unique=True, editable=False)
    title = models.CharField(max_length=200, blank=True)
    description = models.TextField(max_length=MAX_DESCRIPTION, blank=True)
    document = models.JSONField()
    version = models.PositiveIntegerField(default=1)
    published = models.BooleanField(default=False)
    edit_token_hash = models.CharField(max_length=64, editable=False)
    forked_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="forks")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "playground_topology"

    def __str__(self) -> str:
        return f"{self.title or 'Untitled'} ({self.slug})"

    @classmethod
    def create(
        cls, document: dict, forked_from: "Topology | None" = None, description: str = ""
    ) -> tuple["Topology", str]:
        """Save a new topology with its first revision; return it with its edit token, never stored."""
        token = new_edit_token()
        with transaction.atomic():
            topology = cls.objects.create(
                slug=new_slug(),
                title=str(document.get("title", "")),
                description=description,
                document=document,
                edit_token_hash=hash_token(token),
                forked_from=forked_from,
            )
            message = f"Forked from {forked_from.slug}" if forked_from else "Created"
            topology.revisions.create(number=1, document=document, message=message)
        return topology, token

    def accepts_token(self, token: str) -> bool:
        return bool(token) and token_matches(token, self.edit_token_hash)

    def save_version(self, document: dict, edited_version: int, message: str = "", **fields) -> None:
        """Save as the next version and record the revision, or raise StaleVersion.

        The version check and the write are one UPDATE, so of two savers exactly one wins."""
        with transaction.atomic():
            saved = Topology.objects.filter(pk=self.pk, version=edited_version).update(
                document=document,
                title=str(document.get("title", "")),
                version=edited_version + 1,
                updated_at=timezone.now(),
                **fields,
            )
            if not saved:
                raise StaleVersion(Topology.objects.get(pk=self.pk))
            self.revisions.create(number=edited_version + 1, document=document, message=message)
        self.refresh_from_db()


class JSONArrayLength(models.Func):
    """The length of a JSON array, counted by the database: SQLite's json_array_length,
    PostgreSQL's jsonb_array_length. A list of revisions never loads their documents into Python."""

    function = "JSON_ARRAY_LENGTH"
    output_field = models.IntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function="JSONB_ARRAY_LENGTH", **extra)


class Revision(models.Model):
    """One saved version of a topology; never changed, never deleted while the topology lives."""

    topology = models.ForeignKey(Topology, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    document = models.JSONField()
    message = models.CharField(max_length=MAX_MESSAGE, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "playground_revision"
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["topology", "number"], name="one_revision_per_version")]

    def describe(self) -> dict:
        return {
            "version": self.number,
            "title": str(self.document.get("title", "")),
            "message": self.message,
            "created_at": self.created_at.isoformat(),
        }

    @classmethod
    def summaries(cls, topology: Topology, before: int | None, limit: int) -> list[dict]:
        """Up to `limit` revisions older than version `before` (the newest when None), newest
        first, each as the history lists it: computed in the database, without the documents."""
        found = cls.objects.filter(topology=topology)
        if before is not None:
            found = found.filter(number__lt=before)
        rows = (
            found.order_by("-number")
            .values("number", "message", "created_at")
            .annotate(
                title=KeyTextTransform("title", "document"),
                nodes=JSONArrayLength(KeyTransform("nodes", "document")),
                edges=JSONArrayLength(KeyTransform("edges", "document")),
            )[:limit]
        )
        return [{"version": row["number"], "title": row["title"] or "", "message": row["message"],
                 "created_at": row["created_at"].isoformat(), "nodes": row["nodes"], "edges": row["edges"]}
                for row in rows]  # fmt: skip
