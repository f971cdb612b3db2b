"""The project's own system checks (``manage.py check --deploy``)."""

import pytest
from django.core import checks

from ent.checks import check_shared_cache, check_site_url

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


# --- ENT_SITE_URL (ent.E002) -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("", "n’est pas défini"),
        ("http://127.0.0.1:8000", "vaut l’adresse du serveur de développement"),
        ("ent.circonscription.fr", "n’est pas une adresse http(s) complète ('ent.circonscription.fr')"),
        ("ftp://ent.circonscription.fr", "n’est pas une adresse http(s) complète ('ftp://ent.circonscription.fr')"),
    ],
)
def test_production_without_its_own_site_url_is_refused_in_french(settings, url, reason):
    settings.DEBUG = False
    settings.ENT_SITE_URL = url

    errors = check_site_url(app_configs=None)

    assert [(e.id, e.level) for e in errors] == [("ent.E002", checks.ERROR)]
    assert errors[0].msg == f"DEBUG=false et ENT_SITE_URL {reason}."
    assert "adresse publique du site" in errors[0].hint


def test_production_with_its_address_passes(settings):
    settings.DEBUG = False
    settings.ENT_SITE_URL = "https://ent.circonscription.fr"

    assert check_site_url(app_configs=None) == []


def test_development_may_keep_the_development_address(settings):
    settings.DEBUG = True
    settings.ENT_SITE_URL = settings.ENT_SITE_URL_DEVELOPMENT

    assert check_site_url(app_configs=None) == []


def test_the_site_url_check_is_part_of_the_deployment_checks(settings):
    settings.DEBUG = False
    settings.ENT_SITE_URL = settings.ENT_SITE_URL_DEVELOPMENT

    assert "ent.E002" in {e.id for e in checks.run_checks(include_deployment_checks=True)}
    assert "ent.E002" not in {e.id for e in checks.run_checks(include_deployment_checks=False)}
