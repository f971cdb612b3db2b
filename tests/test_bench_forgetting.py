"""What `make bench` drops to measure a page redrawn with nothing kept (``bench.pages.forgetting``):
every value kept under versions, and nothing else, on a real Redis as the bench uses it."""

import uuid

import pytest
import redis
from django.contrib.sessions.backends.cached_db import KEY_PREFIX as SESSION_PREFIX

from bench.pages import forgetting
from ent import versions

pytestmark = pytest.mark.services


@pytest.fixture
def shared_cache(settings, redis_url):
    """The default cache on the Redis of ``REDIS_URL``, under a key prefix of this test's own."""
    prefix = f"essai-oubli-{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        "default": {"BACKEND": "ent.cache.TolerantRedisCache", "LOCATION": redis_url, "KEY_PREFIX": prefix}
    }
    yield prefix
    client = redis.Redis.from_url(redis_url)
    for name in client.scan_iter(match=f"{prefix}:*"):
        client.delete(name)


def test_the_kept_values_are_dropped_and_the_versions_and_sessions_stay(shared_cache, redis_url):
    from django.core.cache import cache

    computed = []
    compute = lambda: computed.append(1) or len(computed)  # noqa: E731
    assert versions.cached(["essai"], "valeur", compute) == 1
    assert versions.cached(["essai"], "valeur", compute) == 1  # kept
    version = versions.current("essai")
    cache.set(f"{SESSION_PREFIX}une-session", {"_auth_user_id": "1"})

    forgetting(redis_url)()

    assert versions.cached(["essai"], "valeur", compute) == 2  # drawn again
    assert versions.current("essai") == version
    assert cache.get(f"{SESSION_PREFIX}une-session") == {"_auth_user_id": "1"}
    assert versions.cached(["essai"], "valeur", compute) == 2  # and kept again


def test_forgetting_twice_in_a_row_sends_no_empty_delete(shared_cache, redis_url):
    # Redis answers « wrong number of arguments » to a DEL of no key: the second call finds none.
    versions.cached(["essai"], "valeur", lambda: 1)
    forget = forgetting(redis_url)
    forget()
    forget()
    assert not list(redis.Redis.from_url(redis_url).scan_iter(match=f"{shared_cache}:*{versions.CACHED_PREFIX}*"))
