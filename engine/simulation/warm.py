"""Compile (or load from numba's cache) every kernel before the first user needs it."""

import time

from engine.model.topology import load
from engine.simulation.simulation import Simulation

WARM_DOCUMENT = {
    "version": 1,
    "traffic": {
        "rps": 500,
        "read_ratio": 0.5,
        "job_ratio": 0.1,
        "static_ratio": 0.2,
        "login_ratio": 0.05,
        "pattern": "diurnal",
        "keys": 1000,
        "join_ratio": 0.2,
    },
    "nodes": [
        {"id": "users", "kind": "users", "x": 0, "y": 0},
        {"id": "far", "kind": "users", "x": 0, "y": 1, "props": {"region": "eu-west"}},
        {"id": "dns", "kind": "dns", "x": 0, "y": 2, "props": {"routing": "geo"}},
        {"id": "dc", "kind": "data_center", "x": 0, "y": 3},
        {"id": "dc2", "kind": "data_center", "x": 0, "y": 4, "props": {"region": "eu-west"}},
        {"id": "cdn", "kind": "cdn", "x": 0, "y": 5, "dc": "dc2"},
        {"id": "files", "kind": "object_store", "x": 0, "y": 6, "dc": "dc2"},
        {"id": "lb", "kind": "load_balancer", "x": 1, "y": 0, "props": {"algorithm": "ip_hash"}, "dc": "dc"},
        {"id": "web1", "kind": "web_server", "x": 2, "y": 0, "props": {"queue_limit": 2, "sessions": "local"}},
        {
            "id": "web2",
            "kind": "web_server",
            "x": 2,
            "y": 1,
            "props": {"service_dist": "lognormal", "sessions": "store"},
        },
        {"id": "db", "kind": "database", "x": 3, "y": 0, "props": {"service_dist": "constant", "failover_s": 0.1}},
        {"id": "replica", "kind": "database", "x": 4, "y": 0, "props": {"role": "replica"}, "dc": "dc2"},
        {"id": "cache", "kind": "cache", "x": 3, "y": 1, "props": {"policy": "lfu", "capacity_keys": 50}},
        {"id": "store", "kind": "session_store", "x": 3, "y": 2},
        {"id": "queue", "kind": "message_queue", "x": 3, "y": 3},
        {"id": "worker", "kind": "worker", "x": 4, "y": 3},
        {"id": "web3", "kind": "web_server", "x": 2, "y": 4},
        {"id": "shard1", "kind": "database", "x": 3, "y": 4, "props": {"shard_group": "g", "model": "nosql"}},
        {
            "id": "shard2",
            "kind": "database",
            "x": 3,
            "y": 5,
            "props": {"shard_group": "g", "model": "nosql", "shard_state": "spare"},
        },
        {"id": "backup", "kind": "backup", "x": 4, "y": 1},
    ],  # fmt: skip
    "edges": [
        {"from": "users", "to": "lb"},
        {"from": "far", "to": "dns"},
        {"from": "dns", "to": "lb"},
        {"from": "dns", "to": "cdn"},
        {"from": "cdn", "to": "files"},
        {"from": "web1", "to": "files"},
        {"from": "lb", "to": "web1"},
        {"from": "lb", "to": "web2"},
        {"from": "web1", "to": "db"},
        {"from": "web2", "to": "db"},
        {"from": "web2", "to": "replica"},
        {"from": "db", "to": "replica"},
        {"from": "web2", "to": "cache"},
        {"from": "web2", "to": "store"},
        {"from": "web1", "to": "queue"},
        {"from": "queue", "to": "worker"},
        {"from": "lb", "to": "web3"},
        {"from": "web3", "to": "shard1"},
        {"from": "web3", "to": "shard2"},
        {"from": "web3", "to": "cache"},
        {"from": "db", "to": "backup"},
    ],
}


def warm() -> float:
    """Run a tiny simulation through every kernel entry point; return the seconds it took."""
    started = time.perf_counter()
    simulation = Simulation(load(WARM_DOCUMENT), seed=1)
    simulation.step(0.5)
    simulation.act({"action": "add_shard", "target": "shard2"})
    simulation.act({"action": "hot_key", "share": 0.5})
    simulation.act({"action": "bad_write", "target": "db"})
    simulation.act({"action": "restore", "target": "db"})
    simulation.act({"action": "partition", "target": "dc", "other": "dc2"})
    for target in ("web1", "cache", "worker", "db"):
        simulation.act({"action": "kill", "target": target})
    simulation.set("traffic", {"rps": 400})
    simulation.set("web2", {"workers": 8})
    simulation.step(0.5)
    simulation.act({"action": "revive", "target": "worker"})
    simulation.step(0.5)
    return time.perf_counter() - started
