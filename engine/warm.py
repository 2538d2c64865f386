"""Compile (or load from numba's cache) every kernel before the first user needs it."""

import time

WARM_DOCUMENT = {
    "version": 1,
    "traffic": {"rps": 500, "read_ratio": 0.5},
    "nodes": [
        {"id": "users", "kind": "users", "x": 0, "y": 0},
        {"id": "lb", "kind": "load_balancer", "x": 1, "y": 0},
        {"id": "web1", "kind": "web_server", "x": 2, "y": 0, "props": {"queue_limit": 2}},
        {"id": "web2", "kind": "web_server", "x": 2, "y": 1, "props": {"service_dist": "lognormal"}},
        {"id": "db", "kind": "database", "x": 3, "y": 0, "props": {"service_dist": "constant"}},
        {"id": "cache", "kind": "cache", "x": 3, "y": 1, "props": {"policy": "lfu", "capacity_keys": 50}},
    ],
    "edges": [
        {"from": "users", "to": "lb"},
        {"from": "lb", "to": "web1"},
        {"from": "lb", "to": "web2"},
        {"from": "web1", "to": "db"},
        {"from": "web2", "to": "db"},
        {"from": "web2", "to": "cache"},
    ],
}


def warm() -> float:
    """Run a tiny simulation through every kernel; return the seconds it took."""
    from engine.simulation import Simulation
    from engine.topology import load

    started = time.perf_counter()
    simulation = Simulation(load(WARM_DOCUMENT), seed=1)
    simulation.step(0.5)
    simulation.act({"action": "kill", "target": "web1"})
    simulation.act({"action": "kill", "target": "cache"})
    simulation.set("traffic", {"rps": 400})
    simulation.set("web2", {"workers": 8})
    simulation.step(0.5)
    return time.perf_counter() - started
