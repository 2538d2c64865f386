"""One way to answer JSON errors and to read JSON bodies."""

import json

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse


class BadRequest(Exception):
    """A request the API refuses; carries the status and the problems to list."""

    def __init__(self, message: str, status: int = 400, problems: list | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.problems = problems or []


def error(message: str, status: int = 400, problems: list | None = None, **extra) -> JsonResponse:
    body = {"error": message, "problems": problems or []}
    body.update(extra)
    return JsonResponse(body, status=status)


def refuse_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


# A topology is about five levels deep (document, nodes, node, props, value); anything much
# deeper is an attack on the recursive code that reads it (validation, gettext, the JSON encoder).
MAX_JSON_DEPTH = 32


def depth_of(value: object) -> int:
    """How deeply lists and objects nest in a parsed JSON value, without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


def strict_json(text: str | bytes):
    """JSON as the standard has it: Python's parser would also take NaN and Infinity, which no
    database can store as JSON and no browser can read back; and nested at most MAX_JSON_DEPTH."""
    try:
        value = json.loads(text, parse_constant=refuse_constant)
    except RecursionError:
        raise ValueError(f"it is nested more than {MAX_JSON_DEPTH} levels deep") from None
    if depth_of(value) > MAX_JSON_DEPTH:
        raise ValueError(f"it is nested more than {MAX_JSON_DEPTH} levels deep")
    return value


def read_json(request: HttpRequest) -> dict:
    if request.content_type != "application/json":
        raise BadRequest("Send the body as JSON with Content-Type: application/json.", 415)
    try:
        raw = request.body
    except RequestDataTooBig:
        raise BadRequest("The body is too large for a topology.", 413) from None
    try:
        body = strict_json(raw or b"null")
    except (UnicodeDecodeError, json.JSONDecodeError, ValueError) as exc:
        raise BadRequest(f"The body is not valid JSON: {exc}.") from None
    if not isinstance(body, dict):
        raise BadRequest('The body must be a JSON object such as {"document": {...}}.')
    return body
