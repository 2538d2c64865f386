"""The engine's catalog in the reader's language.

The engine writes its catalog in English and knows nothing of Django. Its words for people (kind
labels and meanings, prop and param meanings, action labels) are translated here with gettext from
django.po, so the page and `GET /api/catalog/` get them in the request's language. Each prop gets
`name_label`, its name for people ("읽기 비율 (read_ratio)"); a prop with choices also gets
`choice_labels`, each choice's name for people (context "choice" in django.po):
the document keeps the choice itself ("round_robin"), the page shows its label ("라운드 로빈
(round_robin)"). Every string the engine adds, choices included, must get its Korean in django.po:
tests/playground/test_engine_translations.py fails otherwise.
"""

from functools import lru_cache

from django.utils.translation import get_language, gettext, override, pgettext

import engine

# The fields of the catalog that people read; every other field is a name, a number or a type.
TRANSLATED_FIELDS = ("label", "meaning")
# Where the catalog lists props by name (a kind's props, an action's params, the traffic): each
# gets `name_label`, its name for people (context "prop" in django.po), beside the name itself.
PROP_GROUPS = ("props", "params", "traffic")


def choice_label(choice: str) -> str:
    """A choice's name in the active language: "round_robin" reads "round robin" in English."""
    return pgettext("choice", choice.replace("_", " "))


def prop_label(name: str) -> str:
    """A prop's name in the active language: "read_ratio" reads "read ratio" in English."""
    return pgettext("prop", name.replace("_", " "))


def catalog_strings(catalog: dict | list) -> list[str]:
    """Every text of the catalog that people read, wherever it is nested, in order."""
    found: list[str] = []
    items = catalog.items() if isinstance(catalog, dict) else enumerate(catalog)
    for key, value in items:
        if (key in TRANSLATED_FIELDS and isinstance(value, str)) or key == "name_label":
            found.append(value)
        elif key == "choice_labels":
            found.extend(value.values())
        elif isinstance(value, dict | list):
            found.extend(catalog_strings(value))
    return found


def translate(catalog: dict | list) -> dict | list:
    """A copy of the catalog with its texts translated into the active language."""
    items = catalog.items() if isinstance(catalog, dict) else enumerate(catalog)
    out = {} if isinstance(catalog, dict) else [None] * len(catalog)
    for key, value in items:
        if key in TRANSLATED_FIELDS and isinstance(value, str):
            out[key] = gettext(value)
        elif key in PROP_GROUPS and isinstance(value, dict):
            out[key] = {name: {**translate(spec), "name_label": prop_label(name)} for name, spec in value.items()}
        elif isinstance(value, dict | list):
            out[key] = translate(value)
        else:
            out[key] = value
    if isinstance(catalog, dict) and catalog.get("choices"):
        out["choice_labels"] = {choice: choice_label(choice) for choice in catalog["choices"]}
    return out


@lru_cache(maxsize=8)
def catalog_in(language: str) -> dict:
    with override(language):
        return translate(engine.catalog_json())


def translated_catalog() -> dict:
    """The catalog in the request's language (shared between requests: do not change it)."""
    return catalog_in(get_language() or "en")
