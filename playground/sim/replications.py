"""Run 20 seeds: the same design simulated on 20 seeds, each figure as a mean with its 95%
confidence interval (engine.replicate, the CLI's --replications), so that a student can tell a
real difference between two designs from the luck of one run.

The runs take seconds of one core, so they run in a thread (the engine's kernels release the
GIL), one at a time per process, within a budget of simulated requests; a page that asks while
another run is going is told to try again.
"""

import asyncio
import threading

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest, JsonResponse

import engine
from playground.ops.http import BadRequest, error, read_json
from playground.ops.limits import retry_after, too_many
from playground.sim.simulation import LEDGER, MemoryFull

REPLICATIONS = 20
DURATION_S = 60.0
WARMUP_S = 10.0
# The figures the page shows, as dotted paths into the summary.
FIGURES = ("throughput_rps", "error_rate", "latency_ms.p50", "latency_ms.p95", "latency_ms.p99",
           "data.lost_writes", "data.stale_reads")  # fmt: skip

# One run of 20 seeds at a time in this process: a second would halve both.
RUNNING = threading.Lock()


def figure(summary: dict, path: str) -> dict | None:
    value = summary
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def loaded(request: HttpRequest) -> engine.Topology:
    body = read_json(request)
    document = body.get("document")
    if not isinstance(document, dict):
        raise BadRequest('The body needs a "document" object holding the topology.')
    try:
        topology = engine.load(document)
    except engine.TopologyError as exc:
        raise BadRequest("The topology has problems; it was not run.", problems=exc.problems) from None
    return topology


def within_budget(topology: engine.Topology) -> None:
    """BadRequest (422) when twenty runs of its traffic would simulate more requests than allowed.
    The users' peak rate is the simulation's own (pattern and spikes included)."""
    requests = engine.Simulation(topology).arrival_ceiling() * (DURATION_S + WARMUP_S) * REPLICATIONS
    if requests > settings.SIM_REPLICATION_REQUESTS:
        raise BadRequest(
            f"Twenty runs of this traffic would simulate {requests:,.0f} requests, more than the "
            f"{settings.SIM_REPLICATION_REQUESTS:,} this server runs at once: lower the rps to compare seeds.",
            status=422,
        )


def summarized(topology: engine.Topology) -> dict:
    summary = engine.replicate(topology, DURATION_S, REPLICATIONS, seed=0, warmup_s=WARMUP_S)
    return {
        "replications": REPLICATIONS, "seeds": summary["seeds"], "duration_s": DURATION_S, "warmup_s": WARMUP_S,
        "figures": {path: figure(summary, path) for path in FIGURES},
    }  # fmt: skip


async def replications(request: HttpRequest) -> JsonResponse:
    if request.method != "POST":
        return error("Send the topology with POST.", 405)
    wait = await sync_to_async(retry_after)("replicate", request.META.get("REMOTE_ADDR", ""))
    if wait is not None:
        return too_many(wait)
    try:
        topology = await sync_to_async(loaded)(request)
    except BadRequest as exc:
        return error(exc.message, exc.status, exc.problems)
    if not RUNNING.acquire(blocking=False):
        return error("Another run of 20 seeds is going on this server; try again in half a minute.", 503)
    # The runs hold engine memory like any simulation: through the process's ledger, with the
    # address's share, so a huge topology posted here is refused as a socket's load would be.
    owner = id(topology)
    try:
        LEDGER.hold(owner, topology.memory_bytes, settings.SIM_MEMORY_MB << 20, request.META.get("REMOTE_ADDR"),
                    settings.SIM_MEMORY_PER_ADDRESS_MB << 20)  # fmt: skip
        await asyncio.to_thread(within_budget, topology)
        return JsonResponse(await asyncio.to_thread(summarized, topology))
    except MemoryFull as exc:
        return error(exc.message, 503)
    except BadRequest as exc:
        return error(exc.message, exc.status, exc.problems)
    finally:
        LEDGER.release(owner)
        RUNNING.release()
