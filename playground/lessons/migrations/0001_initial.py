"""Lesson moves here from the playground app: only Django's record of the model changes; its
table (playground_lesson) and rows stay as they are."""

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
                    name="Lesson",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("slug", models.SlugField(max_length=64, unique=True)),
                        ("number", models.PositiveIntegerField(unique=True)),
                        ("data", models.JSONField()),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                    ],
                    options={"db_table": "playground_lesson", "ordering": ["number"]},
                ),
            ],
            database_operations=[],
        ),
    ]
