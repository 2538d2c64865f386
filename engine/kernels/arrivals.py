"""New requests: arrival times, rate patterns, each request's class, client and key."""

import math

from llvmlite import ir
from numba import types
from numba.core import cgutils
from numba.extending import intrinsic

from engine.kernels.jit import jit
from engine.kernels.layout import (
    C_JOB,
    C_LOGIN,
    C_READ,
    C_STATIC,
    C_WRITE,
    COST_JOIN,
    COST_READ,
    COST_TXN,
    F_NEXT,
    F_RATE,
    G_ERRORS,
    G_OFFERED,
    I_CLIENT_N,
    I_CLIENT_OFF,
    I_NEXT_CLIENT,
    PATTERN_CONSTANT,
    PATTERN_DIURNAL,
    PATTERN_RAMP,
    PATTERN_SPIKE,
    R_T0,
    RI_CDN,
    RI_CLIENT,
    RI_CLS,
    RI_COST,
    RI_FAN,
    RI_FROM,
    RI_KEY,
    RI_SESSION,
    RI_TRACE,
    S_ARR,
    S_DONE,
    SC_FREE_TOP,
    SC_SEQ,
    SPIKE_FROM,
    SPIKE_TO,
    T_CLIENTS,
    T_FILES,
    T_FILES_HN,
    T_FILES_HX1,
    T_FILES_SQUEEZE,
    T_HOT_KEY,
    T_HOT_SHARE,
    T_JOB_RATIO,
    T_JOIN_RATIO,
    T_KEYS,
    T_LOGIN_TO,
    T_PATTERN,
    T_PEAK,
    T_PERIOD,
    T_READ_RATIO,
    T_STATIC_TO,
    T_TXN_RATIO,
    T_ZIPF,
    T_ZIPF_HN,
    T_ZIPF_HX1,
    T_ZIPF_SQUEEZE,
)
from engine.kernels.rng import exponential, uniform, zipf
from engine.kernels.serve import _bump


@jit
def rate_factor(pattern, peak, period, t):
    """The traffic pattern's rate at time t, as a multiple of traffic.rps."""
    if pattern == PATTERN_RAMP:
        return 1.0 + (peak - 1.0) * min(t / period, 1.0)
    if pattern == PATTERN_SPIKE:
        phase = (t % period) / period
        return peak if SPIKE_FROM <= phase < SPIKE_TO else 1.0
    if pattern == PATTERN_DIURNAL:
        return 1.0 + (peak - 1.0) * (1.0 - math.cos(2.0 * math.pi * t / period)) / 2.0
    return 1.0


@jit(inline="always")
def _ceiling(traffic):
    """The highest rate factor of the pattern: candidates arrive at rate x ceiling (thinning)."""
    return 1.0 if traffic[T_PATTERN] == PATTERN_CONSTANT else max(1.0, traffic[T_PEAK])


@jit(inline="always")
def _schedule_arrival(nflt, rng, traffic, node, now):
    """Draw when the users node's next candidate request arrives (at the pattern's highest rate)."""
    rate = nflt[node, F_RATE] * _ceiling(traffic)
    nflt[node, F_NEXT] = now + exponential(rng, 1.0 / rate) if rate > 0.0 else math.inf


@jit(inline="always")
def _draw_client(nint, rng, traffic, node):
    """A client of the users node's block (with a DNS, each users group has its own), else of all."""
    if nint[node, I_CLIENT_N] > 0:
        return nint[node, I_CLIENT_OFF] + int(uniform(rng) * nint[node, I_CLIENT_N])
    return int(uniform(rng) * int(traffic[T_CLIENTS]))


@intrinsic
def prefetch(typingctx, array, row):
    """Ask the CPU to bring the start of array[row] into its caches (LLVM's llvm.prefetch: a read,
    kept close), without waiting for it."""

    def codegen(context, builder, signature, args):
        array_type = signature.args[0]
        view = context.make_array(array_type)(context, builder, args[0])
        zero = context.get_constant(types.intp, 0)
        indices = [args[1]] + [zero] * (array_type.ndim - 1)
        pointer = cgutils.get_item_pointer(context, builder, array_type, view, indices)
        byte_pointer, i32 = ir.IntType(8).as_pointer(), ir.IntType(32)
        function = cgutils.get_or_insert_function(
            builder.module, ir.FunctionType(ir.VoidType(), [byte_pointer, i32, i32, i32]), "llvm.prefetch.p0"
        )
        builder.call(function, [builder.bitcast(pointer, byte_pointer), i32(0), i32(3), i32(1)])
        return context.get_dummy_value()

    return types.void(array, types.intp), codegen


@jit(inline="always")
def _new_request(nint, nflt, nstat, gstat, req_i, req_f, free, heap, scalars, rng, traffic, sess, node, now):
    """A users node's arrival: schedule the next one, then draw this request's class, client and
    key. Returns its slot, or -1 when the pattern thinned it out or no slot was free."""
    pattern, ceiling = int(traffic[T_PATTERN]), _ceiling(traffic)
    _schedule_arrival(nflt, rng, traffic, node, now)
    # A pattern that varies the rate keeps each candidate with probability rate(now) / ceiling:
    # thinning (Lewis and Shedler 1979), exact for a Poisson process of varying rate.
    if pattern != PATTERN_CONSTANT and uniform(rng) * ceiling >= rate_factor(
        pattern, traffic[T_PEAK], traffic[T_PERIOD], now
    ):
        return -1
    gstat[0, G_OFFERED] += 1.0
    scalars[SC_SEQ] += 1
    # A users node "completes" a request when it sends it, so its rps reads as requests sent.
    _bump(nstat, node, S_ARR, 1.0)
    _bump(nstat, node, S_DONE, 1.0)
    if scalars[SC_FREE_TOP] == 0:
        # Every slot is queued or in service; the pool is sized so this cannot happen.
        gstat[0, G_ERRORS] += 1.0
        return -1
    scalars[SC_FREE_TOP] -= 1
    req = free[scalars[SC_FREE_TOP]]
    # One draw picks the class: a job, a static file or a login with their ratios, else a read
    # with read_ratio of the rest, else a write.
    u, job_ratio = uniform(rng), traffic[T_JOB_RATIO]
    cls = C_JOB
    if u >= job_ratio:
        if u < traffic[T_STATIC_TO]:
            cls = C_STATIC
        elif u < traffic[T_LOGIN_TO]:
            cls = C_LOGIN
        else:
            rest = traffic[T_LOGIN_TO]
            cls = C_READ if u - rest < traffic[T_READ_RATIO] * (1.0 - rest) else C_WRITE
    req_i[req, RI_CLS] = cls
    req_i[req, RI_FROM] = node
    req_i[req, RI_TRACE] = -1
    cost = cls if cls <= C_JOB else COST_READ
    if traffic[T_JOIN_RATIO] > 0.0 and cls == C_READ and uniform(rng) < traffic[T_JOIN_RATIO]:
        cost = COST_JOIN
    if traffic[T_TXN_RATIO] > 0.0 and cls == C_WRITE and uniform(rng) < traffic[T_TXN_RATIO]:
        cost = COST_TXN
    req_i[req, RI_COST] = cost
    req_i[req, RI_FAN] = 0
    if traffic[T_CLIENTS] > 0:
        client = nint[node, I_NEXT_CLIENT]
        if client < 0:
            client = _draw_client(nint, rng, traffic, node)
        req_i[req, RI_CLIENT] = client
        # A random row of a table of every client is a cache miss (a DNS's answers, sessions); the
        # next request's client is known now, and its row is fetched while other events run.
        upcoming = _draw_client(nint, rng, traffic, node)
        nint[node, I_NEXT_CLIENT] = upcoming
        if upcoming < sess.shape[0]:
            prefetch(sess, upcoming)
    req_i[req, RI_SESSION] = 0
    keys = int(traffic[T_KEYS])
    if cls == C_STATIC:
        req_i[req, RI_CDN] = -1
        files = int(traffic[T_FILES])
        if files > 0:
            rank = zipf(rng, files, traffic[T_ZIPF], traffic[T_FILES_HX1], traffic[T_FILES_HN],
                        traffic[T_FILES_SQUEEZE])  # fmt: skip
            req_i[req, RI_KEY] = rank - 1
    elif keys > 0:
        if traffic[T_HOT_SHARE] > 0.0 and uniform(rng) < traffic[T_HOT_SHARE]:
            req_i[req, RI_KEY] = int(traffic[T_HOT_KEY])
        else:
            # Rank 1, the most popular key, is key 0.
            rank = zipf(rng, keys, traffic[T_ZIPF], traffic[T_ZIPF_HX1], traffic[T_ZIPF_HN], traffic[T_ZIPF_SQUEEZE])
            req_i[req, RI_KEY] = rank - 1
    req_f[req, R_T0] = now
    return req


@jit(inline="always")
def _next_arrival(nflt, users):
    """The users row whose request arrives first, and when (ties to the first in order)."""
    node, t = -1, math.inf
    for i in range(users.shape[0]):
        if nflt[users[i], F_NEXT] < t:
            node, t = users[i], nflt[users[i], F_NEXT]
    return node, t
