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
