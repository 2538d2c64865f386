"""The numba kernel against a slow, obvious reference written with heapq.

The reference draws from the same xoshiro stream in the same order as the kernel, so on the
same seed both must agree exactly: every completion, every failure, every summed wait.
"""

import heapq

import pytest

import engine
from engine.kernels import layout as k
from engine.kernels.rng import exponential, seeded_state, uniform
from tests.engine.documents import single_server

ARRIVAL, DEPARTURE = 0, 1


def reference_single_server(rps, workers, service_ms, queue_limit, read_ratio, seed, duration):
    """users -> one web server, FIFO queue with a limit, exponential service; returns totals."""
    rng = seeded_state(seed)
    mean_service = service_ms / 1000.0
    events, seq = [], 0

    def push(t, kind, request):
        nonlocal seq
        heapq.heappush(events, (t, seq, kind, request))
        seq += 1

    totals = {"offered": 0, "completed": 0, "errors": 0, "reads": 0, "wait": 0.0, "latency": 0.0}
    queue, busy, arrived_at, queued_at = [], 0, {}, {}

    def start(request, now):
        nonlocal busy
        busy += 1
        totals["wait"] += now - queued_at[request]
        push(now + exponential(rng, mean_service), DEPARTURE, request)

    push(exponential(rng, 1.0 / rps), ARRIVAL, None)
    next_id = 0
    while events and events[0][0] < duration:
        now, _, kind, request = heapq.heappop(events)
        if kind == ARRIVAL:
            push(now + exponential(rng, 1.0 / rps), ARRIVAL, None)
            totals["offered"] += 1
            totals["reads"] += uniform(rng) < read_ratio
            request, next_id = next_id, next_id + 1
            arrived_at[request] = queued_at[request] = now
            if busy < workers:
                start(request, now)
            elif len(queue) < queue_limit:
                queue.append(request)
            else:
                totals["errors"] += 1
        else:
            busy -= 1
            totals["completed"] += 1
            totals["latency"] += now - arrived_at[request]
            while queue and busy < workers:
                start(queue.pop(0), now)
    return totals


@pytest.mark.parametrize(
    "rps, workers, service_ms, queue_limit, read_ratio, seed",
    [
        (50.0, 1, 10.0, 1000, 0.9, 1),  # light load
        (95.0, 1, 10.0, 1000, 0.5, 2),  # close to saturation
        (300.0, 2, 10.0, 3, 0.9, 3),  # overloaded with a tiny queue: many refusals
        (900.0, 8, 8.0, 50, 0.0, 4),  # several workers, writes only
        (0.5, 3, 200.0, 0, 1.0, 5),  # no queue at all
    ],
)
def test_it_matches_the_reference_exactly(rps, workers, service_ms, queue_limit, read_ratio, seed):
    duration = 200.0
    expected = reference_single_server(rps, workers, service_ms, queue_limit, read_ratio, seed, duration)
    doc = single_server(rps, workers, service_ms, queue_limit=queue_limit)
    doc["traffic"]["read_ratio"] = read_ratio
    simulation = engine.Simulation(engine.load(doc), seed=seed)
    reads = 0.0
    for _ in range(8):
        reads += simulation.step(duration / 8)["edges"][0]["flows"]["read"] * duration / 8
    report = simulation.report(duration)
    assert report["requests"] == expected["offered"]
    assert report["completed"] == expected["completed"]
    assert report["errors"] == expected["errors"]
    assert round(reads) == expected["reads"]
    web = simulation.topology.index("web")
    assert simulation.state.nstat[1, web, k.S_WAIT] == pytest.approx(expected["wait"], rel=1e-12)
    assert simulation.state.gstat[1, k.G_LATENCY] == pytest.approx(expected["latency"], rel=1e-12)
