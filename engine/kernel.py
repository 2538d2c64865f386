"""The discrete-event core: numba kernels over flat arrays, no Python objects inside.

Layout of the state arrays (n nodes, E edges, R request slots, H heap slots):

    nint[n, I_*]     int64 per node: kind, up, workers, distribution, queue capacity and offset,
                     successor range (into `succ`), algorithm, round-robin pointer, busy, queue head, length,
                     database role, replica set and synchronous flag, round-robin pointers for writes and
                     jobs, a worker's message queue, a web server's sessions (none, local, store),
                     a database's shard and a web server's shard group (its rmeta row); a users
                     group's DNS and CDN answers and client block; the node's region
    nflt[n, F_*]     float64 per node: mean service (s), lognormal mu and sigma, arrival rate (users), last t,
                     weight (weighted balancing), slow-down factor on service times, replication lag (s),
                     extra time a write holds a synchronous primary's worker (waiting for its replicas),
                     a cache's, CDN's or DNS's time to live (s), a database's writes so far and its data
                     model's cost per kind of query (F_COST + RI_COST), when a partition cut a replica
                     off and when it healed, the round trip (s) from the node's region to each region
    nstat[2, n, S_*] float64 per node; [0] is the current slice, [1] the measured total. Kernels
                     count into [0] only (of nstat, eflow, gstat and hist); engine.state adds what
                     they counted to [1] when a total is read or a slice ends (sync_totals): one
                     write per count, not two
    succ[E]          edge indices grouped by source node; edge_to[E] the target of each edge
    eint[E, EI_*]    int64 per edge: whether its load balancer believes the target up (health checks),
                     whether a partition cuts it
    eflt[E, EF_*]    float64 per edge: the smooth weighted round robin's current weight, the round trip
                     between its ends (s)
    eflow[2, E, 5]   requests that crossed each edge, per class (read, write, job, static, login); [0]
                     slice, [1] total
    gstat[2, G_*]    offered, completed, errors, sum of end-to-end latency (s), stale reads, lost writes,
                     sessions lost, keys moved to another shard
    hist[2, 5, BINS] end-to-end latency histogram per request class, log-spaced bins (see latency_bin)
    req_i[R, RI_*]   int64 per request: its class (0 read, 1 write, 2 background job, 3 static file,
                     4 login), client, key (or file), web server and cache, its cost (COST_*) and the
                     shards a join has left to visit, its users node and the CDN that missed it
    req_f[R, 2]      its arrival time and the time it joined its current queue
    free[R]          stack of free request slots; scalars[SC_FREE_TOP] its height
    heap[H, 2]       the departures' heap (see heap_push): each entry's time and its event packed in an
                     integer (see pack_event), side by side
    qbuf[...]        every node's FIFO ring buffer, one after another (nint[:, I_QOFF])
    scalars          heap size, free-stack height
    rng[4]           xoshiro256** state
    traffic[T_*]     read ratio, clients and keys to draw from, Zipf sampler constants, job ratio, rate
                     pattern with its peak and period, the hot key and its share, the share of joins,
                     class thresholds, static files and their sampler
    cmeta, cint, cexp, ctab, ccount  what each cache holds (see engine.cache)
    rwrite[S, K]     per replica set, the time the primary last committed a write to a key (cell key mod K)
    rring[S, RING]   per replica set, the commit times of its latest RING writes (a ring); rmeta[S, :2]
                     the ring's next place and how many writes it has seen; rmeta's further rows, one
                     per shard group, say how its keys are placed (SG_*, engine.sharding)
    users[U]         the rows of the users nodes, in order (their next arrivals: nflt[:, F_NEXT])
    sess[clients, SS_*]  per client: where its session lives (the web server or session store, -1 for
                     none); its DNS answer (an edge) and when that expires (integer microseconds)

Kernels take arrays as separate arguments: numba passes arguments as borrowed references, while
taking an array out of a tuple costs an atomic reference count, which dominated the event loop.
They are compiled without numba's reference counting (`_nrt=False`): no kernel allocates, and the
counts it kept anyway on every array an inlined function was handed (an atomic add and subtract
each) took 40% of the time (perf, on the M/M/c bench and the whole path). A kernel that must
allocate keeps it (engine.sharding.forget_moved) and is called only on rare actions.
Functions on every request's path are inlined (inline="always"); those used only by some
topologies (other balancing algorithms, message queues) are plain calls, and `advance` calls the
inlined routing from one place only: inlining more made the cold compile about four times longer
(146 s against 35 s here) for no measurable speed.
A call may pass at most 30 arguments: CPython packs longer calls into a tuple (CALL_FUNCTION_EX),
which numba refuses to inline. Add columns to existing arrays before adding arrays.
"""

import math

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

from engine import cache
from engine.rng import exponential, mix64, standard_normal, uniform, zipf

# Node kinds
K_USERS, K_LB, K_WEB, K_DB, K_CACHE, K_QUEUE, K_WORKER, K_SESSIONS, K_DNS, K_CDN, K_STORE, K_DC = range(12)
# A backup is sent no requests: engine.backups takes its snapshots between kernel calls
K_BACKUP = 12
# Request classes
C_READ, C_WRITE, C_JOB, C_STATIC, C_LOGIN = range(5)
N_CLASSES = 5
# Service distributions
D_EXP, D_CONST, D_LOGNORMAL = 0, 1, 2
# Load-balancing algorithms
A_ROUND_ROBIN, A_RANDOM, A_LEAST, A_TWO_CHOICES, A_IP_HASH, A_WEIGHTED = range(6)
# nint columns
I_KIND, I_UP, I_WORKERS, I_DIST, I_QCAP, I_QOFF, I_SUCC0, I_SUCC1, I_ALGO, I_RR, I_BUSY, I_QHEAD, I_QLEN = range(13)
# Databases: role now (primary or replica), replica set (-1: none), 1 if it replicates synchronously
I_ROLE, I_SET, I_SYNC = range(13, 16)
# Web servers: round-robin pointers for writes and jobs (I_RR is the one for reads); workers:
# the message queue they take jobs from
I_RR_WRITE, I_RR_JOB, I_SOURCE = range(16, 19)
# Web servers: where users' sessions live
I_SESSIONS = 19
# Caches: 1 when a write puts the new value in the cache (write-through) instead of deleting the key
I_WRITE_THROUGH = 20
# Databases in a shard group: the shard they hold (a primary and its replicas share it), -1 for
# none; web servers: the rmeta row of the shard group behind them, -1 for none (engine.sharding)
I_SHARD, I_GROUP = range(21, 23)
# Users: the edge their DNS answers them now (-1: none) and the CDN edge it gives static files
# (-1: none); the block of client ids they draw from when a DNS caches answers per client (count 0:
# any client). Every node: its region (-1: none; see engine.geo)
I_ANSWER, I_CDN_ANSWER, I_CLIENT_OFF, I_CLIENT_N, I_REGION = range(23, 28)
# Users whose requests need more than round robin over their edges (a CDN or a DNS among them)
I_ROUTED = 28
# Users: the client their next request comes from, drawn one request ahead so that its row of
# `sess` can be fetched into the CPU's caches meanwhile (-1: not drawn yet)
I_NEXT_CLIENT = 29
N_INT = 30
SESSIONS_NONE, SESSIONS_LOCAL, SESSIONS_STORE = range(3)
ROLE_PRIMARY, ROLE_REPLICA = 0, 1
# nflt columns
F_MEAN, F_MU, F_SIGMA, F_RATE, F_LAST, F_WEIGHT, F_SLOW, F_LAG, F_WRITE_WAIT, F_TTL = range(10)
# What a request costs a database: a read (logins read the account), a write, a job, or a read
# that joins. Static files never reach a database.
COST_READ, COST_WRITE, COST_JOB, COST_JOIN = range(4)
N_COSTS = 4
# Writes a database committed since the start (never cleared: a restore counts those after its
# snapshot); then N_COSTS multipliers of the service time, one per cost (COST_*): 1 except on
# databases, where the data model sets them (engine.topology.database_costs)
F_WRITES, F_COST = 10, 11
# Replicas: when a partition cut them from their primary (inf: never) and when it healed (inf: not yet)
F_CUT_FROM, F_CUT_TO = F_COST + N_COSTS, F_COST + N_COSTS + 1
# Round-trip time (s) from this node's region to region r is column F_RTT + r (engine.geo.REGIONS)
# Users: when their next request arrives (s; inf: none). Arrivals are kept here, beside the event
# heap, not in it: there is one pending per users node, so the earliest is found by looking at a
# few rows, and the heap (pushed and popped for every event) holds departures only.
F_NEXT = F_CUT_TO + 1
F_RTT = F_NEXT + 1
N_REGIONS = 8
N_FLT = F_RTT + N_REGIONS
# eint columns: whether the edge's source, a load balancer, believes the target is up (its health
# check); 1 while a partition cuts the edge
EI_HEALTHY, EI_CUT = 0, 1
N_EINT = 2
# eflt columns: the smooth weighted round robin's current weight; the round-trip time (s) between
# the edge's two ends, added to the latency of each request that crosses it
EF_WEIGHT, EF_RTT = 0, 1
N_EFLT = 2
# req_i columns: the client a request comes from (ip_hash), the key it reads or writes, the web
# server it passed, the cache that holds its key (-1: none, or the cache was down), its class, and
# 1 once its session was read from a session store
RI_CLIENT, RI_KEY, RI_WEB, RI_CACHE, RI_CLS, RI_SESSION = range(6)
# its cost (COST_*) and, for a join fanning out over shards, the shards still to visit
RI_COST, RI_FAN = range(6, 8)
# The users node it came from, and the CDN edge that missed its static file (-1: none), to fill
RI_FROM, RI_CDN = 8, 9
N_REQI = 10
# sess columns, per client: where its session lives (-1: none); its DNS answer (an edge, -1: none)
# and when that answer expires (simulated microseconds)
SS_SESSION, SS_DNS, SS_DNS_UNTIL = range(3)
N_SESS = 3
# traffic entries: read ratio; clients to draw from (0 when nothing needs a client id); keys to
# draw from (0 when nothing needs a key), Zipf exponent and the sampler's constants (engine.rng)
T_READ_RATIO, T_CLIENTS, T_KEYS, T_ZIPF, T_ZIPF_HX1, T_ZIPF_HN, T_ZIPF_SQUEEZE, T_JOB_RATIO = range(8)
# How the rate changes over time: pattern, peak (a multiple of the rate), period (s)
T_PATTERN, T_PEAK, T_PERIOD = range(8, 11)
# A hot key (the hot_key action): share of requests that ask for it, and the key; share of reads that join
T_HOT_SHARE, T_HOT_KEY, T_JOIN_RATIO = range(11, 14)
# Class thresholds of one uniform draw: job below T_JOB_RATIO, static below T_STATIC_TO, login below
# T_LOGIN_TO, then read or write; static files to draw from and their Zipf sampler's constants
T_STATIC_TO, T_LOGIN_TO, T_FILES, T_FILES_HX1, T_FILES_HN, T_FILES_SQUEEZE = range(14, 20)
N_TRAFFIC = 20
PATTERN_CONSTANT, PATTERN_RAMP, PATTERN_SPIKE, PATTERN_DIURNAL = range(4)
# A spike pattern's burst: this part of each period
SPIKE_FROM, SPIKE_TO = 0.45, 0.55
# nstat columns: arrivals, completed, dropped, busy-time integral, queue-length integral,
# total wait before service, total time at the node (wait + service), services started, cache
# hits and misses
S_ARR, S_DONE, S_DROP, S_BUSY, S_QINT, S_WAIT, S_LAT, S_STARTED, S_HIT, S_MISS = range(10)
N_STAT = 10
# gstat columns
G_OFFERED, G_COMPLETED, G_ERRORS, G_LATENCY, G_STALE, G_LOST, G_SESSIONS_LOST = range(7)
# Keys that moved to another shard (add_shard)
G_KEYS_MOVED = 7
N_GSTAT = 8
# Added to a key before hashing it to choose among caches (any constant far above the keys will do)
CACHE_SALT = 1 << 40
# The same for choosing a key's shard, so that it does not correlate with the choice of cache
SHARD_SALT = 2 << 40
# rmeta rows of shard groups (after the replica sets' rows): how keys are placed (SHARD_MODULO or
# SHARD_CONSISTENT), shards in use, points on the hash ring, 1 when a join must visit every
# shard (the data is not denormalised); from SG_RING the ring's points in increasing order, and
# from the middle of the rest of the row, the shard that owns each point
SG_MODE, SG_ACTIVE, SG_POINTS, SG_FAN, SG_RING = range(5)
SHARD_MODULO, SHARD_CONSISTENT = 0, 1
# scalars
SC_HEAP, SC_FREE_TOP = range(2)
N_SCALARS = 2
# Latency histogram: BINS_PER_DECADE bins per factor of ten from 10^LOG_MIN ms.
BINS_PER_DECADE = 100
LOG_MIN = -3
BINS = 10 * BINS_PER_DECADE


# Bin b holds latencies from LATENCY_EDGES_MS[b] up to LATENCY_EDGES_MS[b + 1]; the first and last
# bins also hold everything below and above.
LATENCY_EDGES_MS = 10.0 ** (LOG_MIN + np.arange(BINS + 1) / BINS_PER_DECADE)
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


@njit(cache=True, nogil=True, _nrt=False)
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


# heap columns: time, packed event (below 2^53, so exact in a float64)
HP_T, HP_EVENT = range(2)
# Every event in the heap is a departure (arrivals wait beside it, see F_NEXT): it packs the node
# (bits 0 to 19) and the request (bits 20 and up).
NODE_BITS = 20
NODE_MASK = (1 << NODE_BITS) - 1
# req_f columns
R_T0, R_TQ = range(2)

# The event heap: departures only (arrivals wait beside it, see F_NEXT). A 4-ary min-heap on time
# with each entry's time and event side by side: a node's four children lie in one or two cache
# lines, and the heap is half as deep as a binary one. At a million requests a second some 15,000
# departures are pending, and the binary heap, with times, sequence numbers and events in separate
# arrays, took a fifth of the time in cache misses. Events of the same time leave in an order the
# heap fixes: the same on every run, not necessarily the order they were pushed in.
HEAP_ARITY = 4


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def pack_event(node, req):
    return (req << NODE_BITS) | node


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def event_node(event):
    return event & NODE_MASK


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def event_req(event):
    return event >> NODE_BITS


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def heap_event(heap, i):
    return int(heap[i, HP_EVENT])


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _sink(heap, size, i, t, event):
    """Put (t, event) in the hole at i, or lower: the earliest child moves up while it is earlier."""
    while True:
        first = HEAP_ARITY * i + 1
        if first >= size:
            break
        if first + 3 < size:
            # All four children: the earliest by a tournament, without branches.
            t0, t1, t2, t3 = heap[first, HP_T], heap[first + 1, HP_T], heap[first + 2, HP_T], heap[first + 3, HP_T]
            a, b = first + (t1 < t0), first + 2 + (t3 < t2)
            ta, tb = min(t0, t1), min(t2, t3)
            child = b if tb < ta else a
            child_t = min(ta, tb)
        else:
            child, child_t = first, heap[first, HP_T]
            for c in range(first + 1, size):
                if heap[c, HP_T] < child_t:
                    child, child_t = c, heap[c, HP_T]
        if t <= child_t:
            break
        heap[i, HP_T] = child_t
        heap[i, HP_EVENT] = heap[child, HP_EVENT]
        i = child
    heap[i, HP_T] = t
    heap[i, HP_EVENT] = event


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def heap_push(heap, scalars, t, node, req):
    i = scalars[SC_HEAP]
    scalars[SC_HEAP] = i + 1
    while i > 0:
        parent = (i - 1) // HEAP_ARITY
        if heap[parent, HP_T] <= t:
            break
        heap[i, HP_T] = heap[parent, HP_T]
        heap[i, HP_EVENT] = heap[parent, HP_EVENT]
        i = parent
    heap[i, HP_T] = t
    heap[i, HP_EVENT] = float(pack_event(node, req))


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def heap_pop(heap, scalars):
    """Remove the earliest event; it is left in the last slot, whose index is returned."""
    last = scalars[SC_HEAP] - 1
    scalars[SC_HEAP] = last
    top_t, top_event = heap[0, HP_T], heap[0, HP_EVENT]
    _sink(heap, last, 0, heap[last, HP_T], heap[last, HP_EVENT])
    heap[last, HP_T], heap[last, HP_EVENT] = top_t, top_event
    return last


@njit(cache=True, nogil=True, _nrt=False)
def heap_remove_node(heap, scalars, node):
    """Drop every departure at that node; rare, so O(H) is fine."""
    size = scalars[SC_HEAP]
    kept = 0
    for i in range(size):
        event = heap_event(heap, i)
        if event_node(event) == node:
            continue
        heap[kept, HP_T], heap[kept, HP_EVENT] = heap[i, HP_T], heap[i, HP_EVENT]
        kept += 1
    scalars[SC_HEAP] = kept
    for i in range((kept - 2) // HEAP_ARITY, -1, -1):
        _sink(heap, kept, i, heap[i, HP_T], heap[i, HP_EVENT])


# Requests moving through nodes


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _bump(nstat, node, column, value):
    nstat[0, node, column] += value


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _integrate(nint, nflt, nstat, node, now):
    """Add busy workers and queue length times the time since the node last changed."""
    elapsed = now - nflt[node, F_LAST]
    if elapsed > 0.0:
        _bump(nstat, node, S_BUSY, elapsed * nint[node, I_BUSY])
        _bump(nstat, node, S_QINT, elapsed * nint[node, I_QLEN])
    nflt[node, F_LAST] = now


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _service_time(nint, nflt, node, rng):
    dist = nint[node, I_DIST]
    if dist == D_CONST:
        base = nflt[node, F_MEAN]
    elif dist == D_LOGNORMAL:
        base = math.exp(nflt[node, F_MU] + nflt[node, F_SIGMA] * standard_normal(rng))
    else:
        base = exponential(rng, nflt[node, F_MEAN])
    return base * nflt[node, F_SLOW]


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _fail(nstat, gstat, free, scalars, node, req):
    _bump(nstat, node, S_DROP, 1.0)
    gstat[0, G_ERRORS] += 1.0
    free[scalars[SC_FREE_TOP]] = req
    scalars[SC_FREE_TOP] += 1


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _start_service(nint, nflt, nstat, req_i, req_f, heap, scalars, rng, node, req, now):
    nint[node, I_BUSY] += 1
    _bump(nstat, node, S_WAIT, now - req_f[req, R_TQ])
    _bump(nstat, node, S_STARTED, 1.0)
    service = _service_time(nint, nflt, node, rng) * nflt[node, F_COST + req_i[req, RI_COST]]
    if req_i[req, RI_CLS] == 1 and nflt[node, F_WRITE_WAIT] > 0.0:
        # A synchronous primary's worker holds the write until its replicas acknowledge it.
        service += nflt[node, F_WRITE_WAIT]
    heap_push(heap, scalars, now + service, node, req)


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _turn(nint, node, pointer, count):
    """Whose turn it is among `count` (from 0), kept in nint column `pointer`, which moves on. The
    pointer is below count but when the count shrank since: a 64-bit division (%) costs more than
    the rest of a pick, so it is done only then."""
    n = nint[node, pointer]
    if n >= count:
        n %= count
    nint[node, pointer] = n + 1 if n + 1 < count else 0
    return n


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _ring(i, places):
    """A place from 0 to 2 places - 1 wrapped round a ring of `places` (a queue's buffer)."""
    return i - places if i >= places else i


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _arrive(nint, nflt, nstat, gstat, req_i, req_f, free, heap, qbuf, scalars, rng, node, req, now):
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
        _fail(nstat, gstat, free, scalars, node, req)


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _in_hand(nint, target):
    return nint[target, I_BUSY] + nint[target, I_QLEN]


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _nth_healthy(succ, eint, first, count, n):
    """The n-th (from 0) edge of a successor range that its load balancer believes is up."""
    for i in range(count):
        edge = succ[first + i]
        if eint[edge, EI_HEALTHY] == 1:
            if n == 0:
                return edge
            n -= 1
    return -1


@njit(cache=True, nogil=True, _nrt=False)
def _least_loaded(nint, succ, edge_to, eint, first, count, offset):
    best, best_load = -1, 1 << 62
    for i in range(count):
        edge = succ[first + (offset + i) % count]
        load = _in_hand(nint, edge_to[edge])
        if eint[edge, EI_HEALTHY] == 1 and load < best_load:
            best, best_load = edge, load
    return best


@njit(cache=True, nogil=True, _nrt=False)
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


@njit(cache=True, nogil=True, _nrt=False)
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


@njit(cache=True, nogil=True, _nrt=False)
def _leaves(nint, succ, node, edge):
    """Whether `edge` goes out of `node`. Edges are numbered in the document's order, and succ
    groups them by source, so an edge's number says nothing about where its source's range is."""
    if edge < 0:
        return False
    for i in range(nint[node, I_SUCC0], nint[node, I_SUCC1]):  # noqa: SIM110 (numba: no generators)
        if succ[i] == edge:
            return True
    return False


@njit(cache=True, nogil=True, _nrt=False)
def _users_edge(nint, succ, edge_to, req_i, node, req):
    """Users with a CDN: static files go to the CDN edge engine.geo chose for them (the nearest
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


@njit(cache=True, nogil=True, _nrt=False)
def _resolve(nint, nflt, succ, req_f, req_i, sess, node, req, now):
    """A DNS answers a client with an entry point's edge. A static file's name resolves to the CDN
    engine.geo chose for the users (not cached here: CDNs answer with short TTLs). Otherwise a client
    keeps the answer it was given for the DNS's ttl_s, even if the record has changed since (the old
    address may be dead); when it expires, it asks again and gets the record as it is now (kept per
    users group in I_ANSWER by engine.geo). The round trip from the users to the entry point is
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


@njit(cache=True, nogil=True, _nrt=False)
def _entry_rtt(nint, nflt, edge_to, req_i, edge, req):
    """Round trip between the users a request came from and the entry point a DNS sent it to."""
    region = nint[edge_to[edge], I_REGION]
    if region < 0:
        return 0.0
    return nflt[req_i[req, RI_FROM], F_RTT + region]


@njit(cache=True, nogil=True, _nrt=False, inline="always")
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


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _answered(gstat, hist, req_i, req_f, req, now):
    """The user has the answer: count the request and its end-to-end latency."""
    latency = now - req_f[req, R_T0]
    gstat[0, G_COMPLETED] += 1.0
    gstat[0, G_LATENCY] += latency
    b = latency_bin(latency * 1000.0)
    cls = req_i[req, RI_CLS]
    hist[0, cls, b] += 1.0


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _release(free, scalars, req):
    free[scalars[SC_FREE_TOP]] = req
    scalars[SC_FREE_TOP] += 1


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _complete(gstat, hist, req_i, req_f, free, scalars, req, now):
    _answered(gstat, hist, req_i, req_f, req, now)
    _release(free, scalars, req)


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _drop_job(nstat, free, scalars, node, req):
    """A job is lost (its queue or worker died with nowhere to put it); its user was answered long ago."""
    _bump(nstat, node, S_DROP, 1.0)
    _release(free, scalars, req)


# Message queues and workers: a queue holds jobs in its FIFO ring (qbuf) until one of the workers
# behind it has a free worker; a worker that finishes a job takes the next one from its queue.


@njit(cache=True, nogil=True, _nrt=False)
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


@njit(cache=True, nogil=True, _nrt=False)
def _hand_over(nint, nflt, nstat, edge_to, eflow, req_i, req_f, heap, scalars, rng, queue, edge, req,
               now):  # fmt: skip
    """A job leaves its queue for a worker, which starts it at once."""
    _bump(nstat, queue, S_WAIT, now - req_f[req, R_TQ])
    _bump(nstat, queue, S_STARTED, 1.0)
    _bump(nstat, queue, S_DONE, 1.0)
    eflow[0, edge, C_JOB] += 1.0
    worker = edge_to[edge]
    _integrate(nint, nflt, nstat, worker, now)
    _bump(nstat, worker, S_ARR, 1.0)
    req_f[req, R_TQ] = now
    _start_service(nint, nflt, nstat, req_i, req_f, heap, scalars, rng, worker, req, now)


@njit(cache=True, nogil=True, _nrt=False)
def _pull(nint, nflt, nstat, succ, edge_to, eflow, req_i, req_f, heap, qbuf, scalars, rng, queue, now):
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
        _hand_over(nint, nflt, nstat, edge_to, eflow, req_i, req_f, heap, scalars, rng, queue, edge, req,
                   now)  # fmt: skip


@njit(cache=True, nogil=True, _nrt=False)
def _enqueue(nint, nflt, nstat, succ, edge_to, eflow, gstat, hist, req_i, req_f, free, heap, qbuf,
             scalars, rng, queue, req, now):  # fmt: skip
    """A producer puts a job in the queue and its user is answered at once; a full queue refuses it."""
    _integrate(nint, nflt, nstat, queue, now)
    _bump(nstat, queue, S_ARR, 1.0)
    edge = _idle_worker_edge(nint, succ, edge_to, queue)
    if edge < 0 and nint[queue, I_QLEN] >= nint[queue, I_QCAP]:
        _fail(nstat, gstat, free, scalars, queue, req)
        return
    _answered(gstat, hist, req_i, req_f, req, now)
    req_f[req, R_TQ] = now
    if edge >= 0:
        _hand_over(nint, nflt, nstat, edge_to, eflow, req_i, req_f, heap, scalars, rng, queue, edge, req,
                   now)  # fmt: skip
        return
    tail = _ring(nint[queue, I_QHEAD] + nint[queue, I_QLEN], nint[queue, I_QCAP])
    qbuf[nint[queue, I_QOFF] + tail] = req
    nint[queue, I_QLEN] += 1


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _takes(nint, target, role, need_up, shard):
    return (
        nint[target, I_KIND] == K_DB and nint[target, I_ROLE] == role and (need_up == 0 or nint[target, I_UP] == 1)
        and (shard < 0 or nint[target, I_SHARD] == shard)
    )  # fmt: skip


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _next_database(nint, succ, edge_to, node, role, need_up, pointer, shard):
    """The next database behind `node` in turn with that role (and up, if need_up) and of that
    shard (-1: any), or -1. `pointer` is the nint column that keeps the turn."""
    first, last = nint[node, I_SUCC0], nint[node, I_SUCC1]
    count = 0
    for i in range(first, last):
        count += _takes(nint, edge_to[succ[i]], role, need_up, shard)
    if count == 0:
        return -1
    n = _turn(nint, node, pointer, count)
    for i in range(first, last):
        if _takes(nint, edge_to[succ[i]], role, need_up, shard):
            if n == 0:
                return succ[i]
            n -= 1
    return -1


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _database_edge(nint, succ, edge_to, node, cls, shard):
    """The edge to the database a request goes to from `node`, among the databases of `shard`
    (-1: all of them): a read to a replica that is up, or else to a primary; a write to a primary.
    -1 when `node` has no database behind it; -2 when it has, but none takes this request (a write
    with no primary among them, or no primary of the shard)."""
    pointer = I_RR if cls == 0 else I_RR_WRITE
    if cls == 0:
        edge = _next_database(nint, succ, edge_to, node, ROLE_REPLICA, 1, pointer, shard)
        if edge >= 0:
            return edge
    edge = _next_database(nint, succ, edge_to, node, ROLE_PRIMARY, 0, pointer, shard)
    if edge >= 0:
        return edge
    for i in range(nint[node, I_SUCC0], nint[node, I_SUCC1]):
        if nint[edge_to[succ[i]], I_KIND] == K_DB:
            return -2
    return -1


@njit(cache=True, nogil=True, _nrt=False)
def shard_of(rmeta, row, key):
    """The shard that holds `key` in the shard group of rmeta row `row`: hash(key) mod shards, or
    the owner of the first point at or after hash(key) on the ring (wrapping round)."""
    h = mix64(key + SHARD_SALT)
    if rmeta[row, SG_MODE] == SHARD_MODULO:
        return h % rmeta[row, SG_ACTIVE]
    points = rmeta[row, SG_POINTS]
    lo, hi = 0, points
    while lo < hi:
        mid = (lo + hi) >> 1
        if rmeta[row, SG_RING + mid] < h:
            lo = mid + 1
        else:
            hi = mid
    if lo == points:
        lo = 0
    return rmeta[row, SG_RING + (rmeta.shape[1] - SG_RING) // 2 + lo]


@njit(cache=True, nogil=True, _nrt=False)
def _sharded_edge(nint, succ, edge_to, rmeta, req_i, node, req):
    """A web server with a shard group behind it sends the request to its key's shard; a join
    over data that is not denormalised then visits every other shard too, one after another."""
    row = nint[node, I_GROUP]
    if req_i[req, RI_COST] == COST_JOIN and rmeta[row, SG_FAN] == 1:
        req_i[req, RI_FAN] = rmeta[row, SG_ACTIVE] - 1
    shard = shard_of(rmeta, row, req_i[req, RI_KEY])
    return _database_edge(nint, succ, edge_to, node, _data_class(req_i, req), shard)


@njit(cache=True, nogil=True, _nrt=False)
def _next_shard_edge(nint, succ, edge_to, rmeta, req_i, db, req):
    """A fanned-out join leaves shard `db`: its web server asks the next shard."""
    req_i[req, RI_FAN] -= 1
    web = req_i[req, RI_WEB]
    shard = (nint[db, I_SHARD] + 1) % rmeta[nint[web, I_GROUP], SG_ACTIVE]
    return _database_edge(nint, succ, edge_to, web, C_READ, shard)


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _data_class(req_i, req):
    """A database serves writes and reads; a login reads the user's account."""
    return C_WRITE if req_i[req, RI_CLS] == C_WRITE else C_READ


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _data_edge(nint, succ, edge_to, rmeta, req_i, node, req):
    """The edge to the database a read or write goes to from web server `node` (see _database_edge);
    sharded topologies take a plain call, so that others pay one comparison."""
    if nint[node, I_GROUP] >= 0:
        return _sharded_edge(nint, succ, edge_to, rmeta, req_i, node, req)
    return _database_edge(nint, succ, edge_to, node, _data_class(req_i, req), -1)


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _cache_edge(nint, succ, edge_to, node, key):
    """The edge to the cache behind `node` that holds `key` (the web server's client shards keys
    over its caches by hash), or -1 when it has none."""
    first, last = nint[node, I_SUCC0], nint[node, I_SUCC1]
    caches = 0
    for i in range(first, last):
        caches += nint[edge_to[succ[i]], I_KIND] == K_CACHE
    if caches == 0:
        return -1
    # Salted so that the choice of cache does not correlate with the place in its hash table.
    n = 0 if caches == 1 else mix64(key + CACHE_SALT) % caches
    for i in range(first, last):
        if nint[edge_to[succ[i]], I_KIND] == K_CACHE:
            if n == 0:
                return succ[i]
            n -= 1
    return -1


@njit(cache=True, nogil=True, _nrt=False)
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


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _local_session(gstat, req_i, sess, node, req):
    """A session kept in a web server's memory: a user whose session is on another server is
    logged out (the session is lost) and logs in again here. A login starts a new session anyway."""
    client = req_i[req, RI_CLIENT]
    if client >= sess.shape[0]:
        return  # a client of before traffic.clients went down, still in flight: no longer tracked
    held = sess[client, SS_SESSION]
    if held >= 0 and held != node and req_i[req, RI_CLS] != C_LOGIN:
        gstat[0, G_SESSIONS_LOST] += 1.0
    sess[client, SS_SESSION] = node


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _web_edge(nint, succ, edge_to, gstat, req_i, sess, rmeta, node, req):
    """From a web server: a static file to an object store (none: the web server served it from
    its disk); then the session (kept here, or read from a session store); then a background job
    to a message queue (none: the web server did it); a login reads the user's account from a
    database (never from a cache); a read asks the key's cache first (cache-aside), unless that
    cache is down; reads that miss and writes go to a database (the key's shard, if sharded)."""
    req_i[req, RI_WEB] = node
    req_i[req, RI_CACHE] = -1
    cls = req_i[req, RI_CLS]
    if cls == C_STATIC:
        return _next_of_kind(nint, succ, edge_to, node, K_STORE, I_RR_JOB)
    if nint[node, I_SESSIONS] == SESSIONS_LOCAL:
        _local_session(gstat, req_i, sess, node, req)
    elif nint[node, I_SESSIONS] == SESSIONS_STORE and req_i[req, RI_SESSION] == 0:
        req_i[req, RI_SESSION] = 1
        edge = _next_of_kind(nint, succ, edge_to, node, K_SESSIONS, I_RR_JOB)
        if edge >= 0:
            return edge
    if nint[node, I_SUCC0] == nint[node, I_SUCC1]:
        return -1  # nothing behind it: the web server answers (the single server of the first lessons)
    if cls == C_JOB:
        return _next_of_kind(nint, succ, edge_to, node, K_QUEUE, I_RR_JOB)
    if cls == C_LOGIN:
        return _data_edge(nint, succ, edge_to, rmeta, req_i, node, req)
    edge = _cache_edge(nint, succ, edge_to, node, req_i[req, RI_KEY])
    if edge >= 0 and nint[edge_to[edge], I_UP] == 1:
        req_i[req, RI_CACHE] = edge_to[edge]
        if req_i[req, RI_CLS] == 0:
            return edge
    return _data_edge(nint, succ, edge_to, rmeta, req_i, node, req)


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _settle_cache(nint, nflt, req_i, cmeta, cint, cexp, ctab, ccount, req, now):
    """After the database answered: a read that missed fills its cache; a write invalidates its key,
    or with write-through puts the new value there."""
    target = req_i[req, RI_CACHE]
    if target < 0 or nint[target, I_UP] == 0:
        return
    key = req_i[req, RI_KEY]
    if req_i[req, RI_CLS] == 0 or nint[target, I_WRITE_THROUGH] == 1:
        cache.put(cmeta, cint, cexp, ctab, ccount, target, key, now, nflt[target, F_TTL])
    else:
        cache.drop(cmeta, cint, ctab, target, key)


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _replicate(nint, nflt, succ, edge_to, eint, eflow, gstat, req_i, rwrite, rring, rmeta, node, req, now):
    """A primary's write is shipped to its replicas (asynchronously: it lands after their lag); a
    replica's read is stale if the primary committed a write to its key within the lag."""
    replica_set = nint[node, I_SET]
    if replica_set < 0:
        return
    cell = req_i[req, RI_KEY] % rwrite.shape[1]
    if req_i[req, RI_CLS] == 1 and nint[node, I_ROLE] == ROLE_PRIMARY:
        for i in range(nint[node, I_SUCC0], nint[node, I_SUCC1]):
            if nint[edge_to[succ[i]], I_KIND] == K_DB and eint[succ[i], EI_CUT] == 0:
                eflow[0, succ[i], 1] += 1.0
        if nint[node, I_SYNC] == 0:
            rwrite[replica_set, cell] = now
            head = rmeta[replica_set, 0]
            rring[replica_set, head] = now
            rmeta[replica_set, 0] = (head + 1) % rring.shape[1]
            rmeta[replica_set, 1] += 1
    elif req_i[req, RI_CLS] == 0 and nint[node, I_ROLE] == ROLE_REPLICA:
        written = rwrite[replica_set, cell]
        shipped = written
        if written >= nflt[node, F_CUT_FROM]:
            # Written while a partition cut this replica off: it ships when the partition heals.
            shipped = max(written, nflt[node, F_CUT_TO])
        if now < shipped + nflt[node, F_LAG]:
            gstat[0, G_STALE] += 1.0


@njit(cache=True, nogil=True, _nrt=False)
def _cdn_hit(nint, nflt, nstat, req_i, cmeta, cint, cexp, ctab, ccount, node, req, now):
    """A CDN edge serves a static file it holds; a miss is noted so the origin's answer fills it.
    Other requests pass through to the origin, uncached."""
    req_i[req, RI_CDN] = -1
    if req_i[req, RI_CLS] != C_STATIC:
        return False
    if cache.get(cmeta, cint, cexp, ctab, ccount, node, req_i[req, RI_KEY], now, nflt[node, F_TTL]):
        _bump(nstat, node, S_HIT, 1.0)
        return True
    _bump(nstat, node, S_MISS, 1.0)
    req_i[req, RI_CDN] = node
    return False


@njit(cache=True, nogil=True, _nrt=False)
def _fill_cdn(nint, nflt, req_i, cmeta, cint, cexp, ctab, ccount, req, now):
    """The origin answered a static file a CDN missed: the CDN keeps a copy for ttl_s."""
    target = req_i[req, RI_CDN]
    if target >= 0 and nint[target, I_UP] == 1:
        cache.put(cmeta, cint, cexp, ctab, ccount, target, req_i[req, RI_KEY], now, nflt[target, F_TTL])


@njit(cache=True, nogil=True, _nrt=False)
def _next_in_turn(nint, succ, node):
    """The next edge out of `node` in turn (a CDN's origins), or -1 when it has none."""
    first, last = nint[node, I_SUCC0], nint[node, I_SUCC1]
    if last == first:
        return -1
    return succ[first + _turn(nint, node, I_RR, last - first)]


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _forward(
    nint, nflt, nstat, succ, edge_to, eint, eflt, eflow, gstat, hist, req_i, req_f, free, heap,
    qbuf, scalars, rng, cmeta, cint, cexp, ctab, ccount, rwrite, rring, rmeta, sess, node, req, now,
):  # fmt: skip
    """Send a request on from `node` through any load balancers to its next server, or finish it."""
    kind = nint[node, I_KIND]
    if kind == K_WEB:
        edge = _web_edge(nint, succ, edge_to, gstat, req_i, sess, rmeta, node, req)
    elif kind == K_CACHE:
        if cache.get(cmeta, cint, cexp, ctab, ccount, node, req_i[req, RI_KEY], now, nflt[node, F_TTL]):
            _bump(nstat, node, S_HIT, 1.0)
            _complete(gstat, hist, req_i, req_f, free, scalars, req, now)
            return
        _bump(nstat, node, S_MISS, 1.0)
        # The web server that asked goes on to a database itself (cache-aside).
        edge = _data_edge(nint, succ, edge_to, rmeta, req_i, req_i[req, RI_WEB], req)
    elif kind == K_DB:
        if req_i[req, RI_CLS] == C_WRITE:
            nflt[node, F_WRITES] += 1.0
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
        edge = _web_edge(nint, succ, edge_to, gstat, req_i, sess, rmeta, node, req)
    elif kind == K_CDN:
        if _cdn_hit(nint, nflt, nstat, req_i, cmeta, cint, cexp, ctab, ccount, node, req, now):
            _complete(gstat, hist, req_i, req_f, free, scalars, req, now)
            return
        edge = _next_in_turn(nint, succ, node)
    elif kind == K_WORKER:
        # The job is done (its user was answered when it was queued); take the next one.
        _release(free, scalars, req)
        _pull(nint, nflt, nstat, succ, edge_to, eflow, req_i, req_f, heap, qbuf, scalars, rng,
              nint[node, I_SOURCE], now)  # fmt: skip
        return
    else:
        edge = _pick_edge(nint, nflt, succ, edge_to, eint, eflt, req_i, rng, node, req)
    while True:
        if edge == -2:
            # Databases are there, but none takes it: a write with no primary to write to.
            _fail(nstat, gstat, free, scalars, node, req)
            return
        if edge < 0:
            if kind == K_USERS or kind == K_LB or kind == K_DNS:  # noqa: SIM109 (plain compares in a kernel)
                _fail(nstat, gstat, free, scalars, node, req)
            else:
                if req_i[req, RI_CLS] == C_STATIC:
                    _fill_cdn(nint, nflt, req_i, cmeta, cint, cexp, ctab, ccount, req, now)
                _complete(gstat, hist, req_i, req_f, free, scalars, req, now)
            return
        cls = req_i[req, RI_CLS]
        eflow[0, edge, cls] += 1.0
        # The request and its answer cross the network between the edge's two ends.
        req_f[req, R_T0] -= eflt[edge, EF_RTT]
        target = edge_to[edge]
        if nint[target, I_UP] == 0 or eint[edge, EI_CUT] == 1:
            _bump(nstat, target, S_ARR, 1.0)
            _fail(nstat, gstat, free, scalars, target, req)
            return
        target_kind = nint[target, I_KIND]
        if target_kind == K_QUEUE:
            _enqueue(nint, nflt, nstat, succ, edge_to, eflow, gstat, hist, req_i, req_f, free, heap, qbuf,
                     scalars, rng, target, req, now)  # fmt: skip
            return
        if target_kind != K_LB and target_kind != K_DNS:
            _arrive(nint, nflt, nstat, gstat, req_i, req_f, free, heap, qbuf, scalars, rng, target, req,
                    now)  # fmt: skip
            return
        _bump(nstat, target, S_ARR, 1.0)
        _bump(nstat, target, S_DONE, 1.0)
        node, kind = target, target_kind
        if kind == K_DNS:
            edge = _resolve(nint, nflt, succ, req_f, req_i, sess, node, req, now)
            if edge >= 0:
                req_f[req, R_T0] -= _entry_rtt(nint, nflt, edge_to, req_i, edge, req)
        else:
            edge = _pick_edge(nint, nflt, succ, edge_to, eint, eflt, req_i, rng, node, req)


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _start_waiting(nint, nflt, nstat, req_i, req_f, heap, qbuf, scalars, rng, node, now):
    """Start queued requests while the node has idle workers (after a departure or more workers)."""
    _integrate(nint, nflt, nstat, node, now)
    while nint[node, I_QLEN] > 0 and nint[node, I_BUSY] < nint[node, I_WORKERS]:
        head = nint[node, I_QHEAD]
        req = qbuf[nint[node, I_QOFF] + head]
        nint[node, I_QHEAD] = _ring(head + 1, nint[node, I_QCAP])
        nint[node, I_QLEN] -= 1
        _start_service(nint, nflt, nstat, req_i, req_f, heap, scalars, rng, node, req, now)


@njit(cache=True, nogil=True, _nrt=False)
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


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _ceiling(traffic):
    """The highest rate factor of the pattern: candidates arrive at rate x ceiling (thinning)."""
    return 1.0 if traffic[T_PATTERN] == PATTERN_CONSTANT else max(1.0, traffic[T_PEAK])


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _schedule_arrival(nflt, rng, traffic, node, now):
    """Draw when the users node's next candidate request arrives (at the pattern's highest rate)."""
    rate = nflt[node, F_RATE] * _ceiling(traffic)
    nflt[node, F_NEXT] = now + exponential(rng, 1.0 / rate) if rate > 0.0 else math.inf


@njit(cache=True, nogil=True, _nrt=False, inline="always")
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


@njit(cache=True, nogil=True, _nrt=False, inline="always")
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
    cost = cls if cls <= C_JOB else COST_READ
    if traffic[T_JOIN_RATIO] > 0.0 and cls == C_READ and uniform(rng) < traffic[T_JOIN_RATIO]:
        cost = COST_JOIN
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


@njit(cache=True, nogil=True, _nrt=False, inline="always")
def _next_arrival(nflt, users):
    """The users row whose request arrives first, and when (ties to the first in order)."""
    node, t = -1, math.inf
    for i in range(users.shape[0]):
        if nflt[users[i], F_NEXT] < t:
            node, t = users[i], nflt[users[i], F_NEXT]
    return node, t


@njit(cache=True, nogil=True, _nrt=False)
def advance(st, t_end):
    """Process every event before t_end, then bring each node's time integrals up to t_end."""
    (nint, nflt, nstat, succ, edge_to, eint, eflt, eflow, gstat, hist, req_i, req_f, free, heap,
     qbuf, scalars, rng, traffic, cmeta, cint, cexp, ctab, ccount, rwrite, rring,
     rmeta, sess, users) = st  # fmt: skip
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
        else:
            node = arrival_node
            req = _new_request(nint, nflt, nstat, gstat, req_i, req_f, free, heap, scalars, rng, traffic, sess,
                               node, now)  # fmt: skip
            arrival_node, arrival_t = _next_arrival(nflt, users)
            if req < 0:
                continue
        # One call site, so that the whole routing code is inlined once.
        _forward(nint, nflt, nstat, succ, edge_to, eint, eflt, eflow, gstat, hist, req_i, req_f, free,
                 heap, qbuf, scalars, rng, cmeta, cint, cexp, ctab, ccount, rwrite,
                 rring, rmeta, sess, node, req, now)  # fmt: skip
        if departure:
            _start_waiting(nint, nflt, nstat, req_i, req_f, heap, qbuf, scalars, rng, node, now)
    for node in range(nint.shape[0]):
        _integrate(nint, nflt, nstat, node, t_end)
    return events


@njit(cache=True, nogil=True, _nrt=False)
def start_waiting(st, node, now):
    (nint, nflt, nstat, succ, edge_to, eint, eflt, eflow, gstat, hist, req_i, req_f, free, heap,
     qbuf, scalars, rng, traffic, cmeta, cint, cexp, ctab, ccount, rwrite, rring,
     rmeta, sess, users) = st  # fmt: skip
    _start_waiting(nint, nflt, nstat, req_i, req_f, heap, qbuf, scalars, rng, node, now)


@njit(cache=True, nogil=True, _nrt=False)
def kill(st, node, now):
    """The node fails: every request it queued or served fails with it (a queue's jobs are lost; a
    worker's jobs in progress go back to its queue, lost only if it is down or full). Returns how
    many were lost."""
    (nint, nflt, nstat, succ, edge_to, eint, eflt, eflow, gstat, hist, req_i, req_f, free, heap,
     qbuf, scalars, rng, traffic, cmeta, cint, cexp, ctab, ccount, rwrite, rring,
     rmeta, sess, users) = st  # fmt: skip
    _integrate(nint, nflt, nstat, node, now)
    kind = nint[node, I_KIND]
    lost = 0
    for i in range(nint[node, I_QLEN]):
        req = qbuf[nint[node, I_QOFF] + (nint[node, I_QHEAD] + i) % nint[node, I_QCAP]]
        if kind == K_QUEUE:
            _drop_job(nstat, free, scalars, node, req)
        else:
            _fail(nstat, gstat, free, scalars, node, req)
        lost += 1
    for i in range(scalars[SC_HEAP]):
        event = heap_event(heap, i)
        if event_node(event) == node:
            req = event_req(event)
            if kind != K_WORKER:
                _fail(nstat, gstat, free, scalars, node, req)
                lost += 1
            elif not _requeue(nint, nflt, nstat, qbuf, nint[node, I_SOURCE], req, now):
                _drop_job(nstat, free, scalars, node, req)
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
        _pull(nint, nflt, nstat, succ, edge_to, eflow, req_i, req_f, heap, qbuf, scalars, rng,
              nint[node, I_SOURCE], now)  # fmt: skip
    return lost


@njit(cache=True, nogil=True, _nrt=False)
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


@njit(cache=True, nogil=True, _nrt=False)
def pull(st, queue, now):
    """Hand a queue's waiting jobs to free workers (after a worker is revived or given more workers)."""
    (nint, nflt, nstat, succ, edge_to, eint, eflt, eflow, gstat, hist, req_i, req_f, free, heap,
     qbuf, scalars, rng, traffic, cmeta, cint, cexp, ctab, ccount, rwrite, rring,
     rmeta, sess, users) = st  # fmt: skip
    _pull(nint, nflt, nstat, succ, edge_to, eflow, req_i, req_f, heap, qbuf, scalars, rng, queue, now)


@njit(cache=True, nogil=True, _nrt=False)
def schedule_arrivals(st, now):
    """(Re)draw each users node's next arrival from `now`; exponential gaps have no memory."""
    (nint, nflt, nstat, succ, edge_to, eint, eflt, eflow, gstat, hist, req_i, req_f, free, heap,
     qbuf, scalars, rng, traffic, cmeta, cint, cexp, ctab, ccount, rwrite, rring,
     rmeta, sess, users) = st  # fmt: skip
    for i in range(users.shape[0]):
        _schedule_arrival(nflt, rng, traffic, users[i], now)
