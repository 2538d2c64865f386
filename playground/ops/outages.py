"""When the database or Redis (rate limits, the channel layer) does not answer: a clear 503
instead of a 500, a WebSocket told why and closed with "try again later", and the server goes on.

Pages keep unsaved work in the browser, so a person loses nothing by waiting; the answer says so.
"""

import json
import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
# Redis answers the rate limits (Django's cache) and carries the channel layer when REDIS_URL is set.
REDIS_ERRORS = (RedisError,)
OUTAGE_ERRORS = DATABASE_ERRORS + REDIS_ERRORS
RETRY_AFTER_S = 30


def service(exception: Exception | None) -> str:
    return "redis" if isinstance(exception, REDIS_ERRORS) else "database"


def unavailable_message(exception: Exception | None = None) -> str:
    if isinstance(exception, REDIS_ERRORS):
        return _(
            "The server's shared store (Redis) is not answering right now, so nothing was saved. Your "
            "unsaved work stays in your browser. Try again in a minute."
        )
    return _(
        "The database is not answering right now, so nothing was read or saved. Your unsaved work "
        "stays in your browser. Try again in a minute."
    )


class DatabaseUnavailableMiddleware:
    """Turns a database or Redis outage during a view into 503 with Retry-After: JSON for the API,
    a page else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OUTAGE_ERRORS):
            return None
        log.error("%s unavailable: %s", service(exception), exception)
        message = unavailable_message(exception)
        if request.path.startswith("/api/"):
            response = JsonResponse({"error": message, "problems": []}, status=503)
        else:
            response = HttpResponse(
                f"<!doctype html><meta charset='utf-8'><title>503</title><p>{message}</p>",
                status=503,
            )
        response["Retry-After"] = str(RETRY_AFTER_S)
        return response


# "Try again later", in the application's range (daphne allows 1000 and 3000-4999 only): the
# page's socket reconnects by itself, with backoff, as it does for every code but 4000 and 4404.
TRY_AGAIN_LATER = 4503


async def close_for_outage(consumer, exception: Exception | None = None) -> None:
    """Tell a WebSocket why it closes during an outage; its page reconnects once the service is back."""
    log.error("%s unavailable for a WebSocket connection", service(exception))
    message = unavailable_message(exception)
    await consumer.send(text_data=json.dumps({"type": "error", "message": message, "problems": []}))
    await consumer.close(code=TRY_AGAIN_LATER)
