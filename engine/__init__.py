"""The Scale Playground simulation engine: Python, numpy and numba; no Django.

What it models (this version): users send requests at random (Poisson) at `traffic.rps`; each
request is an entity that is routed along the edges. A load balancer forwards it at once to one
of its servers that it believes up (round robin, weighted, random, least connections, power of
two choices or ip_hash); with `health_check_s` it learns that a server died or came back only at
its next health check. A web server or a database queues a request (FIFO, up to `queue_limit`)
and serves it with one of its `workers` for a time drawn from `service_dist` around `service_ms`;
then it moves on to the next server (web -> database), and completes when it leaves a server
with nothing behind it. A killed node fails every request it held and every request sent to it.

Not yet modelled: caches, replication, CDN, queues and workers, sharding, data centers, network
latency. Those kinds appear in the catalog with "simulated": false. docs/engine.md describes
each model and its assumptions.

    topology = engine.load(document)        # validate and compile, or raise TopologyError
    sim = engine.Simulation(topology, seed=0)
    frame = sim.step(0.1)                   # what happened in the next 0.1 simulated seconds
    sim.act({"action": "kill", "target": "web1"})
    report = engine.run(document, duration_s=600, warmup_s=60)
"""

from engine.analysis import Finding, analyze
from engine.catalog import catalog_json
from engine.simulation import ActionError, Simulation, run
from engine.topology import Topology, load
from engine.validate import TopologyError
from engine.warm import warm

__all__ = [
    "ActionError",
    "Finding",
    "Simulation",
    "Topology",
    "TopologyError",
    "analyze",
    "catalog_json",
    "load",
    "run",
    "warm",
]
