"""The cache backend: Django's Redis cache, which a Redis outage cannot turn into an error page.

What the cache holds can always be done without: rate-limit and throttle counts, cached pages.
So when Redis is down, refuses, or does not answer within the socket timeouts (CACHES' OPTIONS),
every operation becomes a miss: a read gives the default, a write stores nothing, ``add`` and
``has_key`` answer False, ``incr`` raises ValueError as for a missing key. Rate limits and API
throttles then let requests through (RATELIMIT_FAIL_OPEN) rather than refuse or fail them.

Each failure is logged once as a WARNING naming the operation and the error, never a key (keys
can hold a client's address). After a failure this process leaves Redis alone for
``RETRY_AFTER_SECONDS``, so a hung server costs one timeout now and then, not one per call.
"""

import logging
import math
import time
from collections.abc import Callable
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

from common.outages import Outages

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5.0

outages = Outages(retry_after=RETRY_AFTER_SECONDS)


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client that keeps one redis-py client per connection pool.

    Django's makes a new ``redis.Redis`` for every operation, which costs more CPU than the round
    trip itself (about 0.17 ms with redis-py 8); a client only borrows a connection from its pool
    for each command, so one per pool serves every operation. Django keeps a cache backend per
    thread, so the clients are never shared between threads either.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class ForgivingRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` whose failures are misses (see the module),
    with one redis-py client per connection pool (``ReusedClientRedisCacheClient``)."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = ReusedClientRedisCacheClient
        self._location = ",".join(self._servers)

    def _safely(self, operation: str, call: Callable[[], Any], miss: Any) -> Any:
        if outages.is_down(self._location):
            return self._miss(miss)
        try:
            return call()
        except (RedisError, OSError) as exc:
            outages.record(self._location)
            logger.warning(
                "Cache unreachable (%s on %s): treated as a miss; Redis is tried again in %g s.",
                type(exc).__name__,
                operation,
                outages.retry_after,
            )
            return self._miss(miss)

    @staticmethod
    def _miss(miss: Any) -> Any:
        if isinstance(miss, Exception):
            raise miss
        return miss

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._safely("add", lambda: super(ForgivingRedisCache, self).add(key, value, timeout, version), False)

    def get(self, key, default=None, version=None):
        return self._safely("get", lambda: super(ForgivingRedisCache, self).get(key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._safely("set", lambda: super(ForgivingRedisCache, self).set(key, value, timeout, version), None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._safely("touch", lambda: super(ForgivingRedisCache, self).touch(key, timeout, version), False)

    def delete(self, key, version=None):
        return self._safely("delete", lambda: super(ForgivingRedisCache, self).delete(key, version), False)

    def get_many(self, keys, version=None):
        return self._safely("get_many", lambda: super(ForgivingRedisCache, self).get_many(keys, version), {})

    def has_key(self, key, version=None):
        return self._safely("has_key", lambda: super(ForgivingRedisCache, self).has_key(key, version), False)

    def incr(self, key, delta=1, version=None):
        missing = ValueError("The cache is unreachable; nothing was counted.")
        return self._safely("incr", lambda: super(ForgivingRedisCache, self).incr(key, delta, version), missing)

    def count(self, key: str, seconds: int) -> tuple[int, float] | None:
        """``window_count`` in Redis (one round trip); None when the cache is unreachable."""
        return self._safely("count", lambda: _redis_count(self, key, seconds), None)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._safely(
            "set_many", lambda: super(ForgivingRedisCache, self).set_many(data, timeout, version), list(data)
        )

    def delete_many(self, keys, version=None):
        return self._safely("delete_many", lambda: super(ForgivingRedisCache, self).delete_many(keys, version), None)

    def clear(self):
        return self._safely("clear", lambda: super(ForgivingRedisCache, self).clear(), False)


# --- Counting in windows (the API throttles) ---------------------------------------------------


# Count one under KEYS[1]; a key without an expiry (a new one) starts a window of ARGV[1] ms.
_WINDOW_COUNT = """
local counted = redis.call('INCR', KEYS[1])
local left = redis.call('PTTL', KEYS[1])
if left < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  left = tonumber(ARGV[1])
end
return {counted, left}
"""


def _redis_count(backend: RedisCache, key: str, seconds: int) -> tuple[int, float]:
    """One script, so one round trip and atomic: count one, start the window if there is none (the
    counter then expires after ``seconds``), and tell how long the window has left. Sent by its
    digest (EVALSHA), the script's text only when the server does not know it yet."""
    key = backend.make_and_validate_key(key)
    client = backend._cache.get_client(key, write=True)
    counted, left_ms = client.register_script(_WINDOW_COUNT)(keys=[key], args=[seconds * 1000])
    return int(counted), max(left_ms, 0) / 1000


def window_count(key: str, *, seconds: int) -> tuple[int, float] | None:
    """Count one more under ``key`` in a window of ``seconds`` that opens at the first count: the
    count so far in the window and the seconds until it closes. With Redis, one round trip; None
    when the cache is unreachable (the caller lets the request through). Other backends (the
    local-memory cache of development) count with ``add`` and ``incr``, per process."""
    seconds = max(math.ceil(seconds), 1)
    cache = caches["default"]
    if isinstance(cache, ForgivingRedisCache):
        return cache.count(key, seconds)
    if isinstance(cache, RedisCache):
        return _redis_count(cache, key, seconds)
    now = time.time()
    cache.add(f"{key}:closes", now + seconds, seconds)
    cache.add(key, 0, seconds)
    try:
        counted = cache.incr(key)
    except ValueError:  # the window closed between the two calls: this is the first of the next one
        cache.set(key, 1, seconds)
        counted = 1
    return counted, max(cache.get(f"{key}:closes", now + seconds) - now, 0.0)
