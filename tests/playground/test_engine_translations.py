"""The engine speaks English; the pages speak the reader's language. Its catalog is translated on
the Django side (django.po) and its event sentences in each page (djangojs.po), so a catalog
entry or an event sentence added in English only would reach Korean students untranslated."""

import ast
import gettext
from pathlib import Path

import pytest
from django.utils.translation import override

from engine import messages
from playground.classes import messages as playground_messages
from playground.front.catalog import catalog_in, catalog_strings, translated_catalog

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "locale" / "ko" / "LC_MESSAGES"
# Names that read the same in Korean.
SAME_IN_KOREAN = {"DNS", "CDN"}


def javascript_catalog() -> gettext.GNUTranslations:
    path = LOCALE / "djangojs.mo"
    if not path.exists():
        pytest.fail(f"{path} is missing: `make setup` compiles it from the .po file.")
    with path.open("rb") as handle:
        return gettext.GNUTranslations(handle)


def choice_props(english: dict, korean: dict, path: str = ""):
    """(path, English spec, Korean spec) of every prop or param with choices, wherever it is nested."""
    if "choices" in english:
        yield path, english, korean
    for key, value in english.items():
        if isinstance(value, dict):
            yield from choice_props(value, korean[key], f"{path}/{key}")


class TestCatalog:
    def test_every_text_of_the_catalog_has_its_korean(self):
        english, korean = catalog_strings(catalog_in("en")), catalog_strings(catalog_in("ko"))
        assert len(english) == len(korean) > 50
        untranslated = sorted({en for en, ko in zip(english, korean) if en == ko and en not in SAME_IN_KOREAN})
        assert untranslated == [], "add these to locale/ko/LC_MESSAGES/django.po"

    def test_names_and_numbers_stay_as_the_engine_wrote_them(self):
        english, korean = catalog_in("en"), catalog_in("ko")
        workers = korean["kinds"]["web_server"]["props"]["workers"]
        people = ("meaning", "name_label")
        assert {k: v for k, v in workers.items() if k not in people} == {
            k: v for k, v in english["kinds"]["web_server"]["props"]["workers"].items() if k not in people
        }
        assert korean["kinds"].keys() == english["kinds"].keys()
        assert korean["kinds"]["load_balancer"]["props"]["algorithm"]["choices"][0] == "round_robin"

    def test_every_choice_has_a_korean_label_and_keeps_its_value(self):
        """A choice ("round_robin") is what the document stores; its label is what the page shows."""
        english, korean = catalog_in("en"), catalog_in("ko")
        specs = list(choice_props(english, korean))
        assert len(specs) > 20
        missing = []
        for path, en, ko in specs:
            assert ko["choices"] == en["choices"] and list(ko["choice_labels"]) == en["choices"], path
            missing += [f"{path}: {choice}" for choice in en["choices"]
                        if ko["choice_labels"][choice] == en["choice_labels"][choice]]  # fmt: skip
        assert missing == [], 'add these to locale/ko/LC_MESSAGES/django.po with msgctxt "choice"'
        algorithm = korean["kinds"]["load_balancer"]["props"]["algorithm"]["choice_labels"]
        assert algorithm["round_robin"] == "라운드 로빈 (round_robin)"
        assert english["kinds"]["load_balancer"]["props"]["algorithm"]["choice_labels"]["round_robin"] == "round robin"
        assert korean["actions"]["scale"]["params"]["size"]["choice_labels"]["small"] == "소형 (small)"

    def test_the_request_language_picks_the_catalog(self):
        with override("ko"):
            assert translated_catalog()["kinds"]["load_balancer"]["label"] == "로드밸런서"
            assert translated_catalog()["actions"]["kill"]["label"] == "강제 종료"
        with override("en"):
            assert translated_catalog()["kinds"]["load_balancer"]["label"] == "Load balancer"

    def test_the_api_serves_it_in_the_asked_language(self, client):
        korean = client.get("/api/catalog/", HTTP_ACCEPT_LANGUAGE="ko").json()
        english = client.get("/api/catalog/", HTTP_ACCEPT_LANGUAGE="en").json()
        assert korean["kinds"]["cache"]["label"] == "캐시"
        assert english["kinds"]["cache"]["label"] == "Cache"
        assert korean["traffic"]["rps"]["meaning"].startswith("사용자가")


class TestEventSentences:
    templates = sorted(messages.TEMPLATES | playground_messages.TEMPLATES)

    def test_there_are_templates(self):
        assert len(self.templates) > 15

    @pytest.mark.parametrize("template", templates)
    def test_each_has_its_korean_with_the_same_placeholders(self, template):
        korean = javascript_catalog().gettext(template)
        assert korean != template, "add it to locale/ko/LC_MESSAGES/djangojs.po"
        assert messages.placeholders(korean) == messages.placeholders(template)

    @pytest.mark.parametrize("template", templates)
    def test_each_uses_only_placeholders_the_browser_fills(self, template):
        stripped = messages.PLACEHOLDER.sub("", template)
        assert "{" not in stripped and "}" not in stripped

    def test_every_announcement_of_the_engine_uses_a_registered_template(self):
        """simulation.announce(kind, target, messages.NAME, **params): never an f-string."""
        calls = []
        for path in sorted((ROOT / "engine").rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "announce" and node.args:
                    calls.append((path.name, node.lineno, node.args[2] if len(node.args) > 2 else None))
        assert len(calls) >= 8
        wrong = [
            f"{name}:{line}"
            for name, line, template in calls
            if not (
                isinstance(template, ast.Attribute)
                and isinstance(template.value, ast.Name)
                and template.value.id == "messages"
                and getattr(messages, template.attr, None) in messages.TEMPLATES
            )
            and not isinstance(template, ast.Name)  # a template chosen above the call, itself checked here
        ]
        assert wrong == []

    def test_the_english_sentence_is_the_template_filled_in(self):
        event_template = messages.SPIKE
        assert messages.render(event_template, {"factor": 5.0, "rps": 1000.0, "seconds": 30.0}) == (
            "Traffic spikes to 5x (1,000 rps) for 30 s."
        )

    @pytest.mark.parametrize("template", sorted(messages.CHOICE_PARAMS))
    def test_choice_params_are_placeholders_of_a_registered_template(self, template):
        names = {placeholder.split(":")[0] for placeholder in messages.placeholders(template)}
        assert template in messages.TEMPLATES and set(messages.CHOICE_PARAMS[template]) <= names

    def test_a_korean_resize_names_the_sizes_by_their_korean_labels(self):
        """What the page does (eventText in static/js/i18n.js): the Korean template, filled in with
        the catalog's labels for the params the event names as choices."""
        labels = catalog_in("ko")["actions"]["scale"]["params"]["size"]["choice_labels"]
        params = {"target": "web1", "before": "small", "size": "large", "speedup": 3.6, "cost": 4.0, "monthly": 80.0}
        for name in messages.CHOICE_PARAMS[messages.RESIZED]:
            params[name] = labels[params[name]]
        assert javascript_catalog().gettext(messages.RESIZED).format(**params) == (
            "web1 장비 변경: 소형 (small)에서 대형 (large) 장비로 바꿔 "
            "속도는 3.6배, 비용은 4배가 되었습니다(한 달 $80)."
        )


def test_every_prop_is_named_in_korean_beside_its_name():
    english, korean = catalog_in("en"), catalog_in("ko")
    read_ratio = korean["traffic"]["read_ratio"]
    assert read_ratio["name_label"] == "읽기 비율 (read_ratio)"
    assert english["traffic"]["read_ratio"]["name_label"] == "read ratio"
    assert korean["actions"]["scale"]["params"]["size"]["name_label"] == "장비 크기 (size)"
    for kind in korean["kinds"].values():
        for name, spec in kind["props"].items():
            assert spec["name_label"].endswith(f"({name})"), spec["name_label"]
