"""The lesson files: their shape, both languages, and their trip into the database and the API."""

import json
import re

import pytest
from django.core.management import call_command

from playground.lessons.files import LessonError, lesson_problems, read_lessons
from playground.lessons.models import Lesson

LESSONS = read_lessons()


def test_the_fifteen_lessons_are_numbered_in_order():
    assert [lesson["number"] for lesson in LESSONS] == list(range(1, 16))


def test_a_lesson_without_korean_or_with_an_unnarrated_claim_is_refused():
    lesson = json.loads(json.dumps(LESSONS[0]))
    lesson["steps"][0]["text"].pop("ko")
    lesson["claims"].append({"id": "orphan", "from": 0, "to": 1, "metric": "errors", "op": "==", "value": 0})
    problems = lesson_problems(lesson)
    assert "steps[0].text.ko must be non-empty text." in problems
    assert any("'orphan' is not narrated" in problem for problem in problems)


@pytest.mark.parametrize("bounds", [[0.6, 0.4], [0.5], "half", [0.4, "0.6"]])
def test_a_range_claim_needs_a_low_and_a_high_bound(bounds):
    lesson = json.loads(json.dumps(LESSONS[0]))
    claim = next(claim for claim in lesson["claims"] if claim["op"] == "between")
    claim["value"] = bounds
    assert any("between needs value [low, high]" in problem for problem in lesson_problems(lesson))


def test_a_labelled_node_without_its_korean_label_is_refused():
    lesson = json.loads(json.dumps(next(lesson for lesson in LESSONS if lesson["slug"] == "06-replication")))
    del lesson["labels"]["ko"]["replica2"]
    lesson["labels"]["ko"]["nobody"] = "아무도"
    problems = lesson_problems(lesson)
    assert "labels.ko has no label for node 'replica2'." in problems
    assert "labels.ko names 'nobody', which is not a node of the preset." in problems


def test_a_badly_named_file_is_refused(tmp_path):
    (tmp_path / "lesson.json").write_text("{}")
    with pytest.raises(LessonError):
        read_lessons(tmp_path)


@pytest.mark.django_db
class TestLoading:
    def test_loading_twice_gives_the_same_table(self):
        call_command("load_lessons", verbosity=0)
        first = list(Lesson.objects.values_list("slug", "number", "updated_at"))
        call_command("load_lessons", verbosity=0)
        assert list(Lesson.objects.values_list("slug", "number", "updated_at")) == first
        assert [slug for slug, _, _ in first] == [lesson["slug"] for lesson in LESSONS]

    def test_a_lesson_no_longer_in_the_files_is_removed(self):
        Lesson.objects.create(slug="99-gone", number=99, data={})
        call_command("load_lessons", verbosity=0)
        assert not Lesson.objects.filter(slug="99-gone").exists()

    def test_the_api_lists_the_lessons_and_serves_each(self, client):
        call_command("load_lessons", verbosity=0)
        listed = client.get("/api/lessons/").json()["lessons"]
        assert [item["slug"] for item in listed] == [lesson["slug"] for lesson in LESSONS]
        first = listed[0]
        assert first["title"]["ko"] and first["url"] == f"/lessons/{first['slug']}/"
        full = client.get(f"/api/lessons/{first['slug']}/").json()
        assert full["steps"] and full["document"]["nodes"]
        assert client.get("/api/lessons/nope/").status_code == 404

    def test_the_lesson_page_shows_the_preset_in_the_page_language(self, client):
        call_command("load_lessons", verbosity=0)
        lesson = LESSONS[0]
        page = client.get(f"/lessons/{lesson['slug']}/", HTTP_ACCEPT_LANGUAGE="ko")
        assert page.status_code == 200
        html = page.content.decode()
        assert 'data-page="lesson"' in html and lesson["title"]["ko"] in html
        assert client.get("/lessons/nope/").status_code == 404

    def test_the_preset_on_a_korean_page_has_korean_labels(self, client):
        """The canvas and "Open as a topology" both use the preset as the page's language has it."""
        call_command("load_lessons", verbosity=0)

        def labels(language: str) -> dict:
            page = client.get("/lessons/06-replication/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
            for script in ("topology-document", "lesson-data"):
                found = re.search(rf'<script id="{script}" type="application/json">(.*?)</script>', page, re.S)
                data = json.loads(found.group(1))
                yield {node["id"]: node.get("label") for node in data.get("document", data)["nodes"]}

        for shown in labels("ko"):
            assert shown["replica2"] == "부 DB 2" and shown["users"] == "사용자"
        for shown in labels("en"):
            assert shown["replica2"] == "Replica 2"
