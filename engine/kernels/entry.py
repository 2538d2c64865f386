"""The kernels Python calls. Each names the state arrays it needs as its first parameters, by their
names in STATE_FIELDS; `state_arrays` reads those names, and engine.simulation.state.State.call passes
the arrays."""

import functools
import inspect
import itertools

from engine.kernels import cache
from engine.kernels import trace as story
from engine.kernels.arrivals import _new_request, _next_arrival, _schedule_arrival
from engine.kernels.heap import HP_T, event_node, event_req, heap_event, heap_pop, heap_remove_node
from engine.kernels.jit import jit
from engine.kernels.layout import (
    FAIL_KILLED,
    I_BUSY,
    I_KIND,
    I_QCAP,
    I_QHEAD,
    I_QLEN,
    I_QOFF,
    I_SOURCE,
    I_UP,
    K_CACHE,
    K_QUEUE,
    K_WORKER,
    R_TQ,
    R_TS,
    RI_TRACE,
    S_DONE,
    S_LAT,
    SC_HEAP,
    STATE_FIELDS,
)
from engine.kernels.queues import _pull, _requeue
from engine.kernels.routing import _forward
from engine.kernels.serve import _bump, _drop_job, _fail, _integrate, _start_waiting


@jit
def advance(nint, nflt, nstat, succ, edge_to, eint, eflt, eflow, gstat, hist, req_i, req_f, free, heap, qbuf,
            scalars, rng, traffic, cmeta, cint, cexp, ctab, ccount, rwrite, rring, rmeta, sess, users, trace,
            t_end):  # fmt: skip
    """Process every event before t_end, then bring each node's time integrals up to t_end."""
    events = 0
    arrival_node, arrival_t = _next_arrival(nflt, users)
    while True:
        # A departure at the same time as an arrival goes first.
        departure = scalars[SC_HEAP] > 0 and heap[0, HP_T] <= arrival_t
        now = heap[0, HP_T] if departure else arrival_t
        if now >= t_end:
            break
        events += 1
        if departure:
            slot = heap_pop(heap, scalars)
            event = heap_event(heap, slot)
            node, req = event_node(event), event_req(event)
            _integrate(nint, nflt, nstat, node, now)
            nint[node, I_BUSY] -= 1
            _bump(nstat, node, S_DONE, 1.0)
            _bump(nstat, node, S_LAT, now - req_f[req, R_TQ])
            if req_i[req, RI_TRACE] >= 0:
                story.depart(trace, req_i[req, RI_TRACE], req_f[req, R_TS], now)
        else:
            node = arrival_node
            req = _new_request(nint, nflt, nstat, gstat, req_i, req_f, free, heap, scalars, rng, traffic, sess,
                               node, now)  # fmt: skip
            arrival_node, arrival_t = _next_arrival(nflt, users)
            if req < 0:
                continue
            if story.sampled(scalars):
                story.start(trace, scalars, req_i, req_f, req, now)
        # One call site, so that the whole routing code is inlined once.
        _forward(nint, nflt, nstat, succ, edge_to, eint, eflt, eflow, gstat, hist, req_i, req_f, free,
                 heap, qbuf, scalars, rng, cmeta, cint, cexp, ctab, ccount, rwrite,
                 rring, rmeta, sess, trace, node, req, now)  # fmt: skip
        if departure:
            _start_waiting(nint, nflt, nstat, req_i, req_f, heap, qbuf, scalars, rng, node, now)
    for node in range(nint.shape[0]):
        _integrate(nint, nflt, nstat, node, t_end)
    return events


@jit
def start_waiting(nint, nflt, nstat, req_i, req_f, heap, qbuf, scalars, rng, node, now):
    _start_waiting(nint, nflt, nstat, req_i, req_f, heap, qbuf, scalars, rng, node, now)


@jit
def kill(nint, nflt, nstat, succ, edge_to, eflow, gstat, req_i, req_f, free, heap, qbuf, scalars, rng, cmeta, cint,
         ctab, ccount, trace, node, now):  # fmt: skip
    """The node fails: every request it queued or served fails with it (a queue's jobs are lost; a
    worker's jobs in progress go back to its queue, lost only if it is down or full). Returns how
    many were lost."""
    _integrate(nint, nflt, nstat, node, now)
    kind = nint[node, I_KIND]
    lost = 0
    for i in range(nint[node, I_QLEN]):
        req = qbuf[nint[node, I_QOFF] + (nint[node, I_QHEAD] + i) % nint[node, I_QCAP]]
        if kind == K_QUEUE:
            _drop_job(nint, nstat, req_i, req_f, free, scalars, trace, node, req, now)
        else:
            _fail(nint, nstat, gstat, req_i, req_f, free, scalars, trace, node, req, FAIL_KILLED, now)
        lost += 1
    for i in range(scalars[SC_HEAP]):
        event = heap_event(heap, i)
        if event_node(event) == node:
            req = event_req(event)
            if kind != K_WORKER:
                _fail(nint, nstat, gstat, req_i, req_f, free, scalars, trace, node, req, FAIL_KILLED, now)
                lost += 1
            elif _requeue(nint, nflt, nstat, qbuf, nint[node, I_SOURCE], req, now):
                if req_i[req, RI_TRACE] >= 0:
                    story.requeued(trace, req_f, req_i[req, RI_TRACE], req, nint[node, I_SOURCE], now)
            else:
                _drop_job(nint, nstat, req_i, req_f, free, scalars, trace, node, req, now)
                lost += 1
    heap_remove_node(heap, scalars, node)
    nint[node, I_QLEN] = 0
    nint[node, I_QHEAD] = 0
    nint[node, I_BUSY] = 0
    nint[node, I_UP] = 0
    if kind == K_CACHE:
        cache.clear(cmeta, cint, ctab, ccount, node)
    if kind == K_WORKER:
        # The jobs it gave back may go to the queue's other workers.
        _pull(nint, nflt, nstat, succ, edge_to, eflow, req_i, req_f, heap, qbuf, scalars, rng, trace,
              nint[node, I_SOURCE], now)  # fmt: skip
    return lost


@jit
def pull(nint, nflt, nstat, succ, edge_to, eflow, req_i, req_f, heap, qbuf, scalars, rng, trace, queue, now):
    """Hand a queue's waiting jobs to free workers (after a worker is revived or given more workers)."""
    _pull(nint, nflt, nstat, succ, edge_to, eflow, req_i, req_f, heap, qbuf, scalars, rng, trace, queue, now)


@jit
def schedule_arrivals(nflt, rng, traffic, users, now):
    """(Re)draw each users node's next arrival from `now`; exponential gaps have no memory."""
    for i in range(users.shape[0]):
        _schedule_arrival(nflt, rng, traffic, users[i], now)


@functools.cache
def state_arrays(kernel) -> tuple[str, ...]:
    """The names of the state arrays a kernel of this module takes first (a name of STATE_FIELDS)."""
    parameters = inspect.signature(getattr(kernel, "py_func", kernel)).parameters
    return tuple(itertools.takewhile(lambda name: name in STATE_FIELDS, parameters))
