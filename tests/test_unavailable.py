"""PostgreSQL unreachable: the French 503 page, never a stack trace; back, pages answer again."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client
from django.urls import reverse

from ent.cache import TolerantRedisCache

pytestmark = pytest.mark.django_db

REFUSED = OperationalError(
    'connection failed: connection to server at "127.0.0.1", port 5432 failed: Connection refused'
)


def _database_down():
    return mock.patch.object(CursorWrapper, "execute", side_effect=REFUSED)


def _assert_french_503(response):
    assert response.status_code == 503
    page = response.content.decode()
    assert "<h1>Service momentanément indisponible</h1>" in page
    assert '<html lang="fr">' in page
    assert "Traceback" not in page and "OperationalError" not in page and "5432" not in page
    assert response["Retry-After"] == "30"


def test_a_view_whose_query_fails_answers_the_french_503_then_200_once_back(director):
    client = Client(raise_request_exception=False)
    client.force_login(director)

    with _database_down():
        response = client.get(reverse("accounts:home"))
    _assert_french_503(response)

    assert client.get(reverse("accounts:home")).status_code == 200


def test_the_database_missing_in_a_middleware_answers_the_same_page(director):
    client = Client(raise_request_exception=False)
    client.force_login(director)  # the session is read (cache, then database), before any view

    with mock.patch("django.contrib.sessions.backends.cached_db.SessionStore.load", side_effect=REFUSED):
        response = client.get(reverse("accounts:home"))

    _assert_french_503(response)


def test_a_bad_query_stays_a_500(director):
    from django.db import ProgrammingError

    client = Client(raise_request_exception=False)
    client.force_login(director)
    with mock.patch.object(CursorWrapper, "execute", side_effect=ProgrammingError("syntax error")):
        response = client.get(reverse("accounts:home"))

    assert response.status_code == 500


def _closed_redis() -> str:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"redis://127.0.0.1:{probe.getsockname()[1]}/0"


def test_redis_down_is_an_empty_cache_not_an_error(caplog):
    cache = TolerantRedisCache(_closed_redis(), {"OPTIONS": {"socket_connect_timeout": 1}})

    assert cache.get("clé", "défaut") == "défaut"
    cache.set("clé", 1)
    assert cache.add("clé", 1) is True  # as on an empty cache
    assert cache.get_many(["a", "b"]) == {}
    assert cache.delete("clé") is False
    with pytest.raises(ValueError):
        cache.incr("compteur")
    with pytest.raises(Exception):  # noqa: B017  the health endpoint's check does ask Redis
        cache.check()
    warnings = [record for record in caplog.records if record.name == "ent.cache"]
    assert len(warnings) == 1  # logged once per outage, not once per call


def test_sessions_are_in_the_database_read_through_the_cache(settings, director):
    from django.core.cache import cache

    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cached_db"
    client = Client()
    client.force_login(director)
    assert client.get(reverse("accounts:home")).status_code == 200
    cache.clear()  # Redis emptied (or restarted): the session is read from the database again
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 200 and response.wsgi_request.user == director
