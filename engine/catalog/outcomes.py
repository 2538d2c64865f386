"""What can happen to a request: why it failed at a node (counted per node, every request), and what
happened to a sampled request at each hop of its story (engine.readouts.stories). One list for the
kernels (codes by place), the frames and the page."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    name: str
    label: str


# Why a request failed at a node. Frames count each per node (`errors_by_cause`); their sum is the
# node's errors.
FAILURE_CAUSES: tuple[Outcome, ...] = (
    Outcome("queue_full", "Refused: queue full"),
    Outcome("dead", "Sent to a dead node"),
    Outcome("partitioned", "Cut off by a network partition"),
    Outcome("killed", "Held when the node was killed"),
    Outcome("no_server", "No server to send it to"),
    Outcome("no_primary", "Write with no primary"),
    Outcome("hop_limit", "Routing hop limit"),
    Outcome("job_lost", "Job lost"),
    Outcome("queue_shrunk", "Dropped when the queue limit was lowered"),
    Outcome("txn_aborted", "Transaction aborted: a shard was down"),
)

# What happened at one hop of a sampled request. The failure causes come first, in the same order,
# so a hop that failed has its cause's code.
HOP_OUTCOMES: tuple[Outcome, ...] = (
    *FAILURE_CAUSES,
    Outcome("served", "Served"),
    Outcome("routed", "Routed"),
    Outcome("failed_over", "Routed around servers believed down"),
    Outcome("resolved", "DNS answer"),
    Outcome("cache_hit", "Cache hit"),
    Outcome("cache_miss", "Cache miss"),
    Outcome("cdn_hit", "CDN hit"),
    Outcome("cdn_miss", "CDN miss"),
    Outcome("stale_read", "Stale read"),
    Outcome("session_lost", "Session lost"),
    Outcome("job_queued", "Job queued (user answered)"),
    Outcome("requeued", "Job given back to its queue"),
    Outcome("in_flight", "Still there"),
    # Only in stories (engine.readouts.stories): a failure at a dead node the request reached by a
    # DNS answer; counted at that node as "dead".
    Outcome("dns_dead_entry", "Sent by DNS to a dead entry point"),
)

CAUSE_NAMES = tuple(outcome.name for outcome in FAILURE_CAUSES)
HOP_OUTCOME_NAMES = tuple(outcome.name for outcome in HOP_OUTCOMES)
