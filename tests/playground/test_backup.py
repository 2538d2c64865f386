"""The documented backup and restore of the project's own data (docs/deploy.md): every topology
with its revisions, forks and live classes comes back, and its edit link still works."""

import json

import pytest
from django.core.management import call_command

from playground.classes.models import LiveClass
from playground.topologies.models import Revision, Topology

pytestmark = pytest.mark.django_db


def save(client, created: dict, document: dict, version: int):
    return client.put(
        f"/api/topologies/{created['slug']}/",
        data=json.dumps({"document": document, "version": version, "message": "second"}),
        content_type="application/json",
        headers={"X-Edit-Token": created["edit_token"]},
    )


class TestBackupAndRestore:
    def test_a_backup_restores_everything_and_the_links_still_work(self, client, document, tmp_path):
        body = json.dumps({"document": document})
        created = client.post("/api/topologies/", data=body, content_type="application/json").json()
        assert save(client, created, {**document, "title": "Renamed"}, 1).status_code == 200
        fork = client.post(f"/api/topologies/{created['slug']}/fork/").json()
        LiveClass.start(document)
        before = {
            "topologies": sorted(Topology.objects.values_list("slug", "title", "version", "forked_from__slug")),
            "revisions": sorted(Revision.objects.values_list("topology__slug", "number", "message")),
            "classes": sorted(LiveClass.objects.values_list("code", flat=True)),
        }

        backup = tmp_path / "playground.json.gz"
        call_command("dumpdata", "topologies", "classes", "lessons", "--output", str(backup), verbosity=0)
        LiveClass.objects.all().delete()
        Topology.objects.all().delete()
        assert not Revision.objects.exists()
        call_command("loaddata", str(backup), verbosity=0)

        after = {
            "topologies": sorted(Topology.objects.values_list("slug", "title", "version", "forked_from__slug")),
            "revisions": sorted(Revision.objects.values_list("topology__slug", "number", "message")),
            "classes": sorted(LiveClass.objects.values_list("code", flat=True)),
        }
        assert after == before
        assert save(client, created, document, 2).status_code == 200  # the secret edit link still works
        assert client.get(f"/api/topologies/{fork['slug']}/").json()["forked_from"] == created["slug"]
        # New rows after a restore do not collide with restored ones (the sequences were reset).
        assert client.post("/api/topologies/", data=body, content_type="application/json").status_code == 201
