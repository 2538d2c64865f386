"""A request at one node: queueing, service, failing, answering, and the latency histogram's bins."""

import math

import numpy as np

from engine.kernels import trace as story
from engine.kernels.heap import heap_push
from engine.kernels.jit import jit
from engine.kernels.layout import (
    BINS,
    D_CONST,
    D_LOGNORMAL,
    F_COST,
    F_LAST,
    F_LOCK_UNTIL,
    F_MEAN,
    F_MU,
    F_SIGMA,
    F_SLOW,
    F_WRITE_WAIT,
    FAIL_JOB_LOST,
    FAIL_QUEUE_FULL,
    G_COMPLETED,
    G_ERRORS,
    G_LATENCY,
    I_BUSY,
    I_DIST,
    I_QCAP,
    I_QHEAD,
    I_QLEN,
    I_QOFF,
    I_WORKERS,
    LATENCY_EDGES_MS,
    R_T0,
    R_TQ,
    R_TS,
    RI_CLS,
    RI_COST,
    RI_TRACE,
    S_ARR,
    S_BUSY,
    S_CAUSE,
    S_DROP,
    S_LOCK_WAIT,
    S_LOCKED,
    S_QINT,
    S_STARTED,
    S_WAIT,
    SC_FREE_TOP,
)
from engine.kernels.rng import exponential, standard_normal

# Every answered request takes a bin, and libm's log10 took 15% of the M/M/c bench. Instead, a
# float's exponent and top 8 bits of mantissa (its bits shifted right by 44, which orders positive
# floats as their values) name a cell of 1/256 of an octave, narrower than a bin; a table gives the
# bin where each cell starts, and one comparison with the next edge settles it.
_CELL_SHIFT = 44


_CELL_FIRST = int(np.float64(LATENCY_EDGES_MS[1]).view(np.int64) >> _CELL_SHIFT)


def _cell_bins() -> np.ndarray:
    last = int(np.float64(LATENCY_EDGES_MS[BINS - 1]).view(np.int64) >> _CELL_SHIFT)
    starts = (np.arange(_CELL_FIRST, last + 1, dtype=np.int64) << _CELL_SHIFT).view(np.float64)
    return (np.searchsorted(LATENCY_EDGES_MS, starts, "right") - 1).astype(np.int16)


_CELL_BINS = _cell_bins()


@jit
def latency_bin(ms):
    """The histogram bin of a latency in milliseconds."""
    edges = LATENCY_EDGES_MS
    if ms < edges[1]:
        return 0
    if ms >= edges[BINS - 1]:
        return BINS - 1
    # Unsigned indices: numba then skips its check for negative ones.
    index = np.uint64(_CELL_BINS[np.uint64((np.float64(ms).view(np.int64) >> _CELL_SHIFT) - _CELL_FIRST)])
    return int(index) + (ms >= edges[index + np.uint64(1)])


@jit(inline="always")
def _bump(nstat, node, column, value):
    nstat[0, node, column] += value


@jit(inline="always")
def _integrate(nint, nflt, nstat, node, now):
    """Add busy workers and queue length times the time since the node last changed."""
    elapsed = now - nflt[node, F_LAST]
    if elapsed > 0.0:
        _bump(nstat, node, S_BUSY, elapsed * nint[node, I_BUSY])
        _bump(nstat, node, S_QINT, elapsed * nint[node, I_QLEN])
    nflt[node, F_LAST] = now


@jit(inline="always")
def _service_time(nint, nflt, node, rng):
    dist = nint[node, I_DIST]
    if dist == D_CONST:
        base = nflt[node, F_MEAN]
    elif dist == D_LOGNORMAL:
        base = math.exp(nflt[node, F_MU] + nflt[node, F_SIGMA] * standard_normal(rng))
    else:
        base = exponential(rng, nflt[node, F_MEAN])
    return base * nflt[node, F_SLOW]


@jit(inline="always")
def _fail(nint, nstat, gstat, req_i, req_f, free, scalars, trace, node, req, cause, now):
    """The request fails at `node` for `cause` (FAIL_*), counted there."""
    _bump(nstat, node, S_DROP, 1.0)
    _bump(nstat, node, S_CAUSE + cause, 1.0)
    gstat[0, G_ERRORS] += 1.0
    if req_i[req, RI_TRACE] >= 0:
        story.failed(nint, trace, req_f, req_i[req, RI_TRACE], node, req, cause, now)
    free[scalars[SC_FREE_TOP]] = req
    scalars[SC_FREE_TOP] += 1


@jit(inline="always")
def _start_service(nint, nflt, nstat, req_i, req_f, heap, scalars, rng, node, req, now):
    nint[node, I_BUSY] += 1
    _bump(nstat, node, S_WAIT, now - req_f[req, R_TQ])
    _bump(nstat, node, S_STARTED, 1.0)
    req_f[req, R_TS] = now
    service = _service_time(nint, nflt, node, rng) * nflt[node, F_COST + req_i[req, RI_COST]]
    if req_i[req, RI_CLS] == 1:
        if nflt[node, F_WRITE_WAIT] > 0.0:
            # A synchronous primary's worker holds the write until its replicas acknowledge it.
            service += nflt[node, F_WRITE_WAIT]
        if now < nflt[node, F_LOCK_UNTIL]:
            # A schema change holds the table's lock: the write waits for it, and its connection
            # (a worker) waits with it, as a blocked connection does.
            wait = nflt[node, F_LOCK_UNTIL] - now
            service += wait
            _bump(nstat, node, S_LOCK_WAIT, wait)
            _bump(nstat, node, S_LOCKED, 1.0)
    heap_push(heap, scalars, now + service, node, req)


@jit(inline="always")
def _turn(nint, node, pointer, count):
    """Whose turn it is among `count` (from 0), kept in nint column `pointer`, which moves on. The
    pointer is below count but when the count shrank since: a 64-bit division (%) costs more than
    the rest of a pick, so it is done only then."""
    n = nint[node, pointer]
    if n >= count:
        n %= count
    nint[node, pointer] = n + 1 if n + 1 < count else 0
    return n


@jit(inline="always")
def _ring(i, places):
    """A place from 0 to 2 places - 1 wrapped round a ring of `places` (a queue's buffer)."""
    return i - places if i >= places else i


@jit(inline="always")
def _arrive(nint, nflt, nstat, gstat, req_i, req_f, free, heap, qbuf, scalars, rng, trace, node, req, now):
    """A request reaches a server: it starts at once, waits in the queue, or is refused."""
    _integrate(nint, nflt, nstat, node, now)
    _bump(nstat, node, S_ARR, 1.0)
    req_f[req, R_TQ] = now
    if nint[node, I_BUSY] < nint[node, I_WORKERS]:
        _start_service(nint, nflt, nstat, req_i, req_f, heap, scalars, rng, node, req, now)
    elif nint[node, I_QLEN] < nint[node, I_QCAP]:
        tail = _ring(nint[node, I_QHEAD] + nint[node, I_QLEN], nint[node, I_QCAP])
        qbuf[nint[node, I_QOFF] + tail] = req
        nint[node, I_QLEN] += 1
    else:
        _fail(nint, nstat, gstat, req_i, req_f, free, scalars, trace, node, req, FAIL_QUEUE_FULL, now)


@jit(inline="always")
def _in_hand(nint, target):
    return nint[target, I_BUSY] + nint[target, I_QLEN]


@jit(inline="always")
def _answered(gstat, hist, req_i, req_f, trace, req, now):
    """The user has the answer: count the request and its end-to-end latency."""
    if req_i[req, RI_TRACE] >= 0:
        story.answered(trace, req_i[req, RI_TRACE], req_f, req, now)
    latency = now - req_f[req, R_T0]
    gstat[0, G_COMPLETED] += 1.0
    gstat[0, G_LATENCY] += latency
    b = latency_bin(latency * 1000.0)
    cls = req_i[req, RI_CLS]
    hist[0, cls, b] += 1.0


@jit(inline="always")
def _release(free, scalars, req_i, trace, req, now):
    if req_i[req, RI_TRACE] >= 0:
        story.done(trace, req_i[req, RI_TRACE], now)
    free[scalars[SC_FREE_TOP]] = req
    scalars[SC_FREE_TOP] += 1


@jit(inline="always")
def _complete(gstat, hist, req_i, req_f, free, scalars, trace, req, now):
    _answered(gstat, hist, req_i, req_f, trace, req, now)
    _release(free, scalars, req_i, trace, req, now)


@jit(inline="always")
def _drop_job(nint, nstat, req_i, req_f, free, scalars, trace, node, req, now):
    """A job is lost (its queue or worker died with nowhere to put it); its user was answered long ago."""
    _bump(nstat, node, S_DROP, 1.0)
    _bump(nstat, node, S_CAUSE + FAIL_JOB_LOST, 1.0)
    if req_i[req, RI_TRACE] >= 0:
        story.failed(nint, trace, req_f, req_i[req, RI_TRACE], node, req, FAIL_JOB_LOST, now)
    free[scalars[SC_FREE_TOP]] = req
    scalars[SC_FREE_TOP] += 1


@jit(inline="always")
def _start_waiting(nint, nflt, nstat, req_i, req_f, heap, qbuf, scalars, rng, node, now):
    """Start queued requests while the node has idle workers (after a departure or more workers)."""
    _integrate(nint, nflt, nstat, node, now)
    while nint[node, I_QLEN] > 0 and nint[node, I_BUSY] < nint[node, I_WORKERS]:
        head = nint[node, I_QHEAD]
        req = qbuf[nint[node, I_QOFF] + head]
        nint[node, I_QHEAD] = _ring(head + 1, nint[node, I_QCAP])
        nint[node, I_QLEN] -= 1
        _start_service(nint, nflt, nstat, req_i, req_f, heap, scalars, rng, node, req, now)
