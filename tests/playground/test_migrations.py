"""A database migrated by the code from before the split into apps migrates forward with every row
kept: the models moved to the topologies, classes and lessons apps with their tables."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from playground.classes.models import LiveClass
from playground.lessons.models import Lesson
from playground.topologies.models import Revision, Topology

# The leaf migrations of the old code, when every model lived in the playground app.
OLD_LEAVES = [("playground", "0004_lessons")]
MOVED_APPS = ("topologies", "classes", "lessons")

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(targets: list[tuple[str, str | None]]) -> None:
    MigrationExecutor(connection).migrate(targets)


def old_models():
    """The models as the old code's migrations left them."""
    return MigrationExecutor(connection).loader.project_state(OLD_LEAVES).apps


def new_leaves() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


class TestModelsMovedToApps:
    def test_rows_saved_by_the_old_schema_are_read_by_the_new_models(self):
        leaves = new_leaves()
        try:
            # Unapplying the new apps' migrations takes the database back to the old code's leaves.
            migrate(OLD_LEAVES + [(app, None) for app in MOVED_APPS])
            applied = MigrationRecorder(connection).applied_migrations()
            assert ("playground", "0004_lessons") in applied
            assert not [
                key for key in applied if key[0] in MOVED_APPS or key == ("playground", "0005_models_moved_to_apps")
            ]
            old = old_models()
            OldTopology = old.get_model("playground", "Topology")
            original = OldTopology.objects.create(slug="orig1", title="Original", document={"v": 1},
                                                  edit_token_hash="a" * 64, version=2, published=True)  # fmt: skip
            forked = OldTopology.objects.create(slug="fork1", document={"v": 2}, edit_token_hash="b" * 64,
                                                forked_from=original)  # fmt: skip
            revisions = old.get_model("playground", "Revision").objects
            revisions.create(topology=original, number=1, document={"v": 0}, message="Created")
            revisions.create(topology=original, number=2, document={"v": 1}, message="second")
            old.get_model("playground", "LiveClass").objects.create(
                code="ACD346", topology=original, document={"v": 1}, teacher_token_hash="c" * 64, narration="Hi"
            )
            old.get_model("playground", "Lesson").objects.create(slug="01-first", number=1, data={"title": "x"})

            migrate(leaves)

            topology = Topology.objects.get(slug="orig1")
            assert (topology.title, topology.version, topology.published, topology.document) == (
                "Original", 2, True, {"v": 1})  # fmt: skip
            assert Topology.objects.get(pk=forked.pk).forked_from == topology
            assert [(r.number, r.message) for r in topology.revisions.all()] == [(2, "second"), (1, "Created")]
            assert list(Revision.objects.values_list("topology__slug", flat=True)) == ["orig1", "orig1"]
            live_class = LiveClass.objects.get(code="ACD346")
            assert (live_class.topology, live_class.narration) == (topology, "Hi")
            assert Lesson.objects.get(slug="01-first").data == {"title": "x"}
            # New rows go on from the old ones: the tables and their sequences are the same.
            created, _ = Topology.create({"title": "After"})
            assert created.pk > forked.pk
            assert created.revisions.get().number == 1
        finally:
            migrate(leaves)
