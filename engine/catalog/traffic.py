"""The traffic settings of a document: how many requests the users send, and of which kinds."""

from engine.catalog.kinds import Prop

TRAFFIC: dict[str, Prop] = {
    "rps": Prop(
        "float", 100.0, "Requests per second the users send on average (Poisson arrivals).", 0, 2_000_000, live=True
    ),
    "pattern": Prop(
        "choice",
        "constant",
        "How the rate changes over time: constant stays at rps; ramp climbs steadily from rps to peak "
        "times rps over period_s, then stays there; spike bursts to peak times rps for the middle tenth "
        "of every period_s; diurnal swings like a day, from rps (night) up to peak times rps (midday) "
        "and back, every period_s.",
        choices=("constant", "ramp", "spike", "diurnal"),
        live=True,
    ),
    "peak": Prop(
        "float", 3.0, "The highest rate of a ramp, spike or diurnal pattern, as a multiple of rps.", 1, 100, live=True
    ),
    "period_s": Prop(
        "float",
        60.0,
        "Seconds a ramp takes to climb, or the length of one spike or diurnal cycle.",
        0.1,
        86_400,
        live=True,
    ),
    "read_ratio": Prop(
        "float", 0.9, "Share of requests that read; the rest write (background jobs aside).", 0, 1, live=True
    ),
    "job_ratio": Prop(
        "float",
        0.0,
        "Share of requests that start a background job (a video to encode, an email to send). A web server "
        "with a message queue puts the job there and answers at once; without one it does the job itself.",
        0,
        1,
        live=True,
    ),
    "static_ratio": Prop(
        "float",
        0.0,
        "Share of requests for static files (images, CSS, JavaScript). They go to a CDN when the users "
        "have one, else to the web server, which serves them itself or from object storage behind it.",
        0,
        1,
        live=True,
    ),
    "login_ratio": Prop(
        "float",
        0.0,
        "Share of requests that log in: the web server starts a new session and reads the user's "
        "account from a database.",
        0,
        1,
        live=True,
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
        live=True,
    ),
    "txn_ratio": Prop(
        "float",
        0.0,
        "Share of writes that are transactions changing two rows at once (money moving between two "
        "accounts). One relational database commits them atomically; across shards, relational shards "
        "use two-phase commit (an extra round, and an abort when a shard is down) and NoSQL shards "
        "write each row on its own.",
        0,
        1,
    ),
    "clients": Prop(
        "int",
        10_000,
        "How many different clients (IP addresses) send the requests; each request comes from one at random.",
        1,
        10_000_000,
        live=True,
    ),
}
