"""Design findings read off the graph: single points of failure, unreachable nodes, missing replicas."""

from dataclasses import asdict, dataclass, field

import networkx as nx

from engine.catalog import messages
from engine.catalog.kinds import KINDS
from engine.model.topology import Topology


@dataclass(frozen=True)
class Finding:
    # single_point_of_failure, unreachable, no_replica, dead_end, cache_without_database, no_backup,
    # shard_without_replica, modulo_sharding
    kind: str
    node: str | None
    message: str
    # The message's template (engine.catalog.messages) and params, so that each page says it in its language
    template: str = ""
    params: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


def finding(of: str, node: str | None, template: str, /, **params) -> Finding:
    """A finding of kind `of` (params may name a node's kind as `kind`)."""
    return Finding(of, node, messages.render(template, params), template, params)


def about(kinds: dict[str, str], node: str) -> dict:
    """The params naming a node: its kind's label and its id in quotes."""
    return {"kind": KINDS[kinds[node]].label, "name": repr(node)}


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
        if kind[node] == "data_center":
            continue  # a box that nodes sit in; requests never go to it
        if node not in reachable:
            findings.append(finding("unreachable", node, messages.FINDING_UNREACHABLE, **about(kind, node)))
        elif kind[node] == "load_balancer" and g.out_degree(node) == 0:
            findings.append(finding("dead_end", node, messages.FINDING_DEAD_END, **about(kind, node)))
    for node in topology.ids:
        if kind[node] in ("users", "data_center") or node not in reachable:
            continue
        without = g.copy()
        without.remove_node(node)
        if not reaches_a_terminal(without, users, terminals - {node}):
            findings.append(finding("single_point_of_failure", node, messages.FINDING_SPOF, **about(kind, node)))
    for node in topology.ids:
        if kind[node] == "cache" and not any(
            kind[m] == "database" for web in g.predecessors(node) for m in g.successors(web)
        ):
            findings.append(finding(
                "cache_without_database", node, messages.FINDING_CACHE_WITHOUT_DATABASE, name=repr(node)
            ))  # fmt: skip
    findings += data_center_findings(topology, kind, reachable)
    stores = [n for n in topology.ids if kind[n] == "session_store" and n in reachable]
    if len(stores) == 1:
        findings.append(finding(
            "single_point_of_failure", stores[0], messages.FINDING_SESSION_STORE_SPOF, name=repr(stores[0])
        ))  # fmt: skip
    for node in topology.ids:
        if kind[node] == "database" and not any(kind[n] == "database" and n != node for n in topology.ids):
            findings.append(finding("no_replica", node, messages.FINDING_NO_REPLICA, name=repr(node)))
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
            findings.append(finding("no_backup", node, messages.FINDING_NO_BACKUP, name=repr(node)))
        if props["shard_group"] and len(copies) == 1:
            findings.append(finding(
                "shard_without_replica", node, messages.FINDING_SHARD_WITHOUT_REPLICA,
                name=repr(node), group=repr(props["shard_group"]),
            ))  # fmt: skip
    for group in topology.shard_groups:
        if not group.consistent and len(group.shards) > group.active:
            findings.append(finding(
                "modulo_sharding", topology.ids[group.shards[0]], messages.FINDING_MODULO_SHARDING,
                group=repr(group.name),
            ))  # fmt: skip
    return findings


def data_center_findings(topology: Topology, kind: dict[str, str], reachable: set[str]) -> list[Finding]:
    """Everything that serves in one data center: the building itself is a single point of failure."""
    dcs = {topology.ids[dc] for dc in topology.dcs if dc is not None}
    served = [n for n in topology.ids if kind[n] not in ("users", "data_center", "dns") and n in reachable]
    homes = {topology.ids[topology.dcs[topology.index(n)]] if topology.dcs[topology.index(n)] is not None else None
             for n in served}  # fmt: skip
    if len(dcs) >= 1 and len(homes) == 1 and None not in homes:
        (dc,) = homes
        return [finding("single_point_of_failure", dc, messages.FINDING_DATA_CENTER_SPOF, name=repr(dc))]
    return []
