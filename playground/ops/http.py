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


def strict_json(text: str | bytes):
    """JSON as the standard has it: Python's parser would also take NaN and Infinity, which no
    database can store as JSON and no browser can read back."""
    return json.loads(text, parse_constant=refuse_constant)


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
