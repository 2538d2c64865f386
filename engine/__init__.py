"""The Scale Playground simulation engine: Python, numpy and numba; no Django.

What it models (this version): users send requests at random (Poisson) at `traffic.rps`, steady
or following a pattern (ramp, spike, diurnal); each
request is an entity that is routed along the edges. A load balancer forwards it at once to one
of its servers that it believes up (round robin, weighted, random, least connections, power of
two choices or ip_hash); with `health_check_s` it learns that a server died or came back only at
its next health check. A web server or a database queues a request (FIFO, up to `queue_limit`)
and serves it with one of its `workers` for a time drawn from `service_dist` around `service_ms`;
then it moves on to the next server, and completes when it leaves a server with nothing behind
it. Each request reads or writes a key drawn from Zipf(`traffic.zipf`) over `traffic.keys`. A
web server with a cache works cache-aside: a read asks the key's cache first (LRU, LFU or FIFO,
with a TTL); a hit returns, a miss reads a database and fills the cache; a write goes to the
database and deletes the key from the cache. A primary database with edges to replicas
replicates to them, asynchronously after each replica's lag (reads there meanwhile are stale) or
synchronously (writes wait); web servers read from replicas and write to the primary. A killed
node fails every request it held and every request sent to it; a killed cache loses its contents
and reads skip it; a killed primary stops writes until failover promotes a replica, losing the
writes it had not yet replicated. A share of requests (`traffic.job_ratio`) are background jobs:
a web server puts each in a message queue and answers at once; workers take jobs from the queue,
and give unfinished ones back when they die. Web servers may keep users' sessions locally (lost
when a user's request moves or the server dies) or in a session store. Primaries in a shard group
split the keys (modulo or consistent hashing); a database is relational or NoSQL, and joins over
shards fan out unless the data is denormalised; a transaction over two rows (`traffic.txn_ratio`)
is whole on one database, takes two-phase commit across relational shards (aborting when one is
down) and is written key by key on NoSQL shards; an ALTER TABLE locks a relational table's writes;
a bad write replicates to every replica and only a backup's snapshot brings the data back. Live
actions: kill, revive, slow, spike, scale, hot_key, add_shard, alter_table, bad_write, restore.

Requests are also static files (to a CDN edge per region, whose misses go to an origin such as
object storage) and logins. A DNS answers each users group with an entry point (failover or geo:
the nearest one that is up) and clients keep the answer for its TTL. Nodes sit in data centers in
regions; crossing regions adds the round trip between them; a data center's outage takes all in it
down; a partition cuts two apart and stops replication between them.

The catalog marks each kind "simulated"; docs/engine.md describes
each model and its assumptions.

    topology = engine.load(document)        # validate and compile, or raise TopologyError
    sim = engine.Simulation(topology, seed=0)
    frame = sim.step(0.1)                   # what happened in the next 0.1 simulated seconds
    sim.act({"action": "kill", "target": "web1"})
    report = engine.run(document, duration_s=600, warmup_s=60)
    summary = engine.replicate(document, duration_s=600, replications=10, warmup_s=60)  # 95% intervals
    sim = engine.Simulation(topology, seed=0, stories=20)  # frames tell up to 20 sampled requests' stories
    told = engine.stories(document, duration_s=60, count=10)  # the first 10 stories of a run
"""

from engine.kernels.freshness import forget_stale_kernels

# Before any kernel is loaded from numba's cache: numba would not notice a change in another file.
forget_stale_kernels()

from engine.catalog import messages  # noqa: E402
from engine.catalog.export import catalog_json  # noqa: E402
from engine.model.patch import patch_document  # noqa: E402
from engine.model.topology import Topology, load  # noqa: E402
from engine.model.validate import TopologyError  # noqa: E402
from engine.readouts.analysis import Finding, analyze  # noqa: E402
from engine.simulation.runs import replicate, run, stories  # noqa: E402
from engine.simulation.simulation import ActionError, Simulation  # noqa: E402
from engine.simulation.warm import warm  # noqa: E402

__all__ = [
    "ActionError",
    "Finding",
    "Simulation",
    "Topology",
    "TopologyError",
    "analyze",
    "catalog_json",
    "load",
    "messages",
    "patch_document",
    "replicate",
    "run",
    "stories",
    "warm",
]
