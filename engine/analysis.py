"""Design findings read off the graph: single points of failure, unreachable nodes, missing replicas."""

from dataclasses import asdict, dataclass

import networkx as nx

from engine.catalog import KINDS
from engine.topology import Topology, shard_groups


@dataclass(frozen=True)
class Finding:
    # single_point_of_failure, unreachable, no_replica, dead_end, cache_without_database, no_backup,
    # shard_without_replica, modulo_sharding
    kind: str
    node: str | None
    message: str

    def to_dict(self) -> dict:
        return asdict(self)


SIDE_KINDS = ("cache", "message_queue", "session_store", "object_store")


def graph(topology: Topology) -> nx.DiGraph:
    g = nx.DiGraph()
    g.add_nodes_from(topology.ids)
    g.add_edges_from((topology.ids[a], topology.ids[b]) for a, b in topology.edges)
    return g


def reaches_a_terminal(g: nx.DiGraph, users: list[str], terminals: set[str]) -> bool:
    reachable = set()
    for source in users:
        if source in g:
            reachable |= nx.descendants(g, source) | {source}
    return bool(reachable & terminals)


def analyze(topology: Topology) -> list[Finding]:
    g = graph(topology)
    kind = dict(zip(topology.ids, topology.kinds))
    users = [n for n in topology.ids if kind[n] == "users"]
    # Where a request can end: a database, or a web server with only caches, queues and session
    # stores (which it uses on the side) behind it.
    terminals = {
        n for n in topology.ids
        if kind[n] == "database"
        or (kind[n] == "web_server" and all(kind[m] in SIDE_KINDS for m in g.successors(n)))
    }  # fmt: skip
    findings: list[Finding] = []
    reachable = set(users).union(*(nx.descendants(g, u) for u in users)) if users else set()
    for node in topology.ids:
        label = f"{KINDS[kind[node]].label} {node!r}"
        if kind[node] == "data_center":
            continue  # a box that nodes sit in; requests never go to it
        if node not in reachable:
            findings.append(Finding("unreachable", node, f"{label} gets no requests: nothing connects users to it."))
        elif kind[node] == "load_balancer" and g.out_degree(node) == 0:
            findings.append(Finding("dead_end", node, f"{label} has no servers behind it: every request to it fails."))
    for node in topology.ids:
        if kind[node] in ("users", "data_center") or node not in reachable:
            continue
        without = g.copy()
        without.remove_node(node)
        if not reaches_a_terminal(without, users, terminals - {node}):
            findings.append(
                Finding(
                    "single_point_of_failure",
                    node,
                    f"{KINDS[kind[node]].label} {node!r} is a single point of failure: "
                    "if it dies, no request can be served.",
                )
            )
    for node in topology.ids:
        if kind[node] == "cache" and not any(
            kind[m] == "database" for web in g.predecessors(node) for m in g.successors(web)
        ):
            findings.append(
                Finding(
                    "cache_without_database",
                    node,
                    f"Cache {node!r} has no database behind it: a miss has nowhere to read from, so it is "
                    "never filled. Connect the web servers that use it to a database.",
                )
            )
    findings += data_center_findings(topology, kind, reachable)
    stores = [n for n in topology.ids if kind[n] == "session_store" and n in reachable]
    if len(stores) == 1:
        findings.append(
            Finding(
                "single_point_of_failure",
                stores[0],
                f"Session store {stores[0]!r} is a single point of failure: if it dies, every session is lost "
                "and the requests that need one fail.",
            )
        )
    for node in topology.ids:
        if kind[node] == "database" and not any(kind[n] == "database" and n != node for n in topology.ids):
            findings.append(
                Finding(
                    "no_replica",
                    node,
                    f"Database {node!r} has no replica: if it dies, the data is unreachable.",
                )
            )
    return findings + data_findings(topology, g)


def data_findings(topology: Topology, g: nx.DiGraph) -> list[Finding]:
    """Backups and shards: data a bad write would destroy for good, shards that one death takes away."""
    kind = dict(zip(topology.ids, topology.kinds))
    findings = []
    for node in topology.ids:
        props = topology.props[topology.index(node)]
        if kind[node] != "database" or props["role"] != "primary":
            continue
        copies = {node, *(m for m in g.successors(node) if kind[m] == "database")}
        if not any(kind[b] == "backup" for m in copies for b in g.successors(m)):
            findings.append(Finding(
                "no_backup", node,
                f"Database {node!r} has no backup: a bad write (a DELETE without WHERE) would destroy its data for "
                "good, because its replicas copy the bad write too. Connect it to a backup.",
            ))  # fmt: skip
        if props["shard_group"] and len(copies) == 1:
            findings.append(Finding(
                "shard_without_replica", node,
                f"Shard {node!r} of {props['shard_group']!r} has no replica: if it dies, the keys it holds cannot be "
                "read or written, while the other shards carry on.",
            ))  # fmt: skip
    for group in shard_groups(topology):
        if not group.consistent and len(group.shards) > group.active:
            findings.append(Finding(
                "modulo_sharding", topology.ids[group.shards[0]],
                f"Shard group {group.name!r} places keys by modulo: adding a shard will move most keys. "
                "Consistent hashing moves only the keys the new shard takes over.",
            ))  # fmt: skip
    return findings


def data_center_findings(topology: Topology, kind: dict[str, str], reachable: set[str]) -> list[Finding]:
    """Everything that serves in one data center: the building itself is a single point of failure."""
    dcs = {topology.ids[dc] for dc in topology.dcs if dc is not None}
    served = [n for i, n in enumerate(topology.ids) if kind[n] not in ("users", "data_center", "dns") and n in reachable]
    homes = {topology.ids[topology.dcs[topology.index(n)]] if topology.dcs[topology.index(n)] is not None else None
             for n in served}  # fmt: skip
    if len(dcs) >= 1 and len(homes) == 1 and None not in homes:
        (dc,) = homes
        return [Finding(
            "single_point_of_failure",
            dc,
            f"Data center {dc!r} is a single point of failure: everything that serves requests is in it, so "
            "if it goes down (a power cut, a flood), nothing is served. Add a second data center in another "
            "region, with a DNS in front.",
        )]  # fmt: skip
    return []
