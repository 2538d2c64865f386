"""Every sentence of the interface has its Korean translation: a string added in English only would
show up untranslated to Korean students, so the catalogs are checked against the sources."""

import gettext
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "locale" / "ko" / "LC_MESSAGES"
# t("...") in the scripts; the first argument is the English source text.
SCRIPT_TEXT = re.compile(r"""\bt\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")
TEMPLATE_TEXT = re.compile(r"""\{%\s*trans\s+(?:"([^"]*)"|'([^']*)')\s*%\}""")
# Texts that read the same in Korean: units, symbols and names.
SAME_IN_KOREAN = {"rps", "p50", "p95", "p99", "JSON", "PNG", "Scale Playground"}


def catalog(domain: str) -> gettext.GNUTranslations:
    path = LOCALE / f"{domain}.mo"
    if not path.exists():
        pytest.fail(f"{path} is missing: `make setup` compiles it from the .po file.")
    with path.open("rb") as handle:
        return gettext.GNUTranslations(handle)


def texts(pattern: re.Pattern, files: list[Path]) -> dict[str, str]:
    """Each source text with the file that uses it first."""
    found: dict[str, str] = {}
    for path in files:
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            text = (match.group(1) or match.group(2) or "").encode().decode("unicode_escape").encode("latin-1").decode()
            found.setdefault(text, path.name)
    return found


def untranslated(found: dict[str, str], translations: gettext.GNUTranslations) -> list[str]:
    return sorted(
        f"{where}: {text!r}"
        for text, where in found.items()
        if text and text not in SAME_IN_KOREAN and translations.gettext(text) == text
    )


class TestKoreanCatalogs:
    def test_it_translates_every_text_of_the_scripts(self):
        found = texts(SCRIPT_TEXT, sorted((ROOT / "static" / "js").rglob("*.js")))
        assert len(found) > 30
        assert untranslated(found, catalog("djangojs")) == []

    def test_it_translates_every_text_of_the_templates(self):
        found = texts(TEMPLATE_TEXT, sorted((ROOT / "templates").glob("*.html")))
        assert len(found) > 50
        assert untranslated(found, catalog("django")) == []


class TestFindingKinds:
    def test_every_finding_kind_of_the_engine_has_a_label_in_both_languages(self):
        """The findings list heads each finding with its kind's name (static/js/findings.js)."""
        analysis = (ROOT / "engine" / "readouts" / "analysis.py").read_text()
        engine_kinds = set(re.findall(r'"([a-z_]+)", node', analysis))
        engine_kinds |= set(re.findall(r'Finding\(\s*"([a-z_]+)"', analysis))
        script = (ROOT / "static" / "js" / "playback" / "findings.js").read_text()
        labels = dict(re.findall(r'^\s+([a-z_]+): "([^"]+)",$', script, re.M))
        assert engine_kinds, "the engine's finding kinds were found"
        assert sorted(engine_kinds - labels.keys()) == []
        korean = catalog("djangojs")
        assert [label for label in labels.values() if korean.gettext(label) == label] == []
