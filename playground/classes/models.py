"""Live classes: a teacher's simulation that a class watches."""

from django.db import models

from playground.topologies.models import MAX_DESCRIPTION, Topology
from playground.topologies.tokens import hash_token, new_edit_token, new_join_code, token_matches


class LiveClass(models.Model):
    """One simulation a teacher runs and a class watches; joined by a short code."""

    code = models.CharField(max_length=12, unique=True, editable=False)
    topology = models.ForeignKey(Topology, null=True, blank=True, on_delete=models.SET_NULL)
    document = models.JSONField()
    teacher_token_hash = models.CharField(max_length=64, editable=False)
    narration = models.TextField(blank=True, max_length=MAX_DESCRIPTION)
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "playground_liveclass"

    def __str__(self) -> str:
        return f"Live class {self.code}"

    @classmethod
    def start(cls, document: dict, topology: Topology | None = None) -> tuple["LiveClass", str]:
        token = new_edit_token()
        for _ in range(20):
            code = new_join_code()
            if not cls.objects.filter(code=code).exists():
                break
        live = cls.objects.create(code=code, topology=topology, document=document,
                                  teacher_token_hash=hash_token(token))  # fmt: skip
        return live, token

    def accepts_teacher(self, token: str) -> bool:
        return bool(token) and token_matches(token, self.teacher_token_hash)
