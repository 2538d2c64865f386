"""What the processes serving live classes share: who runs each class, its latest state, who watches.

One process owns each running class: it holds the class's lease, a key that expires unless the
owner renews it, and runs the simulation. Every process that has watchers of a class reports
them here, so the owner knows the whole audience and whether a teacher is still connected. The
owner saves the class's state after every frame and change, as a few named parts (a Redis hash:
playground.classes.saving says which), so that when it dies another process can take the lease
and resume the class from that state.

With REDIS_URL set the processes share Redis; without it there is one process and the same
contract is kept in memory.
"""

import json
import os
import socket
import time
import uuid

from django.conf import settings

# This process, as the leases and audience reports name it.
PROCESS_ID = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
# How long a lease or an audience report lives without renewal. Owners and relays renew every
# second, so a process that died is replaced within this time.
LEASE_S = 3.0
# How often owners renew their leases and processes report their audience and check the owner.
TICK_S = 1.0
# A class's saved state outlives its owner by this long, enough for a takeover or a late return.
STATE_TTL_S = 6 * 3600


def lease_key(code: str) -> str:
    return f"playground:live:{code}:owner"


def state_key(code: str) -> str:
    # Not ":state": that key held the whole state as one JSON string before, and a hash cannot replace it.
    return f"playground:live:{code}:saved"


def audience_key(code: str) -> str:
    return f"playground:live:{code}:audience"


def summed(reports: dict, now: float, elsewhere: bool) -> tuple[int, int]:
    """Students and teachers over the processes' reports (process -> [students, teachers, time])
    that are younger than a lease, leaving out this process's own if `elsewhere`."""
    fresh = [(s, t) for process, (s, t, at) in reports.items()
             if now - at < LEASE_S and not (elsewhere and process == PROCESS_ID)]  # fmt: skip
    return sum(s for s, _ in fresh), sum(t for _, t in fresh)


class MemoryCoordinator:
    """One process: the same contract as RedisCoordinator, kept in a dict with expiry times."""

    def __init__(self):
        self.values: dict[str, tuple[object, float]] = {}

    def _get(self, key: str):
        value, expires = self.values.get(key, (None, 0.0))
        return value if expires > time.monotonic() else None

    def _set(self, key: str, value, ttl: float) -> None:
        self.values[key] = (value, time.monotonic() + ttl)

    async def claim(self, code: str) -> bool:
        owner = self._get(lease_key(code))
        if owner not in (None, PROCESS_ID):
            return False
        self._set(lease_key(code), PROCESS_ID, LEASE_S)
        return True

    async def renew(self, code: str) -> bool:
        return await self.claim(code)

    async def release(self, code: str) -> None:
        if self._get(lease_key(code)) == PROCESS_ID:
            self.values.pop(lease_key(code), None)

    async def owner(self, code: str) -> str | None:
        return self._get(lease_key(code))

    async def save_state(self, code: str, parts: dict[str, str]) -> None:
        """Replace the named parts of the class's saved state (text each), all at once."""
        self._set(state_key(code), {**(self._get(state_key(code)) or {}), **parts}, STATE_TTL_S)

    async def load_state(self, code: str, names: tuple[str, ...] | None = None) -> dict[str, str] | None:
        """The saved parts (only `names`, when given), or None when nothing is saved."""
        saved = self._get(state_key(code))
        if not saved:
            return None
        return dict(saved) if names is None else {name: saved[name] for name in names if name in saved}

    async def report_audience(self, code: str, students: int, teachers: int) -> None:
        reports = self._get(audience_key(code)) or {}
        reports[PROCESS_ID] = (students, teachers, time.monotonic())
        self._set(audience_key(code), reports, STATE_TTL_S)

    async def audience(self, code: str, elsewhere: bool = False) -> tuple[int, int]:
        """Students and teachers watching, summed over the processes that reported lately (other
        than this one if `elsewhere`)."""
        return summed(self._get(audience_key(code)) or {}, time.monotonic(), elsewhere)


# Renew only a lease this process still holds: a compare-and-set, atomic in Redis.
RENEW_SCRIPT = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""
RELEASE_SCRIPT = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


class RedisCoordinator:
    """Several processes: leases are Redis keys set with NX and a time to live."""

    def __init__(self, url: str):
        import redis.asyncio

        self.url = url
        # A blocking pool waits for a free connection instead of failing when a whole class joins at once.
        pool = redis.asyncio.BlockingConnectionPool.from_url(url, decode_responses=True, max_connections=64, timeout=5)
        self.redis = redis.asyncio.Redis(connection_pool=pool)
        self.renew_script = self.redis.register_script(RENEW_SCRIPT)
        self.release_script = self.redis.register_script(RELEASE_SCRIPT)

    async def claim(self, code: str) -> bool:
        key, ttl_ms = lease_key(code), int(LEASE_S * 1000)
        if await self.redis.set(key, PROCESS_ID, nx=True, px=ttl_ms):
            return True
        return bool(await self.renew_script(keys=[key], args=[PROCESS_ID, ttl_ms]))

    async def renew(self, code: str) -> bool:
        return bool(await self.renew_script(keys=[lease_key(code)], args=[PROCESS_ID, int(LEASE_S * 1000)]))

    async def release(self, code: str) -> None:
        await self.release_script(keys=[lease_key(code)], args=[PROCESS_ID])

    async def owner(self, code: str) -> str | None:
        return await self.redis.get(lease_key(code))

    async def save_state(self, code: str, parts: dict[str, str]) -> None:
        """Replace the named parts of the class's saved state (text each), all at once."""
        key = state_key(code)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(key, mapping=parts)
            pipe.expire(key, STATE_TTL_S)
            await pipe.execute()

    async def load_state(self, code: str, names: tuple[str, ...] | None = None) -> dict[str, str] | None:
        """The saved parts (only `names`, when given), or None when nothing is saved."""
        key = state_key(code)
        if names is None:
            saved = await self.redis.hgetall(key)
        else:
            values = await self.redis.hmget(key, list(names))
            saved = {name: value for name, value in zip(names, values) if value is not None}
        return saved or None

    async def report_audience(self, code: str, students: int, teachers: int) -> None:
        key = audience_key(code)
        await self.redis.hset(key, PROCESS_ID, json.dumps([students, teachers, time.time()]))
        await self.redis.expire(key, STATE_TTL_S)

    async def audience(self, code: str, elsewhere: bool = False) -> tuple[int, int]:
        stored = await self.redis.hgetall(audience_key(code))
        return summed({process: json.loads(value) for process, value in stored.items()}, time.time(), elsewhere)


_coordinator = None


def coordinator() -> MemoryCoordinator | RedisCoordinator:
    """The coordinator of this process, made on first use (after the settings are read)."""
    global _coordinator
    if _coordinator is None:
        _coordinator = RedisCoordinator(settings.REDIS_URL) if settings.REDIS_URL else MemoryCoordinator()
    return _coordinator
