"""LiveClass moves here from the playground app: only Django's record of the model changes; its
table (playground_liveclass) and rows stay as they are."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("playground", "0004_lessons"),
        ("topologies", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="LiveClass",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("code", models.CharField(editable=False, max_length=12, unique=True)),
                        ("document", models.JSONField()),
                        ("teacher_token_hash", models.CharField(editable=False, max_length=64)),
                        ("narration", models.TextField(blank=True, max_length=2000)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("ended_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "topology",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                to="topologies.topology",
                            ),
                        ),
                    ],
                    options={"db_table": "playground_liveclass"},
                ),
            ],
            database_operations=[],
        ),
    ]
