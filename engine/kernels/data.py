"""The data tier on a request's path: databases and their replicas, shards, caches and CDN edges."""

from engine.kernels import cache
from engine.kernels.balancing import _next_of_kind
from engine.kernels.jit import jit
from engine.kernels.layout import (
    C_JOB,
    C_LOGIN,
    C_READ,
    C_STATIC,
    C_WRITE,
    CACHE_SALT,
    COST_JOIN,
    COST_TXN,
    COST_WRITE,
    EDGE_ABORTED,
    EI_CUT,
    F_CUT_FROM,
    F_CUT_TO,
    F_LAG,
    F_TTL,
    G_SESSIONS_LOST,
    G_STALE,
    G_TWOPC,
    G_TXN_ABORTED,
    G_TXN_PARTIAL,
    I_GROUP,
    I_KIND,
    I_ROLE,
    I_RR,
    I_RR_JOB,
    I_RR_WRITE,
    I_SESSIONS,
    I_SET,
    I_SHARD,
    I_SUCC0,
    I_SUCC1,
    I_SYNC,
    I_UP,
    I_WRITE_THROUGH,
    K_CACHE,
    K_DB,
    K_QUEUE,
    K_SESSIONS,
    K_STORE,
    R_T0,
    RI_CACHE,
    RI_CDN,
    RI_CLIENT,
    RI_CLS,
    RI_COST,
    RI_FAN,
    RI_KEY,
    RI_SESSION,
    RI_WEB,
    ROLE_PRIMARY,
    ROLE_REPLICA,
    S_HIT,
    S_MISS,
    S_SESSIONS_LOST,
    SESSIONS_LOCAL,
    SESSIONS_STORE,
    SG_ACTIVE,
    SG_ATOMIC,
    SG_FAN,
    SG_MODE,
    SG_POINTS,
    SG_RING,
    SG_TWOPC_US,
    SHARD_MODULO,
    SHARD_SALT,
    SS_SESSION,
)
from engine.kernels.rng import mix64
from engine.kernels.serve import _bump, _turn


@jit(inline="always")
def _takes(nint, target, role, need_up, shard):
    return (
        nint[target, I_KIND] == K_DB and nint[target, I_ROLE] == role and (need_up == 0 or nint[target, I_UP] == 1)
        and (shard < 0 or nint[target, I_SHARD] == shard)
    )  # fmt: skip


@jit(inline="always")
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


@jit(inline="always")
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


@jit
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


@jit
def _sharded_edge(nint, succ, edge_to, gstat, rmeta, req_i, req_f, node, req):
    """A web server with a shard group behind it sends the request to its key's shard; a join
    over data that is not denormalised then visits every other shard too, one after another."""
    row = nint[node, I_GROUP]
    cost = req_i[req, RI_COST]
    if cost == COST_JOIN and rmeta[row, SG_FAN] == 1:
        req_i[req, RI_FAN] = rmeta[row, SG_ACTIVE] - 1
    shard = shard_of(rmeta, row, req_i[req, RI_KEY])
    if cost == COST_TXN and rmeta[row, SG_ACTIVE] > 1:
        return _transaction(nint, succ, edge_to, gstat, rmeta, req_i, req_f, node, req, row, shard)
    return _database_edge(nint, succ, edge_to, node, _data_class(req_i, req), shard)


@jit
def _transaction(nint, succ, edge_to, gstat, rmeta, req_i, req_f, node, req, row, shard):
    """A transaction over two rows in a shard group: its key's and one on the next shard (money
    moving between two accounts that live on different shards). Relational shards commit it with
    two-phase commit: the web server asks both to prepare and commits only when both vote yes, one
    more round trip; with a participant down it aborts (EDGE_ABORTED) and neither row is written.
    A NoSQL store is atomic per key only: each shard writes its row on its own, so with one shard
    down the other's row is written alone, a half-done transaction the application must repair."""
    other = shard + 1 if shard + 1 < rmeta[row, SG_ACTIVE] else 0
    first = _database_edge(nint, succ, edge_to, node, C_WRITE, shard)
    second = _database_edge(nint, succ, edge_to, node, C_WRITE, other)
    if first < 0 or second < 0:
        return first if first < 0 else second  # a shard with no primary: fails as any write there
    up_first, up_second = nint[edge_to[first], I_UP] == 1, nint[edge_to[second], I_UP] == 1
    if up_first and up_second:
        req_i[req, RI_FAN] = 1
        if rmeta[row, SG_ATOMIC] == 1:
            extra = rmeta[row, SG_TWOPC_US] * 1e-6
            req_f[req, R_T0] -= extra
            gstat[0, G_TWOPC] += extra
        return first
    if rmeta[row, SG_ATOMIC] == 1:
        gstat[0, G_TXN_ABORTED] += 1.0
        return EDGE_ABORTED
    if up_first or up_second:
        gstat[0, G_TXN_PARTIAL] += 1.0
        req_i[req, RI_COST] = COST_WRITE  # one row written alone: no longer a transaction
    return first if up_first else second  # both down: it fails at the first, as any write


@jit
def _next_shard_edge(nint, succ, edge_to, rmeta, req_i, db, req):
    """A fanned-out join (or a transaction's first row) leaves shard `db`: its web server asks the
    next shard (a transaction writes its second row on that shard's primary)."""
    req_i[req, RI_FAN] -= 1
    web = req_i[req, RI_WEB]
    shard = (nint[db, I_SHARD] + 1) % rmeta[nint[web, I_GROUP], SG_ACTIVE]
    return _database_edge(nint, succ, edge_to, web, _data_class(req_i, req), shard)


@jit(inline="always")
def _data_class(req_i, req):
    """A database serves writes and reads; a login reads the user's account."""
    return C_WRITE if req_i[req, RI_CLS] == C_WRITE else C_READ


@jit(inline="always")
def _data_edge(nint, succ, edge_to, gstat, rmeta, req_i, req_f, node, req):
    """The edge to the database a read or write goes to from web server `node` (see _database_edge);
    sharded topologies take a plain call, so that others pay one comparison."""
    if nint[node, I_GROUP] >= 0:
        return _sharded_edge(nint, succ, edge_to, gstat, rmeta, req_i, req_f, node, req)
    return _database_edge(nint, succ, edge_to, node, _data_class(req_i, req), -1)


@jit(inline="always")
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


@jit(inline="always")
def _local_session(nstat, gstat, req_i, sess, node, req):
    """A session kept in a web server's memory: a user whose session is on another server is
    logged out (the session is lost) and logs in again here. A login starts a new session anyway."""
    client = req_i[req, RI_CLIENT]
    if client >= sess.shape[0]:
        return  # a client of before traffic.clients went down, still in flight: no longer tracked
    held = sess[client, SS_SESSION]
    if held >= 0 and held != node and req_i[req, RI_CLS] != C_LOGIN:
        gstat[0, G_SESSIONS_LOST] += 1.0
        _bump(nstat, node, S_SESSIONS_LOST, 1.0)
    sess[client, SS_SESSION] = node


@jit(inline="always")
def _web_edge(nint, succ, edge_to, nstat, gstat, req_i, req_f, sess, rmeta, node, req):
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
        _local_session(nstat, gstat, req_i, sess, node, req)
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
        return _data_edge(nint, succ, edge_to, gstat, rmeta, req_i, req_f, node, req)
    edge = _cache_edge(nint, succ, edge_to, node, req_i[req, RI_KEY])
    if edge >= 0 and nint[edge_to[edge], I_UP] == 1:
        req_i[req, RI_CACHE] = edge_to[edge]
        if req_i[req, RI_CLS] == 0:
            return edge
    return _data_edge(nint, succ, edge_to, gstat, rmeta, req_i, req_f, node, req)


@jit(inline="always")
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


@jit(inline="always")
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


@jit
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


@jit
def _fill_cdn(nint, nflt, req_i, cmeta, cint, cexp, ctab, ccount, req, now):
    """The origin answered a static file a CDN missed: the CDN keeps a copy for ttl_s."""
    target = req_i[req, RI_CDN]
    if target >= 0 and nint[target, I_UP] == 1:
        cache.put(cmeta, cint, cexp, ctab, ccount, target, req_i[req, RI_KEY], now, nflt[target, F_TTL])
