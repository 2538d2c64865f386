"""The models now belong to the topologies, classes and lessons apps, which took them over with
their tables: here they leave Django's record of this app, and no table is touched."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("playground", "0004_lessons"),
        ("topologies", "0001_initial"),
        ("classes", "0001_initial"),
        ("lessons", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="LiveClass"),
                migrations.DeleteModel(name="Revision"),
                migrations.DeleteModel(name="Lesson"),
                migrations.DeleteModel(name="Topology"),
            ],
            database_operations=[],
        ),
    ]
