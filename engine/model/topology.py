"""A validated topology, compiled to the flat arrays the kernels read."""

import copy
import math
from dataclasses import dataclass

import numpy as np

from engine.catalog.codes import ALGO_CODES, DIST_CODES, KIND_CODES, PATTERN_CODES, POLICY_CODES, SESSION_CODES
from engine.catalog.kinds import KINDS, SERVER_KINDS
from engine.catalog.traffic import TRAFFIC
from engine.catalog.world import SIZES
from engine.kernels import cache
from engine.kernels import layout as k
from engine.kernels.rng import zipf_params
from engine.model.structure import ShardGroup, replica_sets, shard_groups
from engine.model.validate import TopologyError, problems_of

# Replication bookkeeping: last-write times for up to WRITE_CELLS keys (key k in cell k mod
# WRITE_CELLS) and the commit times of the latest WRITE_RING writes, per replica set.
WRITE_CELLS = 1 << 20
WRITE_RING = 1 << 16
# The most memory one simulation's arrays may take, so that no document can exhaust the server.
MAX_BYTES = 512 * 1024 * 1024
# Bytes per request slot (request arrays, free stack, heap entry) and per cache slot (entry,
# expiry, about three hash-table cells).
BYTES_PER_REQUEST = 8 * (k.N_REQI + k.N_REQF + 1 + 1 + 4)
BYTES_PER_CACHE_SLOT = 8 * (cache.N_CINT + 1 + 3)


@dataclass(frozen=True)
class Topology:
    """A document the engine accepted, with every default filled in.

    `ids[i]` is node i of the arrays; `edges[j]` is edge j as (source index, target index)."""

    document: dict
    ids: tuple[str, ...]
    kinds: tuple[str, ...]
    props: tuple[dict, ...]
    traffic: dict
    edges: tuple[tuple[int, int], ...]
    scenario: tuple[dict, ...]
    # The data center each node sits in (its index), or None
    dcs: tuple[int | None, ...] = ()
    # Computed once at compile time (engine.model.structure): every user reads these.
    replica_sets: tuple[tuple[int, ...], ...] = ()
    shard_groups: tuple[ShardGroup, ...] = ()

    def index(self, node_id: str) -> int:
        return self.ids.index(node_id)

    @property
    def memory_bytes(self) -> int:
        """About how much memory simulating it takes (at most MAX_BYTES: load refuses more)."""
        return memory_bytes(self)

    def successors(self, node: int) -> list[int]:
        return [target for source, target in self.edges if source == node]

    @property
    def first_shard_row(self) -> int:
        """rmeta's rows: one per replica set (at least one), then one per shard group."""
        return max(1, len(self.replica_sets))

    def data_set(self, database: int) -> list[int]:
        """The databases that hold the same data as a primary: it and the replicas it copies to."""
        return list(next((s for s in self.replica_sets if s[0] == database), (database,)))

    def structure(self) -> dict:
        """Replica sets and shard groups by node id, as the page is sent them (docs/protocol.md)."""
        return {
            "replica_sets": [
                {"primary": self.ids[members[0]], "replicas": [self.ids[m] for m in members[1:]]}
                for members in self.replica_sets
            ],
            "shard_groups": {group.name: [self.ids[m] for m in group.shards] for group in self.shard_groups},
        }


def with_defaults(table: dict, given: dict) -> dict:
    return {name: given.get(name, prop.default) for name, prop in table.items()}


def load(doc: dict) -> Topology:
    """Validate a topology document and compile it; raise TopologyError listing every problem."""
    problems = problems_of(doc)
    if problems:
        raise TopologyError(problems)
    topology = compile_document(copy.deepcopy(doc))
    problems = memory_problems(topology)
    if problems:
        raise TopologyError(problems)
    return topology


def memory_problems(topology: Topology) -> list[dict]:
    """The problem of a topology too big to simulate (MAX_BYTES), if it is."""
    needed = memory_bytes(topology)
    if needed <= MAX_BYTES:
        return []
    mib = 1024 * 1024
    return [{"path": "nodes", "message": (
        f"This topology would need {needed // mib} MB of memory to simulate; the limit is {MAX_BYTES // mib} MB. "
        "Lower the caches' capacity_keys, the queue limits or traffic.keys."
    )}]  # fmt: skip


def compile_document(doc: dict) -> Topology:
    nodes = doc["nodes"]
    ids = tuple(node["id"] for node in nodes)
    position = {node_id: i for i, node_id in enumerate(ids)}
    kinds = tuple(node["kind"] for node in nodes)
    props = tuple(with_defaults(KINDS[node["kind"]].props, node.get("props", {})) for node in nodes)
    edges = tuple((position[e["from"]], position[e["to"]]) for e in doc.get("edges", []))
    return Topology(
        document=doc,
        ids=ids,
        kinds=kinds,
        props=props,
        traffic=with_defaults(TRAFFIC, doc.get("traffic", {})),
        edges=edges,
        scenario=tuple(sorted(doc.get("scenario", []), key=lambda step: step["at"])),
        dcs=tuple(position[node["dc"]] if node.get("dc") else None for node in nodes),
        replica_sets=replica_sets(kinds, edges),
        shard_groups=shard_groups(kinds, props, edges),
    )


def lognormal_params(mean: float, cv: float) -> tuple[float, float]:
    """mu and sigma of a lognormal with that mean and coefficient of variation."""
    sigma = math.sqrt(math.log(1.0 + cv * cv))
    return math.log(mean) - sigma * sigma / 2.0, sigma


def arrival_rates(topology: Topology, rps: float) -> np.ndarray:
    """Each users node's Poisson rate: traffic.rps split by the users' shares."""
    shares = np.array(
        [props["share"] if kind == "users" else 0.0 for kind, props in zip(topology.kinds, topology.props)]
    )
    total = shares.sum()
    # Each share over the total first: rps / total overflows to inf for a tiny (subnormal) total,
    # and an infinite rate would send the users' requests all at one instant, for ever.
    return rps * (shares / total) if total > 0 else shares


def configure_node(nint: np.ndarray, nflt: np.ndarray, node: int, kind: str, props: dict) -> None:
    """Write a node's props into its rows of the arrays (used at load and by live changes)."""
    nint[node, k.I_KIND] = KIND_CODES[kind]
    if kind in SERVER_KINDS:
        nint[node, k.I_WORKERS] = props["workers"]
        nint[node, k.I_DIST] = DIST_CODES[props["service_dist"]]
        # A bigger machine serves each request faster (engine.catalog.world.SIZES): service_ms is on the smallest.
        mean = props["service_ms"] / 1000.0 / SIZES[props["size"]].speed
        nflt[node, k.F_MEAN] = mean
        nflt[node, k.F_MU], nflt[node, k.F_SIGMA] = lognormal_params(mean, props["service_cv"])
    if kind == "web_server":
        nflt[node, k.F_WEIGHT] = props["weight"]
        nint[node, k.I_SESSIONS] = SESSION_CODES[props["sessions"]]
    nflt[node, k.F_COST : k.F_COST + k.N_COSTS] = database_costs(props) if kind == "database" else 1.0
    if kind == "database":
        nflt[node, k.F_LAG] = props["lag_ms"] / 1000.0
    if kind in ("cache", "cdn", "dns"):
        nflt[node, k.F_TTL] = props["ttl_s"]
    if kind == "cache":
        nint[node, k.I_WRITE_THROUGH] = 1 if props["write_policy"] == "write_through" else 0
    if kind == "load_balancer":
        nint[node, k.I_ALGO] = ALGO_CODES[props["algorithm"]]


# The data models' costs, as multiples of a database's service_ms (docs/engine.md, "Data models"):
# a relational join does this much work; a NoSQL lookup by key this much; a NoSQL store has no
# joins, so the application makes this many lookups for one; denormalised data writes its copies;
# a transaction writes this many rows (one commit on one database: the rows are written together).
JOIN_COST = 3.0
NOSQL_LOOKUP = 0.5
NOSQL_JOIN_LOOKUPS = 3
DENORMALIZED_WRITE = 2.0
TXN_ROWS = 2


def database_costs(props: dict) -> list[float]:
    """Service-time multipliers of a database for a read, a write, a job, a read that joins and a
    transaction. Across shards each shard writes one row of it plus its prepare record (forced to
    its log as a commit is), so its part costs about what the whole does on one database."""
    lookup = NOSQL_LOOKUP if props["model"] == "nosql" else 1.0
    join = lookup * NOSQL_JOIN_LOOKUPS if props["model"] == "nosql" else JOIN_COST
    write = lookup
    if props["denormalized"] == "yes":
        join, write = lookup, lookup * DENORMALIZED_WRITE
    return [lookup, write, 1.0, join, write * TXN_ROWS]


def traffic_array(topology: Topology) -> np.ndarray:
    """The traffic settings the kernel reads; a client id is drawn only when an ip_hash needs one."""
    traffic = np.zeros(k.N_TRAFFIC, dtype=np.float64)
    traffic[k.T_READ_RATIO] = topology.traffic["read_ratio"]
    traffic[k.T_JOB_RATIO] = topology.traffic["job_ratio"]
    # Sums in this order, so that without static files and logins the read/write split is the
    # same floating-point computation as before they existed.
    traffic[k.T_STATIC_TO] = topology.traffic["job_ratio"] + topology.traffic["static_ratio"]
    traffic[k.T_LOGIN_TO] = traffic[k.T_STATIC_TO] + topology.traffic["login_ratio"]
    traffic[k.T_PATTERN] = PATTERN_CODES[topology.traffic["pattern"]]
    traffic[k.T_PEAK], traffic[k.T_PERIOD] = topology.traffic["peak"], topology.traffic["period_s"]
    sticky = any(props.get("algorithm") == "ip_hash" for props in topology.props)
    traffic[k.T_CLIENTS] = topology.traffic["clients"] if sticky or keeps_clients(topology) else 0
    traffic[k.T_JOIN_RATIO] = topology.traffic["join_ratio"]
    traffic[k.T_TXN_RATIO] = topology.traffic["txn_ratio"]
    if "cache" in topology.kinds or topology.replica_sets or topology.shard_groups:
        keys, exponent = topology.traffic["keys"], topology.traffic["zipf"]
        traffic[k.T_KEYS], traffic[k.T_ZIPF] = keys, exponent
        traffic[[k.T_ZIPF_HX1, k.T_ZIPF_HN, k.T_ZIPF_SQUEEZE]] = zipf_params(keys, exponent)
    if "cdn" in topology.kinds:
        files, exponent = topology.traffic["static_files"], topology.traffic["zipf"]
        traffic[k.T_FILES], traffic[k.T_ZIPF] = files, exponent
        traffic[[k.T_FILES_HX1, k.T_FILES_HN, k.T_FILES_SQUEEZE]] = zipf_params(files, exponent)
    return traffic


def cache_settings(topology: Topology) -> tuple[list[int], list[int]]:
    """Capacity and eviction policy of each node (capacity 0: not a cache)."""
    caches = [(props, kind in ("cache", "cdn")) for kind, props in zip(topology.kinds, topology.props)]
    return (
        [props["capacity_keys"] if is_cache else 0 for props, is_cache in caches],
        [POLICY_CODES[props["policy"]] if is_cache else 0 for props, is_cache in caches],
    )


def ring_width(topology: Topology) -> int:
    """Columns of rmeta: a replica set's two, or a shard group's header and ring (engine.kernels SG_*)."""
    points = [len(g.shards) * g.vnodes for g in topology.shard_groups if g.consistent]
    return max(2, k.SG_RING + 2 * max(points, default=0))


def instance_rows(topology: Topology) -> list[int]:
    """Kernel rows each node starts with: one per instance it may run (engine.model.state)."""
    return [
        max(props["instances"], props["max_instances"] if props.get("autoscaling") == "on" else 1)
        if kind == "web_server" else 1
        for kind, props in zip(topology.kinds, topology.props)
    ]  # fmt: skip


def row_nodes(topology: Topology) -> list[int]:
    """The node of each kernel row at the start: every node, then each node's extra instances."""
    rows = instance_rows(topology)
    return list(range(len(rows))) + [node for node, count in enumerate(rows) for _ in range(count - 1)]


def capacity(topology: Topology, row_node: list[int] | None = None) -> int:
    """Request slots: every live request is queued or in service somewhere (routing is instant)."""
    rows = row_nodes(topology) if row_node is None else row_node
    return 16 + sum(topology.props[node].get("queue_limit", 0) + topology.props[node].get("workers", 0)
                    for node in rows)  # fmt: skip


def memory_bytes(topology: Topology) -> int:
    """About how much memory the simulation's arrays take (engine.model.state allocates them)."""
    keys = topology.traffic["keys"]
    capacities, policies = cache_settings(topology)
    queued = sum(topology.props[node].get("queue_limit", 0) for node in row_nodes(topology))
    requests = capacity(topology) * BYTES_PER_REQUEST + 8 * queued
    caches = sum(c * BYTES_PER_CACHE_SLOT + (8 * min(keys, cache.MAX_COUNTERS) if p == cache.P_LFU else 0)
                 for c, p in zip(capacities, policies) if c > 0)  # fmt: skip
    replication = len(topology.replica_sets) * 8 * (min(keys, WRITE_CELLS) + WRITE_RING)
    replication += 8 * (len(topology.replica_sets) + len(topology.shard_groups) + 1) * ring_width(topology)
    sessions = 8 * k.N_SESS * topology.traffic["clients"] if keeps_clients(topology) else 0
    return requests + caches + replication + sessions


def keeps_sessions(topology: Topology) -> bool:
    """Whether any web server keeps users' sessions."""
    return any(props.get("sessions", "none") != "none" for props in topology.props)


def keeps_clients(topology: Topology) -> bool:
    """Whether anything remembers per client: sessions, or a DNS answer each client caches."""
    return keeps_sessions(topology) or "dns" in topology.kinds
