"""Where a request goes after each node: the one place every hop is decided."""

from engine.kernels import cache
from engine.kernels import trace as story
from engine.kernels.balancing import _entry_rtt, _next_in_turn, _pick_edge, _resolve
from engine.kernels.data import _cdn_hit, _data_edge, _fill_cdn, _next_shard_edge, _replicate, _settle_cache, _web_edge
from engine.kernels.jit import jit
from engine.kernels.layout import (
    C_STATIC,
    C_WRITE,
    COST_TXN,
    EDGE_ABORTED,
    EF_RTT,
    EI_CUT,
    F_TTL,
    F_WRITES,
    FAIL_DEAD,
    FAIL_HOP_LIMIT,
    FAIL_NO_PRIMARY,
    FAIL_NO_SERVER,
    FAIL_PARTITIONED,
    FAIL_TXN_ABORTED,
    G_TXN_COMMITTED,
    I_KIND,
    I_SOURCE,
    I_UP,
    K_CACHE,
    K_CDN,
    K_DB,
    K_DNS,
    K_LB,
    K_QUEUE,
    K_SESSIONS,
    K_USERS,
    K_WEB,
    K_WORKER,
    OUT_CACHE_HIT,
    OUT_CACHE_MISS,
    OUT_CDN_HIT,
    OUT_CDN_MISS,
    OUT_FAILED_OVER,
    OUT_RESOLVED,
    OUT_ROUTED,
    OUT_SESSION_LOST,
    R_T0,
    RI_CLIENT,
    RI_CLS,
    RI_COST,
    RI_FAN,
    RI_KEY,
    RI_TRACE,
    RI_WEB,
    S_ARR,
    S_DONE,
    S_HIT,
    S_MISS,
    S_SESSIONS_LOST,
    SS_SESSION,
)
from engine.kernels.queues import _enqueue, _pull
from engine.kernels.serve import _arrive, _bump, _complete, _fail, _release

# Validation refuses balancers and DNS servers that send to each other in a circle
# (engine.model.validate.check_routing_cycles); should one slip past it, a request that has passed
# this many of them in one go fails where it is, instead of going round for good while the kernel
# holds its thread. No valid topology comes near: a chain of routers is as long as its nodes.
MAX_ROUTING_HOPS = 64


@jit(inline="always")
def _forward(
    nint, nflt, nstat, succ, edge_to, eint, eflt, eflow, gstat, hist, req_i, req_f, free, heap,
    qbuf, scalars, rng, cmeta, cint, cexp, ctab, ccount, rwrite, rring, rmeta, sess, trace, node, req, now,
):  # fmt: skip
    """Send a request on from `node` through any load balancers to its next server, or finish it.
    A sampled request (traced >= 0) also writes what happened into its story (engine.kernels.trace)."""
    traced = req_i[req, RI_TRACE]
    kind = nint[node, I_KIND]
    if kind == K_WEB:
        lost = nstat[0, node, S_SESSIONS_LOST]
        edge = _web_edge(nint, succ, edge_to, nstat, gstat, req_i, req_f, sess, rmeta, node, req)
        if traced >= 0 and nstat[0, node, S_SESSIONS_LOST] > lost:
            story.mark(trace, traced, OUT_SESSION_LOST, -1.0, -1.0)
    elif kind == K_CACHE:
        if cache.get(cmeta, cint, cexp, ctab, ccount, node, req_i[req, RI_KEY], now, nflt[node, F_TTL]):
            _bump(nstat, node, S_HIT, 1.0)
            if traced >= 0:
                story.mark(trace, traced, OUT_CACHE_HIT, req_i[req, RI_KEY], -1.0)
            _complete(gstat, hist, req_i, req_f, free, scalars, trace, req, now)
            return
        _bump(nstat, node, S_MISS, 1.0)
        if traced >= 0:
            story.mark(trace, traced, OUT_CACHE_MISS, req_i[req, RI_KEY], -1.0)
        # The web server that asked goes on to a database itself (cache-aside).
        edge = _data_edge(nint, succ, edge_to, gstat, rmeta, req_i, req_f, req_i[req, RI_WEB], req)
    elif kind == K_DB:
        if req_i[req, RI_CLS] == C_WRITE:
            nflt[node, F_WRITES] += 1.0
            if req_i[req, RI_COST] == COST_TXN and req_i[req, RI_FAN] == 0:
                gstat[0, G_TXN_COMMITTED] += 1.0  # its last row is written: the transaction is whole
        if traced >= 0:
            story.database_read(nint, nflt, rwrite, trace, req_i, traced, node, req, now)
        _replicate(nint, nflt, succ, edge_to, eint, eflow, gstat, req_i, rwrite, rring, rmeta, node, req, now)
        if req_i[req, RI_FAN] > 0:
            edge = _next_shard_edge(nint, succ, edge_to, rmeta, req_i, node, req)
            node, kind = req_i[req, RI_WEB], K_WEB
        else:
            _settle_cache(nint, nflt, req_i, cmeta, cint, cexp, ctab, ccount, req, now)
            edge = -1
    elif kind == K_SESSIONS:
        # The session store has the user's session; the web server carries on with the request.
        if req_i[req, RI_CLIENT] < sess.shape[0]:
            sess[req_i[req, RI_CLIENT], SS_SESSION] = node
        node = req_i[req, RI_WEB]
        edge = _web_edge(nint, succ, edge_to, nstat, gstat, req_i, req_f, sess, rmeta, node, req)
    elif kind == K_CDN:
        if _cdn_hit(nint, nflt, nstat, req_i, cmeta, cint, cexp, ctab, ccount, node, req, now):
            if traced >= 0:
                story.mark(trace, traced, OUT_CDN_HIT, req_i[req, RI_KEY], -1.0)
            _complete(gstat, hist, req_i, req_f, free, scalars, trace, req, now)
            return
        if traced >= 0 and req_i[req, RI_CLS] == C_STATIC:
            story.mark(trace, traced, OUT_CDN_MISS, req_i[req, RI_KEY], -1.0)
        edge = _next_in_turn(nint, succ, node)
    elif kind == K_WORKER:
        # The job is done (its user was answered when it was queued); take the next one.
        _release(free, scalars, req_i, trace, req, now)
        _pull(nint, nflt, nstat, succ, edge_to, eflow, req_i, req_f, heap, qbuf, scalars, rng, trace,
              nint[node, I_SOURCE], now)  # fmt: skip
        return
    else:
        edge = _pick_edge(nint, nflt, succ, edge_to, eint, eflt, req_i, rng, node, req)
    hops = 0
    while True:
        if edge == -2:
            # Databases are there, but none takes it: a write with no primary to write to.
            _fail(nint, nstat, gstat, req_i, req_f, free, scalars, trace, node, req, FAIL_NO_PRIMARY, now)
            return
        if edge < 0:
            if edge == EDGE_ABORTED:
                _fail(nint, nstat, gstat, req_i, req_f, free, scalars, trace, node, req, FAIL_TXN_ABORTED, now)
                return
            if kind == K_USERS or kind == K_LB or kind == K_DNS:  # noqa: SIM109 (plain compares in a kernel)
                _fail(nint, nstat, gstat, req_i, req_f, free, scalars, trace, node, req, FAIL_NO_SERVER, now)
            else:
                if req_i[req, RI_CLS] == C_STATIC:
                    _fill_cdn(nint, nflt, req_i, cmeta, cint, cexp, ctab, ccount, req, now)
                _complete(gstat, hist, req_i, req_f, free, scalars, trace, req, now)
            return
        cls = req_i[req, RI_CLS]
        eflow[0, edge, cls] += 1.0
        # The request and its answer cross the network between the edge's two ends.
        req_f[req, R_T0] -= eflt[edge, EF_RTT]
        target = edge_to[edge]
        if traced >= 0:
            story.open_hop(trace, req_f, traced, req, target, now, eflt[edge, EF_RTT])
        if nint[target, I_UP] == 0 or eint[edge, EI_CUT] == 1:
            _bump(nstat, target, S_ARR, 1.0)
            cause = FAIL_DEAD if nint[target, I_UP] == 0 else FAIL_PARTITIONED
            _fail(nint, nstat, gstat, req_i, req_f, free, scalars, trace, target, req, cause, now)
            return
        target_kind = nint[target, I_KIND]
        if target_kind == K_QUEUE:
            _enqueue(nint, nflt, nstat, succ, edge_to, eflow, gstat, hist, req_i, req_f, free, heap, qbuf,
                     scalars, rng, trace, target, req, now)  # fmt: skip
            return
        if target_kind != K_LB and target_kind != K_DNS:
            _arrive(nint, nflt, nstat, gstat, req_i, req_f, free, heap, qbuf, scalars, rng, trace, target, req,
                    now)  # fmt: skip
            return
        _bump(nstat, target, S_ARR, 1.0)
        hops += 1
        if hops > MAX_ROUTING_HOPS:
            _fail(nint, nstat, gstat, req_i, req_f, free, scalars, trace, target, req, FAIL_HOP_LIMIT, now)
            return
        _bump(nstat, target, S_DONE, 1.0)
        node, kind = target, target_kind
        if kind == K_DNS:
            edge = _resolve(nint, nflt, succ, req_f, req_i, sess, node, req, now)
            if edge >= 0:
                rtt = _entry_rtt(nint, nflt, edge_to, req_i, edge, req)
                req_f[req, R_T0] -= rtt
                if traced >= 0:
                    story.add_rtt(trace, traced, rtt)
            if traced >= 0:
                story.routed(nint, succ, edge_to, eint, trace, traced, node, edge, OUT_RESOLVED, OUT_RESOLVED)
        else:
            edge = _pick_edge(nint, nflt, succ, edge_to, eint, eflt, req_i, rng, node, req)
            if traced >= 0:
                story.routed(nint, succ, edge_to, eint, trace, traced, node, edge, OUT_ROUTED, OUT_FAILED_OVER)
