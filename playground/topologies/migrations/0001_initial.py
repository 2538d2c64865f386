"""Topology and Revision move here from the playground app: only Django's record of the models
changes; their tables (playground_topology, playground_revision) and rows stay as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("playground", "0004_lessons"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Topology",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("slug", models.SlugField(editable=False, max_length=32, unique=True)),
                        ("title", models.CharField(blank=True, max_length=200)),
                        ("description", models.TextField(blank=True, max_length=2000)),
                        ("document", models.JSONField()),
                        ("version", models.PositiveIntegerField(default=1)),
                        ("published", models.BooleanField(default=False)),
                        ("edit_token_hash", models.CharField(editable=False, max_length=64)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "forked_from",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="forks",
                                to="topologies.topology",
                            ),
                        ),
                    ],
                    options={"db_table": "playground_topology"},
                ),
                migrations.CreateModel(
                    name="Revision",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("number", models.PositiveIntegerField()),
                        ("document", models.JSONField()),
                        ("message", models.CharField(blank=True, max_length=200)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "topology",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="revisions",
                                to="topologies.topology",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "playground_revision",
                        "ordering": ["-number"],
                        "constraints": [
                            models.UniqueConstraint(fields=("topology", "number"), name="one_revision_per_version")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
