"""Rate limits per client address, shared by every process (Django's cache: Redis when REDIS_URL
is set), and the cap on simulations one process runs at once.

Limits are generous, because a whole classroom often shares one address; they stop a script, not
a class. The client address is REMOTE_ADDR, which daphne sets from X-Forwarded-For behind the
load balancer (`--proxy-headers`, docs/deploy.md).
"""

import json
from functools import wraps

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest
from django_ratelimit.core import get_usage

from playground.ops.http import error


def retry_after(group: str, address: str) -> int | None:
    """Count one more action of `group` from `address`; the seconds to wait when over the limit."""
    usage = get_usage(None, group=group, key=lambda *_: address, rate=settings.RATE_LIMITS[group], increment=True)
    if usage is None or not usage["should_limit"]:
        return None
    return max(1, usage["time_left"])


def too_many(seconds: int):
    response = error(f"Too many requests from your address; try again in {seconds} s.", 429)
    response["Retry-After"] = str(seconds)
    return response


def rate_limited(group: str, methods: tuple[str, ...] = ("POST", "PUT")):
    """Refuse a view's writes with 429 and Retry-After past the group's limit."""

    def decorate(view):
        @wraps(view)
        def limited(request: HttpRequest, *args, **kwargs):
            if request.method in methods:
                seconds = retry_after(group, request.META.get("REMOTE_ADDR", ""))
                if seconds is not None:
                    return too_many(seconds)
            return view(request, *args, **kwargs)

        return limited

    return decorate


def socket_address(scope: dict) -> str:
    client = scope.get("client") or ("", 0)
    return client[0]


# Close codes the page understands: it reconnects later, with backoff.
TOO_MANY_SOCKETS = 4429
SERVER_BUSY = 4503


async def refuse(consumer, message: str, code: int) -> None:
    await consumer.send(text_data=json.dumps({"type": "error", "message": message, "problems": []}))
    await consumer.close(code=code)


async def socket_refused(consumer) -> bool:
    """Refuse (and close) a WebSocket opened past its address's limit; whether it was refused."""
    seconds = await sync_to_async(retry_after)("socket", socket_address(consumer.scope))
    if seconds is None:
        return False
    await refuse(consumer, f"Too many connections from your address; the page tries again in {seconds} s.",
                 TOO_MANY_SOCKETS)  # fmt: skip
    return True
