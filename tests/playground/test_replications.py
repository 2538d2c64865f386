"""Run 20 seeds: POST a topology, get each figure as a mean with its 95% interval over 20 seeds;
bad topologies, too much traffic and a busy server get clear refusals."""

import json

import pytest
from django.test import AsyncClient

from playground.sim import replications
from tests.playground.conftest import make_document

pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


async def post(client: AsyncClient, body) -> tuple[int, dict]:
    answer = await client.post("/api/replications/", data=json.dumps(body), content_type="application/json")
    return answer.status_code, json.loads(answer.content)


@pytest.fixture
def client() -> AsyncClient:
    return AsyncClient()


async def test_twenty_seeds_give_each_figure_an_interval_around_its_mean(client):
    status, body = await post(client, {"document": make_document()})
    assert status == 200
    assert body["replications"] == 20 and body["seeds"] == [0, 19]
    for name in ("throughput_rps", "latency_ms.p99", "error_rate"):
        interval = body["figures"][name]
        assert interval["low"] <= interval["mean"] <= interval["high"]
    throughput = body["figures"]["throughput_rps"]
    rps = make_document()["traffic"]["rps"]
    # Poisson traffic at rps over 60 s: the mean's interval is tight around it (within 2 %).
    assert throughput["low"] > 0.98 * rps and throughput["high"] < 1.02 * rps


async def test_a_broken_topology_is_refused_with_its_problems(client):
    document = make_document()
    document["edges"].append({"from": "nobody", "to": "web1"})
    status, body = await post(client, {"document": document})
    assert status == 400 and "it was not run" in body["error"] and body["problems"]


async def test_too_much_traffic_is_refused_before_anything_runs(client):
    document = make_document()
    document["traffic"]["rps"] = 2_000_000
    status, body = await post(client, {"document": document})
    assert status == 422 and "lower the rps" in body["error"]


async def test_a_second_run_while_one_goes_on_is_told_to_wait(client):
    assert replications.RUNNING.acquire(blocking=False)
    try:
        status, body = await post(client, {"document": make_document()})
    finally:
        replications.RUNNING.release()
    assert status == 503 and "try again" in body["error"]


async def test_not_json_is_a_clear_400(client):
    answer = await client.post("/api/replications/", data="{nope", content_type="application/json")
    assert answer.status_code == 400 and "error" in json.loads(answer.content)


async def test_the_runs_hold_their_memory_through_the_ledger(client, settings):
    """A topology the process has no memory for is refused here as a socket's load would be."""
    settings.SIM_MEMORY_MB = 0
    status, body = await post(client, {"document": make_document()})
    assert status == 503 and "no memory left" in body["error"]
    settings.SIM_MEMORY_MB = 4096
    assert (await post(client, {"document": make_document()}))[0] == 200  # nothing stayed held
