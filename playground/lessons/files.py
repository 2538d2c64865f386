"""Guided lessons: the files in lessons/, their shape, and how the site lists them.

A lesson file (lessons/NN-slug.json) holds a preset topology with its scenario, narration steps
in English and Korean, "try this" changes, and claims: statements about the engine's numbers
that the narration makes and tests/lessons checks by running the preset (playground/lessons/claims.py).
Every text is an object {"en": ..., "ko": ...}.
"""

import json
import re
from pathlib import Path

import engine

LESSONS_DIR = Path(__file__).resolve().parents[2] / "lessons"
LANGUAGES = ("en", "ko")
FILE_NAME = re.compile(r"^(\d\d)-([a-z0-9-]+)\.json$")
OPS = ("<", "<=", ">", ">=", "==")
STATUSES = ("complete", "partial")


class LessonError(ValueError):
    """A lesson file that does not have the shape below; .problems lists what is wrong."""

    def __init__(self, name: str, problems: list[str]):
        super().__init__(f"{name}: " + " ".join(problems))
        self.problems = problems


def text_problems(value, path: str) -> list[str]:
    if not isinstance(value, dict):
        return [f"{path} must be an object with the English and Korean text."]
    return [f"{path}.{lang} must be non-empty text." for lang in LANGUAGES
            if not isinstance(value.get(lang), str) or not value[lang].strip()]  # fmt: skip


def claim_problems(claim, path: str) -> list[str]:
    if not isinstance(claim, dict):
        return [f"{path} must be an object."]
    problems = []
    if not isinstance(claim.get("id"), str):
        problems.append(f"{path}.id must be text.")
    start, end = claim.get("from"), claim.get("to")
    if not isinstance(start, (int, float)) or not isinstance(end, (int, float)) or not 0 <= start < end:
        problems.append(f"{path} needs a window: from (>= 0) before to, in simulated seconds.")
    if not isinstance(claim.get("metric"), str):
        problems.append(f"{path}.metric must be a path into the report, such as data.lost_writes.")
    if claim.get("op") not in OPS:
        problems.append(f"{path}.op must be one of {', '.join(OPS)}.")
    than = claim.get("than")
    if than is None and not isinstance(claim.get("value"), (int, float)):
        problems.append(f"{path} needs a number to compare with (value) or another measurement (than).")
    if than is not None and not (isinstance(than, dict) and isinstance(than.get("metric", claim.get("metric")), str)):
        problems.append(f"{path}.than must be an object with a metric and optionally a variant and times.")
    return problems


def alert_problems(alerts) -> list[str]:
    """Alerts are rules lesson mode checks on every frame, e.g. totals.error_rate > 0.01 for 1 s."""
    if not isinstance(alerts, list):
        return ["alerts must be a list."]
    problems = []
    for index, alert in enumerate(alerts):
        path = f"alerts[{index}]"
        if not isinstance(alert, dict):
            problems.append(f"{path} must be an object.")
            continue
        if not isinstance(alert.get("metric"), str) or not alert["metric"].startswith(("totals.", "nodes.")):
            problems.append(f"{path}.metric must be a path into a frame, such as totals.error_rate.")
        if alert.get("op") not in OPS or not isinstance(alert.get("value"), (int, float)):
            problems.append(f"{path} needs an op ({', '.join(OPS)}) and a number value.")
        if not isinstance(alert.get("for_s", 0), (int, float)) or alert.get("for_s", 0) < 0:
            problems.append(f"{path}.for_s must be seconds the condition holds before the alert fires.")
        problems += text_problems(alert.get("label"), f"{path}.label")
    return problems


def listed(lesson: dict, name: str, problems: list[str]) -> list:
    """The lesson's optional list `name`; a value that is not a list is a problem and counts as empty."""
    value = lesson.get(name, [])
    if isinstance(value, list):
        return value
    problems.append(f"{name} must be a list.")
    return []


def unknown_claims(part: dict, path: str, ids: list) -> list[str]:
    return [f"{path}.claims names {name!r}, which is not a claim of this lesson."
            for name in part.get("claims", []) if name not in ids]  # fmt: skip


def heading_problems(lesson: dict) -> list[str]:
    """What is wrong with the lesson's number, status, texts, duration and preset."""
    problems = []
    if not isinstance(lesson.get("number"), int) or not 1 <= lesson["number"] <= 99:
        problems.append("number must be a whole number from 1 to 99.")
    if lesson.get("status") not in STATUSES:
        problems.append(f"status must be one of {', '.join(STATUSES)}.")
    for name in ("title", "summary"):
        problems += text_problems(lesson.get(name), name)
    if "missing" in lesson:
        problems += text_problems(lesson["missing"], "missing")
    if not isinstance(lesson.get("duration_s"), (int, float)) or not 0 < lesson["duration_s"] <= 3600:
        problems.append("duration_s must be a number of simulated seconds up to 3600.")
    try:
        engine.load(lesson.get("document"))
    except engine.TopologyError as exc:
        problems += [f"document {p['path']}: {p['message']}" for p in exc.problems]
    except (TypeError, AttributeError):
        problems.append("document must be a topology document.")
    return problems


def step_problems(steps: list, ids: list) -> list[str]:
    problems = []
    last = -1.0
    for index, step in enumerate(steps):
        path = f"steps[{index}]"
        if not isinstance(step, dict):
            problems.append(f"{path} must be an object.")
            continue
        at = step.get("at")
        if not isinstance(at, (int, float)) or at < last:
            problems.append(f"{path}.at must be a time in seconds, not before the previous step's.")
        else:
            last = at
        problems += text_problems(step.get("text"), f"{path}.text")
        if "question" in step or "answer" in step:
            problems += text_problems(step.get("question"), f"{path}.question")
            problems += text_problems(step.get("answer"), f"{path}.answer")
        problems += unknown_claims(step, path, ids)
    return problems


def lesson_problems(lesson) -> list[str]:
    """Everything wrong with a lesson's shape; the preset is checked by the engine too."""
    if not isinstance(lesson, dict):
        return ["A lesson is a JSON object."]
    problems = heading_problems(lesson)
    problems += alert_problems(lesson.get("alerts", []))
    claims = listed(lesson, "claims", problems)
    for index, claim in enumerate(claims):
        problems += claim_problems(claim, f"claims[{index}]")
    ids = [claim.get("id") for claim in claims if isinstance(claim, dict)]
    if len(set(ids)) != len(ids):
        problems.append("claim ids must be unique.")
    steps = lesson.get("steps")
    if not isinstance(steps, list) or not steps:
        return problems + ["steps must be a non-empty list."]
    problems += step_problems(steps, ids)
    tries = listed(lesson, "try", problems)
    for index, item in enumerate(tries):
        problems += text_problems(item, f"try[{index}]")
        if isinstance(item, dict):
            problems += unknown_claims(item, f"try[{index}]", ids)
    # A "try this" may carry the claims that back it, so a suggestion is tested like a step.
    narrated = {name for part in steps + tries if isinstance(part, dict) for name in part.get("claims", [])}
    problems += [f"claim {name!r} is not narrated by any step (list it in a step's claims)."
                 for name in ids if name not in narrated]  # fmt: skip
    return problems


def read_lessons(directory: Path = LESSONS_DIR) -> list[dict]:
    """Every lesson file, in number order, with its slug; raises LessonError for a bad one."""
    lessons = []
    for path in sorted(directory.glob("*.json")):
        match = FILE_NAME.match(path.name)
        if not match:
            raise LessonError(path.name, ["A lesson file is named NN-slug.json."])
        try:
            lesson = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise LessonError(path.name, [f"Not valid JSON: {exc}."]) from None
        problems = lesson_problems(lesson)
        if not problems and lesson["number"] != int(match.group(1)):
            problems.append(f"number {lesson['number']} does not match the file name.")
        if problems:
            raise LessonError(path.name, problems)
        lessons.append({**lesson, "slug": f"{match.group(1)}-{match.group(2)}"})
    numbers = [lesson["number"] for lesson in lessons]
    if len(set(numbers)) != len(numbers):
        raise LessonError(directory.name, ["Two lesson files have the same number."])
    return lessons


def summary(lesson: dict) -> dict:
    """What the gallery shows of a lesson."""
    return {key: lesson[key] for key in ("slug", "number", "title", "summary", "status") if key in lesson}
