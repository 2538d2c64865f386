"""The layout of the kernels' state: the arrays, their columns and the codes they hold.

The state arrays (n nodes, E edges, R request slots, H heap slots):

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
                     count into [0] only (of nstat, eflow, gstat and hist); engine.model.state adds what
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
    req_f[R, 3]      its arrival time, the time it joined its current queue and started its service
    free[R]          stack of free request slots; scalars[SC_FREE_TOP] its height
    heap[H, 2]       the departures' heap (see heap_push): each entry's time and its event packed in an
                     integer (see pack_event), side by side
    qbuf[...]        every node's FIFO ring buffer, one after another (nint[:, I_QOFF])
    scalars          heap size, free-stack height, requests offered, the sample's budget and threshold
    rng[4]           xoshiro256** state
    traffic[T_*]     read ratio, clients and keys to draw from, Zipf sampler constants, job ratio, rate
                     pattern with its peak and period, the hot key and its share, the share of joins,
                     class thresholds, static files and their sampler
    cmeta, cint, cexp, ctab, ccount  what each cache holds (see engine.kernels.cache)
    rwrite[S, K]     per replica set, the time the primary last committed a write to a key (cell key mod K)
    rring[S, RING]   per replica set, the commit times of its latest RING writes (a ring); rmeta[S, :2]
                     the ring's next place and how many writes it has seen; rmeta's further rows, one
                     per shard group, say how its keys are placed (SG_*, engine.simulation.sharding)
    users[U]         the rows of the users nodes, in order (their next arrivals: nflt[:, F_NEXT])
    trace[TS, TR_*]  the stories of sampled requests: a header and a fixed number of hops each
                     (engine.kernels.trace)
    sess[clients, SS_*]  per client: where its session lives (the web server or session store, -1 for
                     none); its DNS answer (an edge) and when that expires (integer microseconds)
"""

import numpy as np

from engine.catalog.codes import (
    ALGO_CODES,
    CAUSE_CODES,
    CLASS_CODES,
    DIST_CODES,
    HOP_CODES,
    KIND_CODES,
    PATTERN_CODES,
    ROLE_CODES,
    SESSION_CODES,
    SHARDING_CODES,
)

# Node kinds (a backup is sent no requests: engine.simulation.backups takes its snapshots between
# kernel calls)
K_USERS, K_LB, K_WEB, K_DB, K_CACHE, K_QUEUE, K_WORKER, K_SESSIONS, K_DNS, K_CDN, K_STORE, K_DC, K_BACKUP = (
    KIND_CODES[kind] for kind in (
        "users", "load_balancer", "web_server", "database", "cache", "message_queue", "worker", "session_store",
        "dns", "cdn", "object_store", "data_center", "backup",
    )
)  # fmt: skip
# Request classes
C_READ, C_WRITE, C_JOB, C_STATIC, C_LOGIN = (CLASS_CODES[c] for c in ("read", "write", "job", "static", "login"))
N_CLASSES = len(CLASS_CODES)
# Service distributions
D_EXP, D_CONST, D_LOGNORMAL = (DIST_CODES[d] for d in ("exponential", "constant", "lognormal"))
# Load-balancing algorithms
A_ROUND_ROBIN, A_RANDOM, A_LEAST, A_TWO_CHOICES, A_IP_HASH, A_WEIGHTED = (
    ALGO_CODES[a] for a in ("round_robin", "random", "least_connections", "two_choices", "ip_hash", "weighted")
)
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
# none; web servers: the rmeta row of the shard group behind them, -1 for none (engine.simulation.sharding)
I_SHARD, I_GROUP = range(21, 23)
# Users: the edge their DNS answers them now (-1: none) and the CDN edge it gives static files
# (-1: none); the block of client ids they draw from when a DNS caches answers per client (count 0:
# any client). Every node: its region (-1: none; see engine.simulation.geo)
I_ANSWER, I_CDN_ANSWER, I_CLIENT_OFF, I_CLIENT_N, I_REGION = range(23, 28)
# Users whose requests need more than round robin over their edges (a CDN or a DNS among them)
I_ROUTED = 28
# Users: the client their next request comes from, drawn one request ahead so that its row of
# `sess` can be fetched into the CPU's caches meanwhile (-1: not drawn yet)
I_NEXT_CLIENT = 29
N_INT = 30
SESSIONS_NONE, SESSIONS_LOCAL, SESSIONS_STORE = (SESSION_CODES[s] for s in ("none", "local", "store"))
ROLE_PRIMARY, ROLE_REPLICA = ROLE_CODES["primary"], ROLE_CODES["replica"]
# nflt columns
F_MEAN, F_MU, F_SIGMA, F_RATE, F_LAST, F_WEIGHT, F_SLOW, F_LAG, F_WRITE_WAIT, F_TTL = range(10)
# What a request costs a database: a read (logins read the account), a write, a job, or a read
# that joins. Static files never reach a database.
# A write that is a transaction changes two rows at once (engine.kernels.data._transaction).
COST_READ, COST_WRITE, COST_JOB, COST_JOIN, COST_TXN = range(5)
N_COSTS = 5
# What a web server's choice of database edge returns for a transaction that two-phase commit
# aborted (edges are >= 0; -1 and -2 mean no database, no primary)
EDGE_ABORTED = -3
# Writes a database committed since the start (never cleared: a restore counts those after its
# snapshot); then N_COSTS multipliers of the service time, one per cost (COST_*): 1 except on
# databases, where the data model sets them (engine.model.topology.database_costs)
F_WRITES, F_COST = 10, 11
# Replicas: when a partition cut them from their primary (inf: never) and when it healed (inf: not yet)
F_CUT_FROM, F_CUT_TO = F_COST + N_COSTS, F_COST + N_COSTS + 1
# Round-trip time (s) from this node's region to region r is column F_RTT + r (engine.catalog.world.REGIONS)
# Users: when their next request arrives (s; inf: none). Arrivals are kept here, beside the event
# heap, not in it: there is one pending per users node, so the earliest is found by looking at a
# few rows, and the heap (pushed and popped for every event) holds departures only.
F_NEXT = F_CUT_TO + 1
F_RTT = F_NEXT + 1
N_REGIONS = 8
# Databases: until when a schema change (alter_table) holds its table's lock; a write that starts
# before then waits for it, holding its worker as a blocked connection does (0: no lock)
F_LOCK_UNTIL = F_RTT + N_REGIONS
N_FLT = F_LOCK_UNTIL + 1
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
# Its row of `trace` when it is a sampled request (engine.kernels.trace), else -1
RI_TRACE = 10
N_REQI = 11
# sess columns, per client: where its session lives (-1: none); its DNS answer (an edge, -1: none)
# and when that answer expires (simulated microseconds)
SS_SESSION, SS_DNS, SS_DNS_UNTIL = range(3)
N_SESS = 3
# traffic entries: read ratio; clients to draw from (0 when nothing needs a client id); keys to
# draw from (0 when nothing needs a key), Zipf exponent and the sampler's constants (engine.kernels.rng)
T_READ_RATIO, T_CLIENTS, T_KEYS, T_ZIPF, T_ZIPF_HX1, T_ZIPF_HN, T_ZIPF_SQUEEZE, T_JOB_RATIO = range(8)
# How the rate changes over time: pattern, peak (a multiple of the rate), period (s)
T_PATTERN, T_PEAK, T_PERIOD = range(8, 11)
# A hot key (the hot_key action): share of requests that ask for it, and the key; share of reads that join
T_HOT_SHARE, T_HOT_KEY, T_JOIN_RATIO = range(11, 14)
# Class thresholds of one uniform draw: job below T_JOB_RATIO, static below T_STATIC_TO, login below
# T_LOGIN_TO, then read or write; static files to draw from and their Zipf sampler's constants
T_STATIC_TO, T_LOGIN_TO, T_FILES, T_FILES_HX1, T_FILES_HN, T_FILES_SQUEEZE = range(14, 20)
# Share of writes that are transactions over two rows
T_TXN_RATIO = 20
N_TRAFFIC = 21
PATTERN_CONSTANT, PATTERN_RAMP, PATTERN_SPIKE, PATTERN_DIURNAL = (
    PATTERN_CODES[p] for p in ("constant", "ramp", "spike", "diurnal")
)
# A spike pattern's burst: this part of each period
SPIKE_FROM, SPIKE_TO = 0.45, 0.55
# nstat columns: arrivals, completed, dropped, busy-time integral, queue-length integral,
# total wait before service, total time at the node (wait + service), services started, cache
# hits and misses
S_ARR, S_DONE, S_DROP, S_BUSY, S_QINT, S_WAIT, S_LAT, S_STARTED, S_HIT, S_MISS = range(10)
# Then each failure cause's count (S_CAUSE + FAIL_*; they add up to S_DROP), and the users logged out
# at a web server because their session was on another (sessions kept locally)
S_CAUSE = 10
N_CAUSES = len(CAUSE_CODES)
S_SESSIONS_LOST = S_CAUSE + N_CAUSES
# Databases: time writes waited for a schema change's lock (s), and the writes that waited
S_LOCK_WAIT, S_LOCKED = S_SESSIONS_LOST + 1, S_SESSIONS_LOST + 2
N_STAT = S_LOCKED + 1
# Why a request failed (engine.catalog.outcomes.FAILURE_CAUSES)
FAIL_QUEUE_FULL, FAIL_DEAD, FAIL_PARTITIONED, FAIL_KILLED, FAIL_NO_SERVER, FAIL_NO_PRIMARY, FAIL_HOP_LIMIT = (
    CAUSE_CODES[c] for c in ("queue_full", "dead", "partitioned", "killed", "no_server", "no_primary", "hop_limit")
)
FAIL_JOB_LOST, FAIL_QUEUE_SHRUNK = CAUSE_CODES["job_lost"], CAUSE_CODES["queue_shrunk"]
FAIL_TXN_ABORTED = CAUSE_CODES["txn_aborted"]
# What happened to a sampled request at a hop (engine.catalog.outcomes.HOP_OUTCOMES; a failure's
# code is its cause's)
OUT_SERVED, OUT_ROUTED, OUT_FAILED_OVER, OUT_RESOLVED, OUT_CACHE_HIT, OUT_CACHE_MISS = (
    HOP_CODES[c] for c in ("served", "routed", "failed_over", "resolved", "cache_hit", "cache_miss")
)
OUT_CDN_HIT, OUT_CDN_MISS, OUT_STALE_READ, OUT_SESSION_LOST, OUT_JOB_QUEUED, OUT_REQUEUED, OUT_IN_FLIGHT = (
    HOP_CODES[c] for c in ("cdn_hit", "cdn_miss", "stale_read", "session_lost", "job_queued", "requeued", "in_flight")
)
# gstat columns
G_OFFERED, G_COMPLETED, G_ERRORS, G_LATENCY, G_STALE, G_LOST, G_SESSIONS_LOST = range(7)
# Keys that moved to another shard (add_shard)
G_KEYS_MOVED = 7
# Transactions committed, aborted by two-phase commit (a participant was down: nothing written),
# half-done on a store without cross-shard transactions (one key written, the other not), and the
# time two-phase commit added to the committed ones (s)
G_TXN_COMMITTED, G_TXN_ABORTED, G_TXN_PARTIAL, G_TWOPC = range(8, 12)
N_GSTAT = 12
# Added to a key before hashing it to choose among caches (any constant far above the keys will do)
CACHE_SALT = 1 << 40
# The same for choosing a key's shard, so that it does not correlate with the choice of cache
SHARD_SALT = 2 << 40
# rmeta rows of shard groups (after the replica sets' rows): how keys are placed (SHARD_MODULO or
# SHARD_CONSISTENT), shards in use, points on the hash ring, 1 when a join must visit every
# shard (the data is not denormalised), 1 when its cross-shard transactions are atomic (relational:
# two-phase commit) and the time (integer microseconds) two-phase commit's extra round adds; from
# SG_RING the ring's points in increasing order, and
# from the middle of the rest of the row, the shard that owns each point
SG_MODE, SG_ACTIVE, SG_POINTS, SG_FAN, SG_ATOMIC, SG_TWOPC_US, SG_RING = range(7)
SHARD_MODULO, SHARD_CONSISTENT = SHARDING_CODES["modulo"], SHARDING_CODES["consistent"]
# scalars: heap size, free-stack height; requests offered so far (each one's sequence number);
# for sampled stories (engine.kernels.trace), how many more may start in this step, the number of
# the next request to sample (-1: none) and the mean gap between sampled requests
SC_HEAP, SC_FREE_TOP, SC_SEQ, SC_TRACE_LEFT, SC_TRACE_NEXT, SC_TRACE_EVERY = range(6)
N_SCALARS = 6
# Latency histogram: BINS_PER_DECADE bins per factor of ten from 10^LOG_MIN ms.
BINS_PER_DECADE = 100
LOG_MIN = -3
BINS = 10 * BINS_PER_DECADE


# Bin b holds latencies from LATENCY_EDGES_MS[b] up to LATENCY_EDGES_MS[b + 1]; the first and last
# bins also hold everything below and above.
LATENCY_EDGES_MS = 10.0 ** (LOG_MIN + np.arange(BINS + 1) / BINS_PER_DECADE)
# req_f columns: its arrival time (moved earlier by the network time it has crossed), the time it
# joined its current queue, and the time its current service started
R_T0, R_TQ, R_TS = range(3)
N_REQF = 3

# The arrays of one simulation's state (engine.model.state.State holds each under its name): a kernel
# of engine.kernels.entry names those it takes as its first parameters, and State.call passes them.
STATE_FIELDS = (
    "nint", "nflt", "nstat", "succ", "edge_to", "eint", "eflt", "eflow", "gstat", "hist", "req_i", "req_f", "free",
    "heap", "qbuf", "scalars", "rng", "traffic", "cmeta", "cint", "cexp", "ctab", "ccount", "rwrite", "rring",
    "rmeta", "sess", "users", "trace",
)  # fmt: skip

# What each kernel row is doing: a web server's instance may be off (not running, not paid for),
# booting, running (the load balancer may send to it) or draining (deregistered, finishing what it
# holds). A node without instances is one row, always running (even when killed: it is still there).
OFF, BOOTING, RUNNING, DRAINING = range(4)
