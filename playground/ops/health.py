"""/healthz: whether this process can serve, for the load balancer in front of the processes."""

import asyncio

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import connection
from django.http import HttpRequest, JsonResponse

from playground.ops.warmup import WARMUP

# A dependency that answers slower than this counts as down.
CHECK_TIMEOUT_S = 2.0


def database_answers() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


async def channel_layer_answers() -> None:
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.send(channel, {"type": "health.ping"})
    await layer.receive(channel)


async def check(name: str, probe) -> tuple[str, str]:
    try:
        await asyncio.wait_for(probe(), CHECK_TIMEOUT_S)
        return name, "ok"
    except Exception as exc:  # any failure means "not ready", with its reason
        return name, f"failing: {type(exc).__name__}: {exc}"[:200]


async def healthz(request: HttpRequest) -> JsonResponse:
    results = dict(
        await asyncio.gather(
            check("database", sync_to_async(database_answers)),
            check("channel_layer", channel_layer_answers),
        )
    )
    healthy = all(result == "ok" for result in results.values())
    # A process still compiling the engine serves pages and takes simulations (they start once it
    # is warm), so it stays in rotation; the field tells an operator why its first Play is slow.
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": results, "engine": WARMUP.status()},
        status=200 if healthy else 503,
    )
