"""Message queues and workers: a queue holds jobs in its FIFO ring (qbuf) until one of the workers
behind it has a free worker; a worker that finishes a job takes the next one from its queue."""

from engine.kernels import trace as story
from engine.kernels.jit import jit
from engine.kernels.layout import (
    C_JOB,
    FAIL_QUEUE_FULL,
    I_BUSY,
    I_QCAP,
    I_QHEAD,
    I_QLEN,
    I_QOFF,
    I_RR,
    I_SUCC0,
    I_SUCC1,
    I_UP,
    I_WORKERS,
    OUT_JOB_QUEUED,
    R_TQ,
    RI_TRACE,
    S_ARR,
    S_DONE,
    S_STARTED,
    S_WAIT,
)
from engine.kernels.serve import _answered, _bump, _fail, _integrate, _ring, _start_service


@jit
def _idle_worker_edge(nint, succ, edge_to, queue):
    """The edge to the next worker node behind `queue`, in turn, that is up and has a free worker."""
    first, last = nint[queue, I_SUCC0], nint[queue, I_SUCC1]
    count = last - first
    for i in range(count):
        edge = succ[first + (nint[queue, I_RR] + i) % count]
        worker = edge_to[edge]
        if nint[worker, I_UP] == 1 and nint[worker, I_BUSY] < nint[worker, I_WORKERS]:
            nint[queue, I_RR] = (nint[queue, I_RR] + i + 1) % count
            return edge
    return -1


@jit
def _hand_over(nint, nflt, nstat, edge_to, eflow, req_i, req_f, heap, scalars, rng, trace, queue, edge, req,
               now):  # fmt: skip
    """A job leaves its queue for a worker, which starts it at once."""
    if req_i[req, RI_TRACE] >= 0:
        story.hand_over(trace, req_f, req_i[req, RI_TRACE], req, queue, edge_to[edge], now)
    _bump(nstat, queue, S_WAIT, now - req_f[req, R_TQ])
    _bump(nstat, queue, S_STARTED, 1.0)
    _bump(nstat, queue, S_DONE, 1.0)
    eflow[0, edge, C_JOB] += 1.0
    worker = edge_to[edge]
    _integrate(nint, nflt, nstat, worker, now)
    _bump(nstat, worker, S_ARR, 1.0)
    req_f[req, R_TQ] = now
    _start_service(nint, nflt, nstat, req_i, req_f, heap, scalars, rng, worker, req, now)


@jit
def _pull(nint, nflt, nstat, succ, edge_to, eflow, req_i, req_f, heap, qbuf, scalars, rng, trace, queue, now):
    """Hand waiting jobs to the queue's free workers, oldest job first."""
    if nint[queue, I_UP] == 0:
        return
    _integrate(nint, nflt, nstat, queue, now)
    while nint[queue, I_QLEN] > 0:
        edge = _idle_worker_edge(nint, succ, edge_to, queue)
        if edge < 0:
            return
        head = nint[queue, I_QHEAD]
        req = qbuf[nint[queue, I_QOFF] + head]
        nint[queue, I_QHEAD] = _ring(head + 1, nint[queue, I_QCAP])
        nint[queue, I_QLEN] -= 1
        _hand_over(nint, nflt, nstat, edge_to, eflow, req_i, req_f, heap, scalars, rng, trace, queue, edge, req,
                   now)  # fmt: skip


@jit
def _enqueue(nint, nflt, nstat, succ, edge_to, eflow, gstat, hist, req_i, req_f, free, heap, qbuf,
             scalars, rng, trace, queue, req, now):  # fmt: skip
    """A producer puts a job in the queue and its user is answered at once; a full queue refuses it."""
    _integrate(nint, nflt, nstat, queue, now)
    _bump(nstat, queue, S_ARR, 1.0)
    edge = _idle_worker_edge(nint, succ, edge_to, queue)
    if edge < 0 and nint[queue, I_QLEN] >= nint[queue, I_QCAP]:
        _fail(nint, nstat, gstat, req_i, req_f, free, scalars, trace, queue, req, FAIL_QUEUE_FULL, now)
        return
    _answered(gstat, hist, req_i, req_f, trace, req, now)
    if req_i[req, RI_TRACE] >= 0:
        story.mark(trace, req_i[req, RI_TRACE], OUT_JOB_QUEUED, nint[queue, I_QLEN], nint[queue, I_QCAP])
    req_f[req, R_TQ] = now
    if edge >= 0:
        _hand_over(nint, nflt, nstat, edge_to, eflow, req_i, req_f, heap, scalars, rng, trace, queue, edge, req,
                   now)  # fmt: skip
        return
    tail = _ring(nint[queue, I_QHEAD] + nint[queue, I_QLEN], nint[queue, I_QCAP])
    qbuf[nint[queue, I_QOFF] + tail] = req
    nint[queue, I_QLEN] += 1


@jit
def _requeue(nint, nflt, nstat, qbuf, queue, req, now):
    """A worker died holding a job it never acknowledged: the queue delivers it again, first in line."""
    if nint[queue, I_UP] == 0 or nint[queue, I_QLEN] >= nint[queue, I_QCAP]:
        return False
    _integrate(nint, nflt, nstat, queue, now)
    head = (nint[queue, I_QHEAD] - 1) % nint[queue, I_QCAP]
    qbuf[nint[queue, I_QOFF] + head] = req
    nint[queue, I_QHEAD] = head
    nint[queue, I_QLEN] += 1
    return True
