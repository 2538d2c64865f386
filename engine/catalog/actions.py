"""Live actions: what a user (or a scenario) can do to a running simulation."""

from dataclasses import dataclass, field

from engine.catalog.kinds import MAX_INSTANCES, SERVER_KINDS, Prop
from engine.catalog.world import SIZES


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


@dataclass(frozen=True)
class Requirement:
    meaning: str


# What an action's target may have to be, besides its kind: Simulation.met says which nodes meet
# each one now, and Simulation.act refuses an action whose target does not, with the reason.
REQUIREMENTS: dict[str, Requirement] = {
    "takes_writes": Requirement("A database that is a primary now: a replica takes no writes."),
    "spare_shard": Requirement("A spare shard of a shard group, not yet added to it."),
    "backed_up": Requirement("A backup, or a database whose data a backup copies (its own or its replica set's)."),
    "pooled": Requirement("A web server running more than one instance now."),
}


ACTIONS: dict[str, Action] = {
    "kill": Action("Kill", "The node fails: what it held is lost and it serves nothing until revived."),
    "revive": Action("Revive", "The node comes back, empty, and serves again."),
    "kill_instance": Action(
        "Kill one instance",
        "One instance of the web server's pool fails (one machine of an autoscaling group): what it held "
        "is lost; the others go on, and the load balancer stops sending to it at its next health check.",
        targets=("web_server",),
        params={
            "instance": Prop(
                "int", 1, "Which instance, counted from 1 in the order the pool shows them.", 1, MAX_INSTANCES
            )
        },  # fmt: skip
        requires=("pooled",),
    ),
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
    "alter_table": Action(
        "Change schema",
        "ALTER TABLE on the database (add a column to a big table): a relational database locks the "
        "table while it rewrites it, so every write waits until the lock is released (the wait is "
        "counted as lock_wait_ms). A NoSQL store has no schema: new fields go with the next rows, no lock.",
        targets=("database",),
        params={"seconds": Prop("float", 20.0, "How long the ALTER holds the table's lock.", 0.1, 3_600)},
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
