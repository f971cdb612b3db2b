"""The project's own system checks (``manage.py check --deploy``)."""

import pytest
from django.core import checks

from ent.checks import check_shared_cache

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DUMMY = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://redis:6379/0"}}


@pytest.mark.parametrize("caches", [LOCMEM, DUMMY])
def test_production_on_a_per_process_cache_is_refused_in_french(settings, caches):
    settings.DEBUG = False
    settings.CACHES = caches

    errors = check_shared_cache(app_configs=None)

    assert [(e.id, e.level) for e in errors] == [("ent.E001", checks.ERROR)]
    assert "cache partagé" in errors[0].msg
    assert "REDIS_URL" in errors[0].hint
    assert "double authentification" in errors[0].hint


def test_production_on_redis_passes(settings):
    settings.DEBUG = False
    settings.CACHES = REDIS

    assert check_shared_cache(app_configs=None) == []


def test_development_may_use_the_local_memory_cache(settings):
    settings.DEBUG = True
    settings.CACHES = LOCMEM

    assert check_shared_cache(app_configs=None) == []


def test_the_check_is_part_of_the_deployment_checks(settings):
    settings.DEBUG = False
    settings.CACHES = LOCMEM

    assert "ent.E001" in {e.id for e in checks.run_checks(include_deployment_checks=True)}
    assert "ent.E001" not in {e.id for e in checks.run_checks(include_deployment_checks=False)}
