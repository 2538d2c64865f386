import copy

import pytest


def make_document(title: str = "Two web servers behind a load balancer") -> dict:
    """A small valid topology: users -> lb -> web1, web2 -> db."""
    return {
        "version": 1,
        "title": title,
        "traffic": {"rps": 200, "pattern": "constant", "read_ratio": 0.9},
        "nodes": [
            {"id": "users", "kind": "users", "x": 80, "y": 200, "props": {}},
            {"id": "lb", "kind": "load_balancer", "x": 260, "y": 200, "props": {"algorithm": "round_robin"}},
            {
                "id": "web1",
                "kind": "web_server",
                "x": 440,
                "y": 140,
                "props": {"workers": 4, "service_ms": 20},
            },
            {
                "id": "web2",
                "kind": "web_server",
                "x": 440,
                "y": 260,
                "props": {"workers": 4, "service_ms": 20},
            },
            {"id": "db", "kind": "database", "x": 620, "y": 200, "props": {}},
        ],
        "edges": [
            {"from": "users", "to": "lb"},
            {"from": "lb", "to": "web1"},
            {"from": "lb", "to": "web2"},
            {"from": "web1", "to": "db"},
            {"from": "web2", "to": "db"},
        ],
        "scenario": [],
    }


@pytest.fixture
def document() -> dict:
    return make_document()


@pytest.fixture
def broken_document() -> dict:
    """Two problems at once: workers out of range and an edge to a node that does not exist."""
    doc = copy.deepcopy(make_document())
    doc["nodes"][2]["props"]["workers"] = 0
    doc["edges"].append({"from": "web2", "to": "nowhere"})
    return doc


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Each test starts with fresh rate-limit counters: they count per address, and every test
    client comes from the same one."""
    from django.core.cache import cache

    cache.clear()
