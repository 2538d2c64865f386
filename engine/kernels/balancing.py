"""Choosing the next edge: load-balancing algorithms, the users' DNS and CDN answers."""

from engine.kernels.jit import jit
from engine.kernels.layout import (
    A_IP_HASH,
    A_LEAST,
    A_RANDOM,
    A_TWO_CHOICES,
    A_WEIGHTED,
    C_STATIC,
    EF_WEIGHT,
    EI_HEALTHY,
    F_RTT,
    F_TTL,
    F_WEIGHT,
    I_ALGO,
    I_ANSWER,
    I_CDN_ANSWER,
    I_KIND,
    I_REGION,
    I_ROUTED,
    I_RR,
    I_SUCC0,
    I_SUCC1,
    K_CDN,
    K_LB,
    RI_CLIENT,
    RI_CLS,
    RI_FROM,
    SS_DNS,
    SS_DNS_UNTIL,
)
from engine.kernels.rng import mix64, uniform
from engine.kernels.serve import _in_hand, _turn


@jit(inline="always")
def _nth_healthy(succ, eint, first, count, n):
    """The n-th (from 0) edge of a successor range that its load balancer believes is up."""
    for i in range(count):
        edge = succ[first + i]
        if eint[edge, EI_HEALTHY] == 1:
            if n == 0:
                return edge
            n -= 1
    return -1


@jit
def _least_loaded(nint, succ, edge_to, eint, first, count, offset):
    best, best_load = -1, 1 << 62
    for i in range(count):
        edge = succ[first + (offset + i) % count]
        load = _in_hand(nint, edge_to[edge])
        if eint[edge, EI_HEALTHY] == 1 and load < best_load:
            best, best_load = edge, load
    return best


@jit
def _two_choices(nint, succ, edge_to, eint, rng, first, count):
    """Power of two choices: two distinct healthy servers at random, the one with fewer in hand."""
    healthy = 0
    for i in range(count):
        healthy += eint[succ[first + i], EI_HEALTHY]
    if healthy <= 1:
        return _nth_healthy(succ, eint, first, count, 0)
    a = int(uniform(rng) * healthy)
    b = int(uniform(rng) * (healthy - 1))
    if b >= a:
        b += 1
    edge_a = _nth_healthy(succ, eint, first, count, a)
    edge_b = _nth_healthy(succ, eint, first, count, b)
    if _in_hand(nint, edge_to[edge_b]) < _in_hand(nint, edge_to[edge_a]):
        return edge_b
    return edge_a


@jit
def _smooth_weighted(nflt, succ, edge_to, eint, eflt, first, count):
    """nginx's smooth weighted round robin: every healthy server gains its weight, the richest is
    picked and pays the total back. Over sum(weights) picks each server gets exactly its weight."""
    best, total = -1, 0.0
    for i in range(count):
        edge = succ[first + i]
        if eint[edge, EI_HEALTHY] == 1:
            weight = nflt[edge_to[edge], F_WEIGHT]
            eflt[edge, EF_WEIGHT] += weight
            total += weight
            if best < 0 or eflt[edge, EF_WEIGHT] > eflt[best, EF_WEIGHT]:
                best = edge
    if best >= 0:
        eflt[best, EF_WEIGHT] -= total
    return best


@jit
def _leaves(nint, succ, node, edge):
    """Whether `edge` goes out of `node`. Edges are numbered in the document's order, and succ
    groups them by source, so an edge's number says nothing about where its source's range is."""
    if edge < 0:
        return False
    for i in range(nint[node, I_SUCC0], nint[node, I_SUCC1]):  # noqa: SIM110 (numba: no generators)
        if succ[i] == edge:
            return True
    return False


@jit
def _users_edge(nint, succ, edge_to, req_i, node, req):
    """Users with a CDN: static files go to the CDN edge engine.simulation.geo chose for them (the nearest
    that is up); everything else takes turns over their other edges (a DNS, a load balancer)."""
    first, last = nint[node, I_SUCC0], nint[node, I_SUCC1]
    cdn = nint[node, I_CDN_ANSWER]
    if req_i[req, RI_CLS] == C_STATIC and _leaves(nint, succ, node, cdn):
        return cdn
    count = 0
    for i in range(first, last):
        count += nint[edge_to[succ[i]], I_KIND] != K_CDN
    if count == 0:
        # Only CDNs: they pass what they do not cache on to their origin.
        return succ[first + _turn(nint, node, I_RR, last - first)]
    n = _turn(nint, node, I_RR, count)
    for i in range(first, last):
        if nint[edge_to[succ[i]], I_KIND] != K_CDN:
            if n == 0:
                return succ[i]
            n -= 1
    return -1


@jit
def _resolve(nint, nflt, succ, req_f, req_i, sess, node, req, now):
    """A DNS answers a client with an entry point's edge. A static file's name resolves to the CDN
    engine.simulation.geo chose for the users (not cached here: CDNs answer with short TTLs). Otherwise a client
    keeps the answer it was given for the DNS's ttl_s, even if the record has changed since (the old
    address may be dead); when it expires, it asks again and gets the record as it is now (kept per
    users group in I_ANSWER by engine.simulation.geo). The round trip from the users to the entry point is
    added to the latency."""
    origin = req_i[req, RI_FROM]
    cdn = nint[origin, I_CDN_ANSWER]
    if req_i[req, RI_CLS] == C_STATIC and _leaves(nint, succ, node, cdn):
        edge = cdn
    else:
        edge = nint[origin, I_ANSWER]
        client = req_i[req, RI_CLIENT]
        if client < sess.shape[0]:
            now_us = int(now * 1e6)
            cached = sess[client, SS_DNS]
            if now_us < sess[client, SS_DNS_UNTIL] and _leaves(nint, succ, node, cached):
                edge = cached
            else:
                sess[client, SS_DNS] = edge
                sess[client, SS_DNS_UNTIL] = now_us + int(nflt[node, F_TTL] * 1e6)
    return edge


@jit
def _entry_rtt(nint, nflt, edge_to, req_i, edge, req):
    """Round trip between the users a request came from and the entry point a DNS sent it to."""
    region = nint[edge_to[edge], I_REGION]
    if region < 0:
        return 0.0
    return nflt[req_i[req, RI_FROM], F_RTT + region]


@jit(inline="always")
def _pick_edge(nint, nflt, succ, edge_to, eint, eflt, req_i, rng, node, req):
    """The edge a request leaves `node` by, or -1 when no successor will take it.

    Load balancers send only to servers their health checks believe are up (eint); other nodes
    do not know, and send anyway."""
    first, last = nint[node, I_SUCC0], nint[node, I_SUCC1]
    count = last - first
    if count == 0:
        return -1
    if nint[node, I_ROUTED] == 1:
        return _users_edge(nint, succ, edge_to, req_i, node, req)
    if nint[node, I_KIND] != K_LB:
        return succ[first + _turn(nint, node, I_RR, count)]
    algo = nint[node, I_ALGO]
    if algo == A_LEAST:
        edge = _least_loaded(nint, succ, edge_to, eint, first, count, nint[node, I_RR])
        nint[node, I_RR] = (nint[node, I_RR] + 1) % count
        return edge
    if algo == A_TWO_CHOICES:
        return _two_choices(nint, succ, edge_to, eint, rng, first, count)
    if algo == A_WEIGHTED:
        return _smooth_weighted(nflt, succ, edge_to, eint, eflt, first, count)
    start = nint[node, I_RR]
    if algo == A_RANDOM:
        start = int(uniform(rng) * count)
    elif algo == A_IP_HASH:
        start = mix64(req_i[req, RI_CLIENT]) % count
    for i in range(count):
        edge = succ[first + (start + i) % count]
        if eint[edge, EI_HEALTHY] == 1:
            nint[node, I_RR] = (start + i + 1) % count
            return edge
    return -1


@jit
def _next_of_kind(nint, succ, edge_to, node, kind, pointer):
    """The edge to the next successor of that kind, in turn (kept in nint column `pointer`), or -1."""
    first, last = nint[node, I_SUCC0], nint[node, I_SUCC1]
    count = 0
    for i in range(first, last):
        count += nint[edge_to[succ[i]], I_KIND] == kind
    if count == 0:
        return -1
    n = _turn(nint, node, pointer, count)
    for i in range(first, last):
        if nint[edge_to[succ[i]], I_KIND] == kind:
            if n == 0:
                return succ[i]
            n -= 1
    return -1


@jit
def _next_in_turn(nint, succ, node):
    """The next edge out of `node` in turn (a CDN's origins), or -1 when it has none."""
    first, last = nint[node, I_SUCC0], nint[node, I_SUCC1]
    if last == first:
        return -1
    return succ[first + _turn(nint, node, I_RR, last - first)]
