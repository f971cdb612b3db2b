"""The shared cache on Redis, which a Redis outage turns into an empty cache instead of an error.

Pages survive Redis being stopped: every read is a miss, every write is dropped, ``add`` succeeds
(as on an empty cache) and ``incr`` finds no key. The first failure is logged, then the backend
stops asking Redis for ``ENT_CACHE_RETRY_AFTER`` seconds (each request does not wait for a
connection to fail) and tries again after that; Redis back, the cache works again without any
restart. Sessions are in the database (``SESSION_ENGINE``), so nobody is signed out meanwhile.

What a miss costs during the outage: allauth's sign-in rate limits count nothing, and a two-factor
code already used may be used again within its 30 seconds. ``check()`` (the health endpoint) does
ask Redis and raises when it is down.
"""

import logging
import time
from functools import wraps

from django.conf import settings
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

ERRORS = (RedisError, OSError)


def _tolerant(fallback):
    """Run the client's method; on a Redis error, log (once per outage) and answer ``fallback(*args)``."""

    def decorate(method):
        @wraps(method)
        def wrapper(self, *args, **kwargs):
            if self._down_until > time.monotonic():
                return fallback(*args)
            try:
                result = method(self, *args, **kwargs)
            except ERRORS as error:
                if not self._down_until:
                    logger.warning("Redis cache unreachable, acting as an empty cache: %s", error)
                self._down_until = time.monotonic() + self._retry_after
                return fallback(*args)
            if self._down_until:
                self._ok()
            return result

        return wrapper

    return decorate


def _missing_key(*args):
    raise ValueError("Key not found (the cache is unreachable).")


class TolerantRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._down_until = 0.0
        self._retry_after = getattr(settings, "ENT_CACHE_RETRY_AFTER", 2)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        """One ``redis.Redis`` per connection pool, made once: Django's client makes a new one for
        every operation, and redis-py fills each with its ~170 response callbacks (a quarter of a
        millisecond per cache read, several reads per page). A ``Redis`` is safe to share between
        threads: each command borrows a connection from the pool."""
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients.setdefault(pool, self._client(connection_pool=pool))
        return client

    def _ok(self):
        if self._down_until:
            logger.warning("Redis cache reachable again.")
        self._down_until = 0.0

    def check(self) -> None:
        """Ask Redis; raise when it cannot answer (for the health endpoint)."""
        self.get_client(write=True).ping()
        self._ok()

    add = _tolerant(lambda key, value, timeout: True)(RedisCacheClient.add)
    get = _tolerant(lambda key, default: default)(RedisCacheClient.get)
    set = _tolerant(lambda key, value, timeout: None)(RedisCacheClient.set)
    touch = _tolerant(lambda key, timeout: False)(RedisCacheClient.touch)
    delete = _tolerant(lambda key: False)(RedisCacheClient.delete)
    get_many = _tolerant(lambda keys: {})(RedisCacheClient.get_many)
    has_key = _tolerant(lambda key: False)(RedisCacheClient.has_key)
    incr = _tolerant(_missing_key)(RedisCacheClient.incr)
    set_many = _tolerant(lambda data, timeout: [])(RedisCacheClient.set_many)
    delete_many = _tolerant(lambda keys: None)(RedisCacheClient.delete_many)
    clear = _tolerant(lambda: False)(RedisCacheClient.clear)


class TolerantRedisCache(RedisCache):
    """``django.core.cache.backends.redis.RedisCache`` whose outage is an empty cache (see the module)."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = TolerantRedisCacheClient

    def check(self) -> None:
        self._cache.check()
