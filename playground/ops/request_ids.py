"""Request ids for HTTP requests and WebSocket connections, carried into every log line.

A load balancer's X-Request-ID is kept (nginx sets it in docs/deploy.md); otherwise one is made.
"""

import contextvars
import logging
import re
import time
import uuid

from asgiref.sync import iscoroutinefunction, markcoroutinefunction

from playground.ops.metrics import HTTP_LATENCY

REQUEST_ID = contextvars.ContextVar("request_id", default="-")
# Ids from outside are trusted only in a plain shape, so nothing odd reaches the logs.
VALID_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def new_request_id(given: str | None = None) -> str:
    return given if given and VALID_ID.match(given) else uuid.uuid4().hex


def connection_id(scope: dict) -> str:
    """The id of a WebSocket connection: its handshake's X-Request-ID, or a new one."""
    headers = dict(scope.get("headers", []))
    return new_request_id(headers.get(b"x-request-id", b"").decode("latin-1"))


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record, so formatters may print it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        return True


def route_of(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.url_name or match.route if match else "unmatched"


class RequestIdMiddleware:
    """Names each request, answers its id in X-Request-ID and times it for /metrics."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def __call__(self, request):
        if iscoroutinefunction(self):
            return self.__acall__(request)
        started, token = self.begin(request)
        try:
            return self.end(request, self.get_response(request), started)
        finally:
            REQUEST_ID.reset(token)

    async def __acall__(self, request):
        started, token = self.begin(request)
        try:
            return self.end(request, await self.get_response(request), started)
        finally:
            REQUEST_ID.reset(token)

    def begin(self, request) -> tuple[float, contextvars.Token]:
        request.request_id = new_request_id(request.headers.get("X-Request-ID"))
        return time.perf_counter(), REQUEST_ID.set(request.request_id)

    def end(self, request, response, started: float):
        HTTP_LATENCY.labels(route_of(request), str(response.status_code)).observe(time.perf_counter() - started)
        response["X-Request-ID"] = request.request_id
        return response
