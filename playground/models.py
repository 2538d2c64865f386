"""A saved topology: its document, a version counter and a hashed edit token."""

from django.db import models

from playground.tokens import hash_token, new_edit_token, new_slug, token_matches


class Topology(models.Model):
    slug = models.SlugField(max_length=32, unique=True, editable=False)
    title = models.CharField(max_length=200, blank=True)
    document = models.JSONField()
    version = models.PositiveIntegerField(default=1)
    edit_token_hash = models.CharField(max_length=64, editable=False)
    forked_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="forks")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.title or 'Untitled'} ({self.slug})"

    @classmethod
    def create(cls, document: dict, forked_from: "Topology | None" = None) -> tuple["Topology", str]:
        """Save a new topology and return it with its edit token, which is never stored."""
        token = new_edit_token()
        topology = cls.objects.create(
            slug=new_slug(),
            title=str(document.get("title", "")),
            document=document,
            edit_token_hash=hash_token(token),
            forked_from=forked_from,
        )
        return topology, token

    def accepts_token(self, token: str) -> bool:
        return bool(token) and token_matches(token, self.edit_token_hash)
