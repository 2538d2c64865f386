"""The kinds of node, their props, and which kinds may send requests to which.

The validator, the compiler and the browser (through `catalog_json`) all read the catalog, so a
prop's default, range and meaning are written once.
"""

from dataclasses import dataclass, field

from engine.catalog.world import REGIONS, SIZES


@dataclass(frozen=True)
class Prop:
    type: str  # "int", "float", "choice" or "str"
    default: object
    meaning: str
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()
    max_length: int = 80
    # Whether a running simulation can change it (Simulation.set); the others need a new run.
    live: bool = False

    def to_json(self) -> dict:
        out = {"type": self.type, "default": self.default, "meaning": self.meaning}
        if self.type in ("int", "float"):
            out.update(min=self.min, max=self.max)
        if self.type == "choice":
            out["choices"] = list(self.choices)
        if self.type == "str":
            out["max_length"] = self.max_length
        return out


@dataclass(frozen=True)
class Kind:
    label: str
    simulated: bool
    meaning: str
    props: dict[str, Prop] = field(default_factory=dict)
    # New nodes of the kind are named after it: lb1, lb2, ...
    id_prefix: str = field(kw_only=True)


DISTRIBUTIONS = ("exponential", "constant", "lognormal")
# The most instances one web server may run (horizontal scaling).
MAX_INSTANCES = 50
# Kinds that queue requests and serve them with workers.
SERVER_KINDS = ("web_server", "database", "cache", "worker", "session_store", "cdn", "object_store")
ALGORITHMS = ("round_robin", "least_connections", "random", "two_choices", "ip_hash", "weighted")


def server_props(workers: int, service_ms: float, worker_meaning: str) -> dict[str, Prop]:
    """Props shared by every kind that queues requests and serves them with parallel workers."""
    return {
        "workers": Prop("int", workers, worker_meaning, 1, 1024, live=True),
        "service_ms": Prop(
            "float", service_ms, "Mean time to serve one request, in milliseconds.", 0.01, 60000, live=True
        ),
        "service_dist": Prop(
            "choice",
            "exponential",
            "How service times vary around the mean: exponential (very variable), constant, or "
            "lognormal (set its spread with service_cv).",
            choices=DISTRIBUTIONS,
            live=True,
        ),
        "service_cv": Prop(
            "float", 1.0, "Spread of lognormal service times: standard deviation over mean.", 0.05, 10, live=True
        ),
        "queue_limit": Prop(
            "int",
            1000,
            "Requests that may wait in the queue; more than that are refused as errors.",
            0,
            100000,
            live=True,
        ),
        "size": Prop(
            "choice",
            "small",
            "The machine it runs on (vertical scaling): each size up has twice the cores and costs twice as "
            "much, but serves requests less than twice as fast (1x, 1.8x, 3.1x, 4.7x, 6.4x for small to "
            "2xlarge); no size is more than 10x the smallest.",
            choices=tuple(SIZES),
            live=True,
        ),
    }


# A database's data model and sharding (engine.simulation.sharding; docs/engine.md, "Sharding" and "Data models").
DATA_PROPS: dict[str, Prop] = {
    "model": Prop(
        "choice",
        "relational",
        "relational (SQL tables, joined by the database) or nosql (a key-value or document store): a "
        "NoSQL lookup by key takes half of service_ms, but it has no joins, so the application fetches "
        "the pieces of a join itself (3 lookups); a relational join takes 3 times service_ms.",
        choices=("relational", "nosql"),
    ),
    "denormalized": Prop(
        "choice",
        "no",
        "yes keeps copies of what reads would join inside each row (denormalised): a join read costs "
        "a plain read and never needs another shard, but every write costs twice as much (it updates "
        "the copies too).",
        choices=("no", "yes"),
    ),
    "twopc_ms": Prop(
        "float",
        4.0,
        "Relational shards: the extra round two-phase commit adds to a transaction across shards (ask "
        "every shard to prepare, wait for their votes, then commit), in ms. NoSQL shards have no "
        "cross-shard transactions, so no such round.",
        0,
        1000,
    ),
    "shard_group": Prop(
        "str",
        "",
        "Name of the shard group this primary belongs to; primaries with the same name split the data "
        "between them by the key (sharding), and their replicas copy their shard. Empty: not sharded.",
        max_length=40,
    ),
    "shard_state": Prop(
        "choice",
        "active",
        "active holds its part of the keys; spare is drawn but holds nothing until add_shard makes it join.",
        choices=("active", "spare"),
    ),
    "sharding": Prop(
        "choice",
        "consistent",
        "How the shard group places keys: modulo puts hash(key) mod (number of shards), so adding a "
        "shard moves most keys; consistent puts each shard at vnodes points on a hash ring and a key on "
        "the next point round it, so adding a shard moves only the keys the new one takes over.",
        choices=("modulo", "consistent"),
    ),
    "vnodes": Prop(
        "int",
        100,
        "Virtual nodes: points each shard has on the consistent-hashing ring. More points spread keys more evenly.",
        1,
        1000,
    ),
}

KINDS: dict[str, Kind] = {
    "users": Kind(
        "Users",
        True,
        "People sending requests: they arrive at random (Poisson) at the traffic's rate.",
        {
            "region": Prop(
                "choice",
                "us-east",
                "Where these users are. Requests to a data center in another region take the round trip "
                "between the regions longer; a geo DNS sends them to the nearest data center.",
                choices=REGIONS,
            ),
            "share": Prop(
                "float", 1.0, "This group's share of the traffic, relative to other user groups.", 0, 1, live=True
            ),
        },
        id_prefix="users",
    ),
    "load_balancer": Kind(
        "Load balancer",
        True,
        "Spreads requests over the servers behind it and stops sending to a server its health check finds down.",
        {
            "algorithm": Prop(
                "choice",
                "round_robin",
                "How the next server is picked: round_robin takes turns; weighted takes turns in proportion "
                "to each web server's weight; random picks any; least_connections picks the one with the "
                "fewest requests in hand; two_choices picks two at random and sends to the less busy; "
                "ip_hash keeps each client on the same server (sticky).",
                choices=ALGORITHMS,
                live=True,
            ),
            "health_check_s": Prop(
                "float",
                0.0,
                "Seconds between health checks. A server that dies keeps getting (failing) requests until "
                "the next check finds it down; a revived one gets none until a check finds it up. "
                "0 checks all the time: the balancer knows at once.",
                0,
                300,
                live=True,
            ),
        },
        id_prefix="lb",
    ),
    "web_server": Kind(
        "Web server",
        True,
        "Runs the application: queues requests and serves them with parallel workers.",
        {
            **server_props(4, 20, "Parallel servers: requests served at the same time."),
            "weight": Prop(
                "int",
                1,
                "Share of traffic a weighted load balancer sends here, relative to the other servers' weights.",
                1,
                1000,
                live=True,
            ),
            "sessions": Prop(
                "choice",
                "none",
                "Where users' login sessions live: none (a stateless app); local (in this server's memory: a "
                "user whose next request lands on another server, or whose server dies, is logged out); store "
                "(in the session store behind it, which every web server reads, at the cost of a visit).",
                choices=("none", "local", "store"),
            ),
            "instances": Prop(
                "int",
                1,
                "Identical copies of this web server (horizontal scaling), each its own machine with its own "
                "workers and queue; the load balancer in front spreads requests over them. New ones take "
                "boot_s to start.",
                1,
                MAX_INSTANCES,
                live=True,
            ),
            "boot_s": Prop(
                "float",
                10.0,
                "Seconds a new instance takes to boot before the load balancer sends it requests "
                "(a real virtual machine takes one to a few minutes).",
                0,
                600,
                live=True,
            ),
            "autoscaling": Prop(
                "choice",
                "off",
                "on lets an autoscaling policy change the number of instances: every 5 s it compares the "
                "instances' utilisation with target_util, adds instances at once when they are too busy "
                "and removes one at a time, only after 15 s of too little work.",
                choices=("off", "on"),
                live=True,
            ),
            "min_instances": Prop("int", 1, "The fewest instances autoscaling keeps.", 1, MAX_INSTANCES, live=True),
            "max_instances": Prop("int", 10, "The most instances autoscaling runs.", 1, MAX_INSTANCES, live=True),
            "target_util": Prop(
                "float",
                0.6,
                "The utilisation autoscaling aims for: lower keeps more room for bursts and costs more.",
                0.1,
                0.95,
                live=True,
            ),
        },
        id_prefix="web",
    ),
    "database": Kind(
        "Database",
        True,
        "Stores the data: every read and write from the web tier is a query it serves. Connect a "
        "primary to its replicas to replicate: web servers then read from replicas and write to the primary.",
        {
            "role": Prop(
                "choice",
                "primary",
                "primary takes writes; a replica is a copy that serves reads.",
                choices=("primary", "replica"),
            ),
            "lag_ms": Prop(
                "float",
                100.0,
                "How long a write takes to reach this replica, in milliseconds. A read here within that "
                "time of a write to the same key gets the old value (a stale read).",
                0,
                600_000,
                live=True,
            ),
            "replication": Prop(
                "choice",
                "async",
                "For a primary: async answers a write at once and ships it to the replicas after; sync "
                "answers only when every replica has it (slower writes, no stale reads, nothing lost).",
                choices=("async", "sync"),
                live=True,
            ),
            "failover_s": Prop(
                "float",
                10.0,
                "For a primary: seconds until its death is noticed and a replica is promoted. Writes fail "
                "meanwhile; with async replication, writes the replica had not received yet are lost.",
                0,
                3600,
                live=True,
            ),
            **server_props(16, 5, "Connections: queries run at the same time."),
            **DATA_PROPS,
        },
        id_prefix="db",
    ),
    "dns": Kind(
        "DNS",
        True,
        "Turns the domain name into the address of an entry point (a load balancer, a web server or a "
        "CDN). Clients keep its answer for ttl_s seconds: after the record changes, they go on using the "
        "old address until their copy expires.",
        {
            "routing": Prop(
                "choice",
                "failover",
                "Which entry point the record names: failover the first one connected that is up (the next "
                "one when it dies); geo, for each group of users, the nearest one that is up.",
                choices=("failover", "geo"),
                live=True,
            ),
            "ttl_s": Prop(
                "float",
                60.0,
                "Seconds a client keeps an answer before it asks again (the record's time to live).",
                0,
                86_400,
                live=True,
            ),
            "record": Prop(
                "str",
                "",
                "The id of the entry point the record names, set by hand; empty lets routing choose.",
                max_length=40,
                live=True,
            ),
        },
        id_prefix="dns",
    ),
    "cache": Kind(
        "Cache",
        True,
        "Keeps popular answers in memory beside the database (cache-aside): a web server asks it first "
        "for a read; a hit returns at once, a miss reads the database and fills the cache; a write "
        "goes to the database and then deletes the key from the cache, or updates it (write-through).",
        {
            "capacity_keys": Prop("int", 10_000, "How many keys fit in the cache.", 1, 1_000_000),
            "policy": Prop(
                "choice",
                "lru",
                "Which key leaves when the cache is full: lru the least recently used, lfu the least "
                "often used, fifo the oldest.",
                choices=("lru", "lfu", "fifo"),
            ),
            "ttl_s": Prop(
                "float",
                300.0,
                "Seconds a key stays after it is filled; after that it is a miss and is read again. "
                "0 keeps keys until they are evicted or invalidated.",
                0,
                86_400,
                live=True,
            ),
            "write_policy": Prop(
                "choice",
                "invalidate",
                "What a write does to the cache after the database took it: invalidate deletes the key, so "
                "the next read misses and reads the new value; write_through puts the new value in the "
                "cache, so the next read hits (every write costs a cache update).",
                choices=("invalidate", "write_through"),
                live=True,
            ),
            **server_props(8, 0.5, "Parallel lookups: requests served at the same time."),
        },
        id_prefix="cache",
    ),
    "cdn": Kind(
        "CDN",
        True,
        "An edge server near users that keeps copies of static files (images, CSS, JavaScript). A hit is "
        "served from the edge; a miss is fetched from the origin behind it (object storage or a web "
        "server), kept for ttl_s and served. Put one CDN node in each region: users get static files from "
        "the nearest one that is up. Other requests pass through to the origin.",
        {
            "capacity_keys": Prop("int", 1_000, "How many files the edge keeps.", 1, 1_000_000),
            "ttl_s": Prop(
                "float",
                3_600.0,
                "Seconds a file stays at the edge after it was fetched; then it is fetched again. 0 keeps "
                "files until they are evicted.",
                0,
                86_400,
                live=True,
            ),
            "policy": Prop(
                "choice",
                "lru",
                "Which file leaves when the edge is full: lru the least recently used, lfu the least often "
                "used, fifo the oldest.",
                choices=("lru", "lfu", "fifo"),
            ),
            **server_props(64, 1.0, "Requests served at the same time."),
        },
        id_prefix="cdn",
    ),
    "object_store": Kind(
        "Object storage",
        True,
        "Stores files such as images, videos, CSS and JavaScript (an S3, say) and serves them: the "
        "origin of a CDN, or where web servers send static files.",
        server_props(64, 20.0, "Requests served at the same time."),
        id_prefix="store",
    ),
    "session_store": Kind(
        "Session store",
        True,
        "Keeps users' sessions outside the web servers (a Redis, say), so any web server can serve any "
        "user. Web servers with sessions set to store read it on every request; if it dies, every session "
        "is lost and those requests fail.",
        server_props(8, 0.5, "Parallel lookups: requests served at the same time."),
        id_prefix="sessions",
    ),
    "message_queue": Kind(
        "Message queue",
        True,
        "Holds background jobs until workers take them, oldest first. A web server puts a job in it and "
        "answers its user at once; nothing it holds is lost while it lives.",
        {
            "queue_limit": Prop(
                "int",
                100_000,
                "Jobs the queue can hold; when it is full, a new job is refused and its request fails.",
                0,
                1_000_000,
                live=True,
            ),
        },
        id_prefix="mq",
    ),
    "worker": Kind(
        "Worker",
        True,
        "Takes jobs from its message queue and does them, one per worker at a time. A worker that dies "
        "gives its unfinished jobs back to the queue.",
        {
            name: prop
            for name, prop in server_props(4, 200, "Jobs done at the same time.").items()
            if name != "queue_limit"
        },
        id_prefix="worker",
    ),
    "data_center": Kind(
        "Data center",
        True,
        "A building in a region; the nodes drawn inside it share its fate: when it goes down, everything "
        "in it goes down. Requests between nodes in different regions take the round trip between them.",
        {"region": Prop("choice", "us-east", "The region the data center is in.", choices=REGIONS)},
        id_prefix="dc",
    ),
    "backup": Kind(
        "Backup",
        True,
        "Takes a snapshot of the database connected to it every interval_s, from the start. restore "
        "brings back the newest snapshot, losing only what was written after it. (A replica is no "
        "backup: it copies a bad write too.)",
        {
            "interval_s": Prop(
                "float", 60.0, "Seconds between snapshots (the first is taken at the start).", 1, 86_400
            ),
        },
        id_prefix="backup",
    ),
}


# Edges that make sense in this version: which kinds a kind may send requests to.
ALLOWED_TARGETS: dict[str, tuple[str, ...]] = {
    "users": ("load_balancer", "web_server", "dns", "cdn"),
    "dns": ("load_balancer", "web_server", "cdn"),
    "cdn": ("object_store", "web_server", "load_balancer"),
    "object_store": (),
    "data_center": (),
    "load_balancer": ("load_balancer", "web_server"),
    "web_server": ("database", "cache", "message_queue", "session_store", "object_store"),
    "database": ("database", "backup"),
    "cache": (),
    "message_queue": ("worker",),
    "worker": (),
    "session_store": (),
    "backup": (),
}
