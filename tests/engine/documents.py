"""Hand-made topology documents for the engine tests."""


def single_server(rps: float, workers: int = 1, service_ms: float = 10.0, dist: str = "exponential",
                  queue_limit: int = 100_000) -> dict:  # fmt: skip
    """users -> one web server with nothing behind it: a textbook single queue."""
    return {
        "version": 1,
        "traffic": {"rps": rps},
        "nodes": [
            {"id": "users", "kind": "users", "x": 0, "y": 0},
            {
                "id": "web",
                "kind": "web_server",
                "x": 200,
                "y": 0,
                "props": {
                    "workers": workers,
                    "service_ms": service_ms,
                    "service_dist": dist,
                    "queue_limit": queue_limit,
                },
            },
        ],  # fmt: skip
        "edges": [{"from": "users", "to": "web"}],
    }


def balanced(rps: float = 200.0, scenario: list | None = None) -> dict:
    """users -> lb -> web1, web2 -> db, with room to spare on every server."""
    web = {"workers": 8, "service_ms": 20}
    return {
        "version": 1,
        "title": "Two web servers behind a load balancer",
        "traffic": {"rps": rps, "read_ratio": 0.9},
        "nodes": [
            {"id": "users", "kind": "users", "x": 0, "y": 0},
            {"id": "lb", "kind": "load_balancer", "x": 100, "y": 0, "props": {"algorithm": "round_robin"}},
            {"id": "web1", "kind": "web_server", "x": 200, "y": -50, "props": dict(web)},
            {"id": "web2", "kind": "web_server", "x": 200, "y": 50, "props": dict(web)},
            {"id": "db", "kind": "database", "x": 300, "y": 0, "props": {"workers": 16, "service_ms": 5}},
        ],
        "edges": [
            {"from": "users", "to": "lb"},
            {"from": "lb", "to": "web1"},
            {"from": "lb", "to": "web2"},
            {"from": "web1", "to": "db"},
            {"from": "web2", "to": "db"},
        ],
        "scenario": scenario or [],
    }


def farm(algorithm: str, servers: int = 3, rps: float = 1000.0, workers: int = 8, service_ms: float = 5.0,
         health_check_s: float = 0.0, weights: list[int] | None = None, clients: int = 10_000,
         scenario: list | None = None) -> dict:  # fmt: skip
    """users -> lb -> web1..webN, nothing behind the web servers: the load balancer on its own."""
    webs = [f"web{i + 1}" for i in range(servers)]
    weights = weights or [1] * servers
    return {
        "version": 1,
        "traffic": {"rps": rps, "clients": clients},
        "nodes": [
            {"id": "users", "kind": "users", "x": 0, "y": 0},
            {
                "id": "lb",
                "kind": "load_balancer",
                "x": 100,
                "y": 0,
                "props": {"algorithm": algorithm, "health_check_s": health_check_s},
            },
            *[
                {
                    "id": web,
                    "kind": "web_server",
                    "x": 200,
                    "y": 50 * i,
                    "props": {"workers": workers, "service_ms": service_ms, "weight": weight},
                }
                for i, (web, weight) in enumerate(zip(webs, weights))
            ],
        ],  # fmt: skip
        "edges": [{"from": "users", "to": "lb"}] + [{"from": "lb", "to": web} for web in webs],
        "scenario": scenario or [],
    }


def cached(rps: float = 1000.0, keys: int = 1000, zipf: float = 0.8, capacity: int = 100, policy: str = "lru",
           ttl_s: float = 0.0, read_ratio: float = 1.0, scenario: list | None = None,
           write_policy: str = "invalidate") -> dict:  # fmt: skip
    """users -> web -> cache and database (cache-aside), every server quick and roomy, so that
    only the cache decides what happens."""
    quick = {"workers": 256, "service_ms": 0.05, "service_dist": "constant"}
    return {
        "version": 1,
        "traffic": {"rps": rps, "keys": keys, "zipf": zipf, "read_ratio": read_ratio},
        "nodes": [
            {"id": "users", "kind": "users", "x": 0, "y": 0},
            {"id": "web", "kind": "web_server", "x": 100, "y": 0, "props": dict(quick)},
            {
                "id": "cache",
                "kind": "cache",
                "x": 200,
                "y": -50,
                "props": {
                    **quick,
                    "capacity_keys": capacity,
                    "policy": policy,
                    "ttl_s": ttl_s,
                    "write_policy": write_policy,
                },  # fmt: skip
            },
            {"id": "db", "kind": "database", "x": 200, "y": 50, "props": dict(quick)},
        ],  # fmt: skip
        "edges": [{"from": "users", "to": "web"}, {"from": "web", "to": "cache"}, {"from": "web", "to": "db"}],
        "scenario": scenario or [],
    }


def replicated(rps: float = 1000.0, read_ratio: float = 0.8, lag_ms: float = 100.0, replication: str = "async",
               failover_s: float = 5.0, replicas: int = 1, keys: int = 1000, zipf: float = 0.8,
               scenario: list | None = None) -> dict:  # fmt: skip
    """users -> web -> primary and replicas, the primary replicating to each replica."""
    quick = {"workers": 256, "service_ms": 0.05, "service_dist": "constant"}
    names = [f"replica{i + 1}" for i in range(replicas)]
    return {
        "version": 1,
        "traffic": {"rps": rps, "read_ratio": read_ratio, "keys": keys, "zipf": zipf},
        "nodes": [
            {"id": "users", "kind": "users", "x": 0, "y": 0},
            {"id": "web", "kind": "web_server", "x": 100, "y": 0, "props": dict(quick)},
            {
                "id": "primary",
                "kind": "database",
                "x": 200,
                "y": 0,
                "props": {**quick, "replication": replication, "failover_s": failover_s},
            },
            *[
                {
                    "id": name,
                    "kind": "database",
                    "x": 300,
                    "y": 50 * i,
                    "props": {**quick, "role": "replica", "lag_ms": lag_ms},
                }
                for i, name in enumerate(names)
            ],
        ],  # fmt: skip
        "edges": [{"from": "users", "to": "web"}, {"from": "web", "to": "primary"}]
        + [{"from": "web", "to": name} for name in names]
        + [{"from": "primary", "to": name} for name in names],
        "scenario": scenario or [],
    }


def jobs(rps: float = 100.0, job_ratio: float = 1.0, workers: int = 4, service_ms: float = 10.0,
         queue_limit: int = 100_000, worker_nodes: int = 1, scenario: list | None = None) -> dict:  # fmt: skip
    """users -> web -> message queue -> workers: background jobs, the web tier quick and roomy."""
    names = [f"worker{i + 1}" for i in range(worker_nodes)]
    return {
        "version": 1,
        "traffic": {"rps": rps, "job_ratio": job_ratio},
        "nodes": [
            {"id": "users", "kind": "users", "x": 0, "y": 0},
            {
                "id": "web",
                "kind": "web_server",
                "x": 100,
                "y": 0,
                "props": {"workers": 256, "service_ms": 1.0, "service_dist": "constant"},
            },
            {"id": "queue", "kind": "message_queue", "x": 200, "y": 0, "props": {"queue_limit": queue_limit}},
            *[
                {
                    "id": name,
                    "kind": "worker",
                    "x": 300,
                    "y": 50 * i,
                    "props": {"workers": workers, "service_ms": service_ms},
                }
                for i, name in enumerate(names)
            ],
        ],  # fmt: skip
        "edges": [{"from": "users", "to": "web"}, {"from": "web", "to": "queue"}]
        + [{"from": "queue", "to": name} for name in names],
        "scenario": scenario or [],
    }


def sessions(mode: str, algorithm: str = "round_robin", servers: int = 2, clients: int = 100, rps: float = 1000.0,
             scenario: list | None = None) -> dict:  # fmt: skip
    """users -> lb -> web servers keeping sessions (none, local or store), with a session store."""
    doc = farm(algorithm, servers=servers, rps=rps, clients=clients, scenario=scenario)
    for node in doc["nodes"][2:]:
        node["props"]["sessions"] = mode
    doc["nodes"].append({"id": "store", "kind": "session_store", "x": 300, "y": 0})
    doc["edges"] += [{"from": f"web{i + 1}", "to": "store"} for i in range(servers)]
    return doc


def sharded(shards: int = 4, spares: int = 1, sharding: str = "consistent", vnodes: int = 100, rps: float = 1000.0,
            keys: int = 100_000, zipf: float = 0.0, read_ratio: float = 0.9, join_ratio: float = 0.0,
            denormalized: str = "no", model: str = "relational", cache_keys: int = 0, replicas: bool = False,
            db: dict | None = None, scenario: list | None = None) -> dict:  # fmt: skip
    """users -> web -> shard1..N (the last `spares` spare), each optionally with a replica, and a
    cache of cache_keys places (0: none); servers quick and roomy unless `db` says otherwise."""
    quick = {"workers": 256, "service_ms": 0.05, "service_dist": "constant"}
    names = [f"shard{i + 1}" for i in range(shards + spares)]
    nodes = [
        {"id": "users", "kind": "users", "x": 0, "y": 0},
        {"id": "web", "kind": "web_server", "x": 100, "y": 0, "props": dict(quick)},
    ]
    edges = [{"from": "users", "to": "web"}]
    for i, name in enumerate(names):
        props = {**quick, **(db or {}), "shard_group": "users", "sharding": sharding, "vnodes": vnodes,
                 "model": model, "denormalized": denormalized,
                 "shard_state": "active" if i < shards else "spare"}  # fmt: skip
        nodes.append({"id": name, "kind": "database", "x": 200, "y": 50 * i, "props": props})
        edges.append({"from": "web", "to": name})
        if replicas:
            replica = f"{name}r"
            nodes.append({"id": replica, "kind": "database", "x": 300, "y": 50 * i,
                          "props": {**quick, **(db or {}), "role": "replica", "lag_ms": 10}})  # fmt: skip
            edges += [{"from": "web", "to": replica}, {"from": name, "to": replica}]
    if cache_keys:
        nodes.append({"id": "cache", "kind": "cache", "x": 100, "y": 100,
                      "props": {**quick, "capacity_keys": cache_keys, "ttl_s": 0}})  # fmt: skip
        edges.append({"from": "web", "to": "cache"})
    return {
        "version": 1,
        "traffic": {"rps": rps, "keys": keys, "zipf": zipf, "read_ratio": read_ratio, "join_ratio": join_ratio},
        "nodes": nodes,
        "edges": edges,
        "scenario": scenario or [],
    }


def backed_up(rps: float = 1000.0, read_ratio: float = 0.8, lag_ms: float = 100.0, replicas: int = 2,
              interval_s: float = 10.0, keys: int = 1000, scenario: list | None = None) -> dict:  # fmt: skip
    """replicated(), with a backup of the primary taking a snapshot every interval_s."""
    doc = replicated(rps=rps, read_ratio=read_ratio, lag_ms=lag_ms, replicas=replicas, keys=keys, scenario=scenario)
    doc["nodes"].append({"id": "backup", "kind": "backup", "x": 200, "y": 200, "props": {"interval_s": interval_s}})
    doc["edges"].append({"from": "primary", "to": "backup"})
    return doc
