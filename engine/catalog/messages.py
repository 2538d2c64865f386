"""The event log's sentences, as English templates with named params.

The engine stays English and Django-free: an event carries its template and params as well as the
English sentence, and each page translates the template into its own language (djangojs.po has
the Korean of every template here). A live class's students may read different languages, so the
server cannot translate for them.

Every upper-case string of this module is a template; `announce` in simulation.py takes one of
them. Placeholders are Python format fields: `{name}`, or `{name:g}` (a number without useless
zeros) and `{name:,.0f}` (a whole number with thousands separators); the browser's i18n.js fills
in the same three forms.
"""

import re

KILLED = "{target} was killed; the {lost} requests it held failed."
KILLED_INSTANCE = (
    "Instance {instance} of {target} was killed; the {lost} requests it held failed, and {running} instances go on."
)
KILLED_SESSIONS = (
    "{target} was killed; the {lost} requests it held failed; {sessions} users lost their sessions and "
    "must log in again."
)
KILLED_QUEUE = "{target} was killed; the {lost} jobs it held were lost."
KILLED_WORKER = "{target} was killed; {returned} jobs it was doing went back to {queue}, {lost} were lost."
REVIVED = "{target} is back up and serving."
REVIVED_PRIMARY = "{target} is back up; it is still the primary, so writes work again."
REVIVED_REPLICA = "{target} is back up, as a replica of {primary}."
SLOW_NORMAL = "{target} is back to its normal speed."
SLOWED = "{target} slowed down: each request it starts takes {factor:g}x as long."
SPED_UP = "{target} sped up: each request it starts takes {factor:g}x as long."
TABLE_LOCKED = (
    "ALTER TABLE on {target}: the table is locked for {seconds:g} s, and every write to it waits for the lock."
)
LOCK_RELEASED = "The schema change on {target} is done: its lock is released and writes go on."
SCHEMALESS = "{target} is schemaless (NoSQL): the new field is simply written with the next rows, no lock."
SPIKE = "Traffic spikes to {factor:g}x ({rps:,.0f} rps) for {seconds:g} s."
SPIKE_END = "The spike is over: traffic is back to {rps:,.0f} rps."
SCALED = "{target} scaled from {before} to {workers} workers."
RESIZED = (
    "{target} moved from a {before} to a {size} machine: {speedup:g}x the speed for {cost:g}x the cost "
    "(${monthly:,.0f} a month)."
)
SCALED_OUT = "{target} scales out from {before} to {after} instances; the new ones boot for {boot_s:g} s."
SCALED_IN = "{target} scales in from {before} to {after} instances; the ones leaving finish their requests first."
SCALED_SAME = "{target} already runs {after} instances."
INSTANCES_UP = "{target} now runs {running} instances: {added} more finished booting."
AUTOSCALED_OUT = (
    "{target} autoscaling: instances {before} -> {after} (utilisation {util:g}%, target {goal:g}%); the new "
    "ones boot for {boot_s:g} s."
)
AUTOSCALED_IN = (
    "{target} autoscaling: instances {before} -> {after} (utilisation {util:g}%, target {goal:g}%); the one "
    "leaving finishes its requests first."
)
HEALTH_REMOVED = "{balancer} removed {target} after a failed health check."
HEALTH_BACK = "{balancer} put {target} back after a passed health check."
PRIMARY_DOWN = "{target} was the primary: writes fail until a replica is promoted in {delay:g} s."
NO_REPLICA_TO_PROMOTE = "No replica of {target} is up to promote; writes keep failing."
PROMOTED = (
    "{target} was promoted to primary after {delay:g} s; {lost} writes {old} had not yet replicated to it were lost."
)

SHARD_ADDED = (
    "{target} joined shard group {group} as shard {shards} of {shards}; {moved:,.0f} of {keys:,.0f} keys "
    "({percent:g}%) moved, and the caches forgot them."
)
SHARD_NOT_SPARE = "{target} is not a spare shard: nothing changed."
HOT_KEY = "Key 0 turned hot: {percent:g}% of all requests now ask for it."
HOT_KEY_SHARD = "Key 0 turned hot: {percent:g}% of all requests now ask for it; shard {shard} holds it."
HOT_KEY_OFF = "Key 0 is no longer hot: requests spread over the keys again."
BAD_WRITE = (
    "A bad write deleted {deleted:,.0f} rows ({percent:g}%) on {target}; replication copies it to {replicas} "
    "within its lag."
)
BAD_WRITE_ALONE = (
    "A bad write deleted {deleted:,.0f} rows ({percent:g}%) on {target}; it has no replica (which would copy "
    "it anyway)."
)
BAD_WRITE_REPLICA = (
    "The bad write reached replica {target} after {lag:g} ms: {deleted:,.0f} rows deleted there too. A replica "
    "is not a backup."
)
RESTORED = (
    "{target} was restored from {backup}'s snapshot of t = {at:g} s: {restored:,.0f} rows are back; the "
    "{lost:,.0f} writes made after that snapshot are lost."
)
NO_SNAPSHOT = "{target} has no snapshot to restore from: nothing changed."
DC_DOWN = "Data center {target} went down, and with it {nodes}."
DC_DOWN_EMPTY = "Data center {target} went down; nothing was in it."
DC_UP = "Data center {target} is back up, and with it {nodes}."
DC_UP_EMPTY = "Data center {target} is back up; nothing is in it."
PARTITIONED = (
    "The network between {target} and {other} is cut: requests between them fail and replication between them stops."
)
HEALED = "The network between {target} and {other} works again; replication catches up."
FAILING_QUEUE_FULL = "{target} refuses requests: its queue is full (limit {limit}); {rate:g} a second fail there."
FAILING_DEAD = "Requests are still sent to {target}, which is down: {rate:g} a second fail there."
FAILING_PARTITIONED = "Requests to {target} cross a network partition and fail: {rate:g} a second."
FAILING_NO_SERVER = "{target} has no server it believes up to send requests to: {rate:g} a second fail there."
FAILING_NO_PRIMARY = "{target} has no primary database to write to: {rate:g} writes a second fail there."
FAILING_HOP_LIMIT = "Requests at {target} went round too many balancers and were dropped: {rate:g} a second."
FAILURES_ENDED = "{target} no longer fails requests: {count:,.0f} failed there over {seconds:g} s."
DNS_ANSWER = "{dns} now answers {users} with {entry}; clients keep their old answer for up to {ttl:g} s."

TEMPLATES: frozenset[str] = frozenset(
    value for name, value in dict(globals()).items() if name.isupper() and isinstance(value, str)
)

# The params of a template that name a choice of the catalog (a machine size, ...) rather than a node
# or a number: an event carries them as `choices`, and each page shows them by the choice's label in
# its language (the catalog's choice_labels), so that a Korean sentence does not read "small에서".
CHOICE_PARAMS: dict[str, tuple[str, ...]] = {RESIZED: ("before", "size")}

# Design findings (engine.analysis). {kind} is a kind's label from the catalog ("Load balancer"),
# which each page shows in its own language; {name} is the node's id in quotes.
FINDING_UNREACHABLE = "{kind} {name} gets no requests: nothing connects users to it."
FINDING_DEAD_END = "{kind} {name} has no servers behind it: every request to it fails."
FINDING_SPOF = "{kind} {name} is a single point of failure: if it dies, no request can be served."
FINDING_CACHE_WITHOUT_DATABASE = (
    "Cache {name} has no database behind it: a miss has nowhere to read from, so it is never filled. "
    "Connect the web servers that use it to a database."
)
FINDING_SESSION_STORE_SPOF = (
    "Session store {name} is a single point of failure: if it dies, every session is lost and the "
    "requests that need one fail."
)
FINDING_NO_REPLICA = "Database {name} has no replica: if it dies, the data is unreachable."
FINDING_NO_BACKUP = (
    "Database {name} has no backup: a bad write (a DELETE without WHERE) would destroy its data for good, "
    "because its replicas copy the bad write too. Connect it to a backup."
)
FINDING_SHARD_WITHOUT_REPLICA = (
    "Shard {name} of {group} has no replica: if it dies, the keys it holds cannot be read or written, "
    "while the other shards carry on."
)
FINDING_MODULO_SHARDING = (
    "Shard group {group} places keys by modulo: adding a shard will move most keys. Consistent hashing "
    "moves only the keys the new shard takes over."
)
FINDING_DATA_CENTER_SPOF = (
    "Data center {name} is a single point of failure: everything that serves requests is in it, so if it "
    "goes down (a power cut, a flood), nothing is served. Add a second data center in another region, "
    "with a DNS in front."
)

# The placeholder forms a template may use (the browser understands exactly these).
PLACEHOLDER = re.compile(r"\{(\w+)(:g|:,\.0f)?\}")


def placeholders(template: str) -> set[str]:
    """The placeholders of a template, with their format: {"target", "factor:g", ...}."""
    return {name + (spec or "") for name, spec in PLACEHOLDER.findall(template)}


def render(template: str, params: dict) -> str:
    """The English sentence of a template."""
    return template.format(**params)
