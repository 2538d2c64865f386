"""The single table of kinds, props, traffic settings and live actions.

The validator, the compiler and the browser (through `catalog_json`) all read this table, so a
prop's default, range and meaning are written once.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Prop:
    type: str  # "int", "float", "choice" or "str"
    default: object
    meaning: str
    min: float | None = None
    max: float | None = None
    choices: tuple[str, ...] = ()
    max_length: int = 80

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


DISTRIBUTIONS = ("exponential", "constant", "lognormal")
# The most instances one web server may run (horizontal scaling).
MAX_INSTANCES = 50
# Kinds that queue requests and serve them with workers.
SERVER_KINDS = ("web_server", "database", "cache", "worker", "session_store", "cdn", "object_store")
ALGORITHMS = ("round_robin", "least_connections", "random", "two_choices", "ip_hash", "weighted")


@dataclass(frozen=True)
class Size:
    """A machine size for vertical scaling: its cores, how much faster it serves a request than the
    smallest, and what it costs a month (US dollars, about a cloud's on-demand price)."""

    cores: int
    speed: float
    monthly_usd: float


# Each size doubles the cores and the price. Speed follows Amdahl's law with 90% of a request's
# work able to use more cores: 1 / (0.1 + 0.9 / cores). So each doubling buys less (x1.82, x1.69,
# x1.53, x1.36) and no machine, however big, is more than 10 times the smallest: the ceiling of
# vertical scaling, before the biggest size on sale stops it altogether.
PARALLEL_SHARE = 0.9


def amdahl(cores: int) -> float:
    return 1.0 / ((1.0 - PARALLEL_SHARE) + PARALLEL_SHARE / cores)


SIZES: dict[str, Size] = {
    name: Size(cores, amdahl(cores), 20.0 * cores)
    for name, cores in (("small", 1), ("medium", 2), ("large", 4), ("xlarge", 8), ("2xlarge", 16))
}


# Regions a users group or a data center can be in, and the round-trip time between them in
# milliseconds: rough medians of public inter-region pings between cloud regions (Virginia, Oregon,
# Ireland, Frankfurt, Seoul, Singapore, Sao Paulo). Two places in the same region are
# SAME_REGION_RTT_MS apart; two nodes in the same data center, 0.
REGIONS = ("us-east", "us-west", "eu-west", "eu-central", "ap-northeast", "ap-southeast", "sa-east")
SAME_REGION_RTT_MS = 1.0
_RTT_ROWS = {
    "us-east": (65, 75, 90, 180, 220, 115),
    "us-west": (135, 150, 125, 165, 175),
    "eu-west": (25, 230, 175, 180),
    "eu-central": (230, 160, 200),
    "ap-northeast": (70, 290),
    "ap-southeast": (325,),
}


def region_rtt_ms(a: str, b: str) -> float:
    """Round-trip time between two regions, in milliseconds (the table above)."""
    if a == b:
        return SAME_REGION_RTT_MS
    i, j = sorted((REGIONS.index(a), REGIONS.index(b)))
    return float(_RTT_ROWS[REGIONS[i]][j - i - 1])


def server_props(workers: int, service_ms: float, worker_meaning: str) -> dict[str, Prop]:
    """Props shared by every kind that queues requests and serves them with parallel workers."""
    return {
        "workers": Prop("int", workers, worker_meaning, 1, 1024),
        "service_ms": Prop("float", service_ms, "Mean time to serve one request, in milliseconds.", 0.01, 60000),
        "service_dist": Prop(
            "choice",
            "exponential",
            "How service times vary around the mean: exponential (very variable), constant, or "
            "lognormal (set its spread with service_cv).",
            choices=DISTRIBUTIONS,
        ),
        "service_cv": Prop("float", 1.0, "Spread of lognormal service times: standard deviation over mean.", 0.05, 10),
        "queue_limit": Prop(
            "int",
            1000,
            "Requests that may wait in the queue; more than that are refused as errors.",
            0,
            100000,
        ),
        "size": Prop(
            "choice",
            "small",
            "The machine it runs on (vertical scaling): each size up has twice the cores and costs twice as "
            "much, but serves requests less than twice as fast (1x, 1.8x, 3.1x, 4.7x, 6.4x for small to "
            "2xlarge); no size is more than 10x the smallest.",
            choices=tuple(SIZES),
        ),
    }


# A database's data model and sharding (engine.sharding; docs/engine.md, "Sharding" and "Data models").
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
            "share": Prop("float", 1.0, "This group's share of the traffic, relative to other user groups.", 0, 1),
        },
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
            ),
            "health_check_s": Prop(
                "float",
                0.0,
                "Seconds between health checks. A server that dies keeps getting (failing) requests until "
                "the next check finds it down; a revived one gets none until a check finds it up. "
                "0 checks all the time: the balancer knows at once.",
                0,
                300,
            ),
        },
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
            ),
            "boot_s": Prop(
                "float",
                10.0,
                "Seconds a new instance takes to boot before the load balancer sends it requests "
                "(a real virtual machine takes one to a few minutes).",
                0,
                600,
            ),
            "autoscaling": Prop(
                "choice",
                "off",
                "on lets an autoscaling policy change the number of instances: every 5 s it compares the "
                "instances' utilisation with target_util, adds instances at once when they are too busy "
                "and removes one at a time, only after 15 s of too little work.",
                choices=("off", "on"),
            ),
            "min_instances": Prop("int", 1, "The fewest instances autoscaling keeps.", 1, MAX_INSTANCES),
            "max_instances": Prop("int", 10, "The most instances autoscaling runs.", 1, MAX_INSTANCES),
            "target_util": Prop(
                "float",
                0.6,
                "The utilisation autoscaling aims for: lower keeps more room for bursts and costs more.",
                0.1,
                0.95,
            ),
        },
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
            ),
            "replication": Prop(
                "choice",
                "async",
                "For a primary: async answers a write at once and ships it to the replicas after; sync "
                "answers only when every replica has it (slower writes, no stale reads, nothing lost).",
                choices=("async", "sync"),
            ),
            "failover_s": Prop(
                "float",
                10.0,
                "For a primary: seconds until its death is noticed and a replica is promoted. Writes fail "
                "meanwhile; with async replication, writes the replica had not received yet are lost.",
                0,
                3600,
            ),
            **server_props(16, 5, "Connections: queries run at the same time."),
            **DATA_PROPS,
        },
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
            ),
            "ttl_s": Prop(
                "float",
                60.0,
                "Seconds a client keeps an answer before it asks again (the record's time to live).",
                0,
                86_400,
            ),
            "record": Prop(
                "str",
                "",
                "The id of the entry point the record names, set by hand; empty lets routing choose.",
                max_length=40,
            ),
        },
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
            ),
            "write_policy": Prop(
                "choice",
                "invalidate",
                "What a write does to the cache after the database took it: invalidate deletes the key, so "
                "the next read misses and reads the new value; write_through puts the new value in the "
                "cache, so the next read hits (every write costs a cache update).",
                choices=("invalidate", "write_through"),
            ),
            **server_props(8, 0.5, "Parallel lookups: requests served at the same time."),
        },
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
    ),
    "object_store": Kind(
        "Object storage",
        True,
        "Stores files such as images, videos, CSS and JavaScript (an S3, say) and serves them: the "
        "origin of a CDN, or where web servers send static files.",
        server_props(64, 20.0, "Requests served at the same time."),
    ),
    "session_store": Kind(
        "Session store",
        True,
        "Keeps users' sessions outside the web servers (a Redis, say), so any web server can serve any "
        "user. Web servers with sessions set to store read it on every request; if it dies, every session "
        "is lost and those requests fail.",
        server_props(8, 0.5, "Parallel lookups: requests served at the same time."),
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
            ),
        },
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
    ),
    "data_center": Kind(
        "Data center",
        True,
        "A building in a region; the nodes drawn inside it share its fate: when it goes down, everything "
        "in it goes down. Requests between nodes in different regions take the round trip between them.",
        {"region": Prop("choice", "us-east", "The region the data center is in.", choices=REGIONS)},
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
    ),
}

TRAFFIC: dict[str, Prop] = {
    "rps": Prop("float", 100.0, "Requests per second the users send on average (Poisson arrivals).", 0, 2_000_000),
    "pattern": Prop(
        "choice",
        "constant",
        "How the rate changes over time: constant stays at rps; ramp climbs steadily from rps to peak "
        "times rps over period_s, then stays there; spike bursts to peak times rps for the middle tenth "
        "of every period_s; diurnal swings like a day, from rps (night) up to peak times rps (midday) "
        "and back, every period_s.",
        choices=("constant", "ramp", "spike", "diurnal"),
    ),
    "peak": Prop("float", 3.0, "The highest rate of a ramp, spike or diurnal pattern, as a multiple of rps.", 1, 100),
    "period_s": Prop(
        "float",
        60.0,
        "Seconds a ramp takes to climb, or the length of one spike or diurnal cycle.",
        0.1,
        86_400,
    ),
    "read_ratio": Prop("float", 0.9, "Share of requests that read; the rest write (background jobs aside).", 0, 1),
    "job_ratio": Prop(
        "float",
        0.0,
        "Share of requests that start a background job (a video to encode, an email to send). A web server "
        "with a message queue puts the job there and answers at once; without one it does the job itself.",
        0,
        1,
    ),
    "static_ratio": Prop(
        "float",
        0.0,
        "Share of requests for static files (images, CSS, JavaScript). They go to a CDN when the users "
        "have one, else to the web server, which serves them itself or from object storage behind it.",
        0,
        1,
    ),
    "login_ratio": Prop(
        "float",
        0.0,
        "Share of requests that log in: the web server starts a new session and reads the user's "
        "account from a database.",
        0,
        1,
    ),
    "static_files": Prop(
        "int",
        1_000,
        "How many distinct static files there are; their popularity follows zipf like the keys'.",
        1,
        10_000_000,
    ),
    "keys": Prop("int", 100_000, "How many distinct data items the requests touch.", 1, 100_000_000),
    "zipf": Prop("float", 0.9, "How concentrated popularity is: 0 is uniform, higher makes a few keys hot.", 0, 3),
    "join_ratio": Prop(
        "float",
        0.0,
        "Share of reads that join data from several tables (a post with its author and comments). On "
        "sharded data that is not denormalised, such a read must ask every shard.",
        0,
        1,
    ),
    "clients": Prop(
        "int",
        10_000,
        "How many different clients (IP addresses) send the requests; each request comes from one at random.",
        1,
        10_000_000,
    ),
}


@dataclass(frozen=True)
class Action:
    label: str
    meaning: str
    needs_target: bool = True
    # Kinds the action applies to; empty means every kind but users.
    targets: tuple[str, ...] = ()
    # Settings sent along with the action, such as {"action": "slow", "target": "db", "factor": 5}.
    params: dict[str, Prop] = field(default_factory=dict)
    # Params with no default (None) are each optional, but at least one must be given.
    at_least_one: bool = False
    # What the target must be besides its kind (docs/protocol.md, Catalog): the editor offers the
    # action only where each holds; Simulation.act refuses it elsewhere, with the reason.
    requires: tuple[str, ...] = ()


ACTIONS: dict[str, Action] = {
    "kill": Action("Kill", "The node fails: what it held is lost and it serves nothing until revived."),
    "revive": Action("Revive", "The node comes back, empty, and serves again."),
    "slow": Action(
        "Slow down",
        "The server gets slower (a noisy neighbour, a bad deploy, a full disk): every request it starts "
        "from now takes factor times as long. Factor 1 brings it back to normal.",
        targets=SERVER_KINDS,
        params={"factor": Prop("float", 5.0, "How many times longer each request takes; 1 is normal.", 0.1, 100)},
    ),
    "spike": Action(
        "Traffic spike",
        "Every user group sends factor times as many requests for a while (a sale, a viral post), "
        "then traffic goes back to normal. A new spike replaces the one running.",
        needs_target=False,
        params={
            "factor": Prop("float", 5.0, "How many times the normal traffic the users send.", 0.1, 100),
            "seconds": Prop("float", 30.0, "How long the spike lasts, in simulated seconds.", 0.1, 86_400),
        },
    ),
    "hot_key": Action(
        "Hot key",
        "One key turns hot (a celebrity posts): share of all requests now ask for key 0, and the shard "
        "holding it gets all of them. Share 0 ends it.",
        needs_target=False,
        params={"share": Prop("float", 0.5, "Part of all requests that ask for the hot key.", 0, 1)},
    ),
    "add_shard": Action(
        "Add shard",
        "A spare shard joins its shard group: the keys it takes over move to it (counted in keys_moved), "
        "and the caches forget the moved keys, so they miss once.",
        targets=("database",),
        requires=("spare_shard",),
    ),
    "bad_write": Action(
        "Bad write",
        "A destructive write on the primary, such as a DELETE without WHERE: it deletes share of the rows, "
        "and replication copies it to every replica after its lag, as it copies every write.",
        targets=("database",),
        params={"share": Prop("float", 1.0, "Part of the rows the bad write deletes.", 0.01, 1)},
        requires=("takes_writes",),
    ),
    "restore": Action(
        "Restore",
        "Bring the database (and its replicas) back to the newest snapshot of its backup: what was "
        "written after that snapshot is lost.",
        targets=("database", "backup"),
        requires=("backed_up",),
    ),
    "partition": Action(
        "Partition",
        "The network between two data centers breaks: requests between them fail and replication between "
        "them stops (replicas there fall behind) until heal.",
        targets=("data_center",),
        params={"other": Prop("str", "", "The other data center.", max_length=40)},
    ),
    "heal": Action(
        "Heal partition",
        "The network between two data centers works again; replication catches up after its lag.",
        targets=("data_center",),
        params={"other": Prop("str", "", "The other data center.", max_length=40)},
    ),
    "scale": Action(
        "Scale",
        "Scale the server: more (or fewer) workers, a bigger (or smaller) machine (size: vertical "
        "scaling), or more (or fewer) identical instances behind the load balancer (instances: "
        "horizontal scaling). Give one or more of them. Requests already waiting stay in the queue.",
        targets=SERVER_KINDS,
        params={
            "workers": Prop("int", None, "The server's new number of workers.", 1, 1024),
            "size": Prop("choice", None, "The server's new machine size.", choices=tuple(SIZES)),
            "instances": Prop(
                "int", None, "A web server's new number of instances behind its load balancer.", 1, MAX_INSTANCES
            ),
        },
        at_least_one=True,
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


def catalog_json() -> dict:
    """The catalog of docs/protocol.md: kinds with their props, traffic settings and actions."""
    # The props a running simulation can change are listed beside the code that changes them;
    # imported here rather than at the top because simulation.py imports this module.
    from engine.simulation import LIVE_PROPS, LIVE_TRAFFIC

    return {
        "kinds": {
            name: {
                "label": kind.label,
                "simulated": kind.simulated,
                "meaning": kind.meaning,
                "props": {
                    prop_name: {**prop.to_json(), "live": prop_name in LIVE_PROPS}
                    for prop_name, prop in kind.props.items()
                },
                "connects_to": list(ALLOWED_TARGETS[name]) if name in ALLOWED_TARGETS else None,
            }
            for name, kind in KINDS.items()
        },
        "traffic": {name: {**prop.to_json(), "live": name in LIVE_TRAFFIC} for name, prop in TRAFFIC.items()},
        "regions": {
            "names": list(REGIONS),
            "rtt_ms": [[region_rtt_ms(a, b) for b in REGIONS] for a in REGIONS],
        },
        "actions": {
            name: {
                "label": action.label,
                "meaning": action.meaning,
                "needs_target": action.needs_target,
                "at_least_one": action.at_least_one,
                "targets": list(action.targets) or None,
                "requires": list(action.requires),
                "params": {param: prop.to_json() for param, prop in action.params.items()},
            }
            for name, action in ACTIONS.items()
        },
    }
