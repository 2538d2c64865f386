"""Stories of sampled requests: where each one went, how long it waited and was served at each hop,
and what happened there.

Requests are sampled by their sequence numbers (the count of requests offered before each), never
by a random draw, so tracing changes no other number of the run: the gap from one sampled request
to the next is drawn from a hash of the first's number, uniform from 1 to 2 x SC_TRACE_EVERY - 1,
so the requests between pay one comparison each. Each sampled request holds a
row of `trace` until it is done; engine.readouts.stories turns done rows into JSON and frees them.

trace[TS, TRACE_WIDTH] float64 per row: the header (TR_*), then MAX_HOPS hops of HOP_WIDTH columns
(H_*): the node's kernel row, when the request reached it, when its service there started and
ended (NaN: never), the network round trip added on the edge into it, the hop's outcome
(engine.catalog.outcomes.HOP_OUTCOMES) and two numbers that explain it (see the outcome's writer
below). A story longer than MAX_HOPS keeps its first hops and its last one, and counts the hops it
lost in TR_LOST.
"""

import math

from engine.kernels.jit import jit
from engine.kernels.layout import (
    EI_HEALTHY,
    F_CUT_FROM,
    F_CUT_TO,
    F_LAG,
    I_QCAP,
    I_ROLE,
    I_SET,
    I_SUCC0,
    I_SUCC1,
    I_WORKERS,
    OUT_IN_FLIGHT,
    OUT_JOB_QUEUED,
    OUT_REQUEUED,
    OUT_SERVED,
    OUT_STALE_READ,
    R_T0,
    R_TS,
    RI_CLIENT,
    RI_CLS,
    RI_FROM,
    RI_KEY,
    RI_TRACE,
    ROLE_REPLICA,
    SC_SEQ,
    SC_TRACE_EVERY,
    SC_TRACE_LEFT,
    SC_TRACE_NEXT,
)
from engine.kernels.rng import mix64

# Header columns: the row's state, the request's sequence number (its story's id), when it left its
# users (s), class, users row, client and key; when it was answered (NaN: not), when it was done, its
# end-to-end latency (s, network included) when answered or failed, its failure cause (-1: none),
# hops written and hops lost
TR_STATE, TR_SEQ, TR_T0, TR_CLS, TR_FROM, TR_CLIENT, TR_KEY = range(7)
TR_ANSWERED, TR_END, TR_LATENCY, TR_CAUSE, TR_HOPS, TR_LOST = range(7, 13)
N_HEADER = 13
MAX_HOPS = 24
H_NODE, H_ARRIVE, H_START, H_END, H_RTT, H_OUTCOME, H_A, H_B = range(8)
HOP_WIDTH = 8
TRACE_WIDTH = N_HEADER + MAX_HOPS * HOP_WIDTH
# Row states
FREE, ACTIVE, DONE = 0.0, 1.0, 2.0
# Added to the sequence number before hashing, so that the sample does not follow another choice
# made by a hash of small integers
TRACE_SALT = 3 << 40


@jit(inline="always")
def sampled(scalars):
    """Whether the request just offered (number scalars[SC_SEQ]) is in the sample."""
    return scalars[SC_SEQ] == scalars[SC_TRACE_NEXT]


@jit
def start(trace, scalars, req_i, req_f, req, now):
    """Give the sampled request a free row, if one is free (else it goes untraced), and choose the
    next request to sample while the step's budget lasts."""
    seq = scalars[SC_SEQ]
    scalars[SC_TRACE_NEXT] = -1
    if scalars[SC_TRACE_LEFT] > 1:
        scalars[SC_TRACE_NEXT] = seq + 1 + mix64(seq + TRACE_SALT) % (2 * scalars[SC_TRACE_EVERY] - 1)
    for row in range(trace.shape[0]):
        if trace[row, TR_STATE] == FREE:
            break
    else:
        return
    scalars[SC_TRACE_LEFT] -= 1
    req_i[req, RI_TRACE] = row
    trace[row, :N_HEADER] = math.nan
    trace[row, TR_STATE] = ACTIVE
    trace[row, TR_SEQ] = seq
    trace[row, TR_T0] = req_f[req, R_T0]
    trace[row, TR_CLS] = req_i[req, RI_CLS]
    trace[row, TR_FROM] = req_i[req, RI_FROM]
    trace[row, TR_CLIENT] = req_i[req, RI_CLIENT]
    trace[row, TR_KEY] = req_i[req, RI_KEY]
    trace[row, TR_CAUSE] = -1.0
    trace[row, TR_HOPS] = 0.0
    trace[row, TR_LOST] = 0.0


@jit(inline="always")
def _hop(row, i):
    return N_HEADER + i * HOP_WIDTH


@jit
def current(trace, row):
    """Where the row's newest hop starts, or -1 before its first."""
    hops = int(trace[row, TR_HOPS])
    return _hop(row, hops - 1) if hops > 0 else -1


@jit
def open_hop(trace, req_f, row, req, node, now, rtt):
    """The request reaches `node` now, across `rtt` seconds of network."""
    hops = int(trace[row, TR_HOPS])
    if hops == MAX_HOPS:
        trace[row, TR_LOST] += 1.0
        hops -= 1
    h = _hop(row, hops)
    trace[row, TR_HOPS] = hops + 1
    trace[row, h + H_NODE] = node
    trace[row, h + H_ARRIVE] = now
    trace[row, h + H_START] = math.nan
    trace[row, h + H_END] = math.nan
    trace[row, h + H_RTT] = rtt
    trace[row, h + H_OUTCOME] = OUT_IN_FLIGHT
    trace[row, h + H_A] = math.nan
    trace[row, h + H_B] = math.nan
    # Not started here yet (a request killed while queued was never served).
    req_f[req, R_TS] = -1.0


@jit
def mark(trace, row, outcome, a, b):
    """What happened at the newest hop, with its two numbers."""
    h = current(trace, row)
    if h >= 0:
        trace[row, h + H_OUTCOME] = outcome
        trace[row, h + H_A] = a
        trace[row, h + H_B] = b


@jit
def add_rtt(trace, row, rtt):
    """More network time on the newest hop (a DNS's answer: the users talk to the entry point)."""
    h = current(trace, row)
    if h >= 0:
        trace[row, h + H_RTT] += rtt


@jit
def depart(trace, row, started, now):
    """The request leaves the newest hop's server, served from `started` to now."""
    h = current(trace, row)
    if h >= 0:
        trace[row, h + H_START] = started
        trace[row, h + H_END] = now
        trace[row, h + H_OUTCOME] = OUT_SERVED


@jit
def routed(nint, succ, edge_to, eint, trace, row, node, edge, outcome_up, outcome_around):
    """A balancer's or DNS's hop: a = the node it sent the request to, b = how many of the nodes
    behind it it believed down (routed around them when b > 0)."""
    down = 0
    for i in range(nint[node, I_SUCC0], nint[node, I_SUCC1]):
        down += eint[succ[i], EI_HEALTHY] == 0
    h = current(trace, row)
    if h >= 0:
        trace[row, h + H_START] = trace[row, h + H_ARRIVE]
        trace[row, h + H_END] = trace[row, h + H_ARRIVE]
    mark(trace, row, outcome_around if down > 0 else outcome_up, edge_to[edge] if edge >= 0 else -1, down)


@jit
def database_read(nint, nflt, rwrite, trace, req_i, row, node, req, now):
    """A replica's read: a = its lag (s); a stale read has b = how long ago (s) the primary
    committed the write the replica has not got yet."""
    if nint[node, I_SET] < 0 or nint[node, I_ROLE] != ROLE_REPLICA or req_i[req, RI_CLS] != 0:
        return
    written = rwrite[nint[node, I_SET], req_i[req, RI_KEY] % rwrite.shape[1]]
    shipped = written
    if written >= nflt[node, F_CUT_FROM]:
        shipped = max(written, nflt[node, F_CUT_TO])
    if now < shipped + nflt[node, F_LAG]:
        mark(trace, row, OUT_STALE_READ, nflt[node, F_LAG], now - written)
    else:
        mark(trace, row, OUT_SERVED, nflt[node, F_LAG], math.nan)


@jit
def answered(trace, row, req_f, req, now):
    trace[row, TR_ANSWERED] = now
    trace[row, TR_LATENCY] = now - req_f[req, R_T0]


@jit
def failed(nint, trace, req_f, row, node, req, cause, now):
    """The request fails at `node`: its hop there ends now with the cause; a refusal by a full queue
    has a = the queue limit and b = the workers."""
    h = current(trace, row)
    if h < 0 or trace[row, h + H_NODE] != node:
        open_hop(trace, req_f, row, req, node, now, 0.0)
        h = current(trace, row)
    started = req_f[req, R_TS]
    if started >= 0.0 and math.isnan(trace[row, h + H_START]):
        trace[row, h + H_START] = started  # killed in service
    trace[row, h + H_END] = now
    trace[row, h + H_OUTCOME] = cause
    trace[row, h + H_A] = nint[node, I_QCAP]
    trace[row, h + H_B] = nint[node, I_WORKERS]
    trace[row, TR_CAUSE] = cause
    if math.isnan(trace[row, TR_ANSWERED]):
        trace[row, TR_LATENCY] = now - req_f[req, R_T0]
    done(trace, row, now)


@jit
def done(trace, row, now):
    """The request's slot is free: its story is told (engine.readouts.stories reads it)."""
    trace[row, TR_END] = now
    trace[row, TR_STATE] = DONE


@jit
def hand_over(trace, req_f, row, req, queue, worker, now):
    """A job leaves its queue for a worker (its user was answered when it was queued)."""
    h = current(trace, row)
    if h >= 0 and trace[row, h + H_NODE] == queue:
        trace[row, h + H_START] = now
        trace[row, h + H_END] = now
        trace[row, h + H_OUTCOME] = OUT_JOB_QUEUED
    open_hop(trace, req_f, row, req, worker, now, 0.0)


@jit
def requeued(trace, req_f, row, req, queue, now):
    """A dying worker gives its job back to the front of its queue."""
    h = current(trace, row)
    if h >= 0:
        trace[row, h + H_START] = req_f[req, R_TS]
        trace[row, h + H_END] = now
        trace[row, h + H_OUTCOME] = OUT_REQUEUED
    open_hop(trace, req_f, row, req, queue, now, 0.0)
