"""/sante/: database, cache, broker and storage, in JSON without anything personal; 503 when one is down."""

import json
import socket
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.db import OperationalError
from django.urls import reverse

from ent import health

pytestmark = pytest.mark.django_db

PARTS = {"base_de_donnees", "cache", "file_de_taches", "stockage"}


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nobody listens once the probe is closed


def _cache_word() -> str:
    from django.core.cache import cache

    return "ok" if hasattr(cache, "check") else "non utilisé"


def test_everything_up_answers_200_with_one_word_per_part(client):
    response = client.get(reverse("health"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == PARTS | {"etat"}
    assert body["etat"] == "ok"
    assert body["base_de_donnees"] == "ok" and body["stockage"] == "ok"
    # Tasks run inline in tests; the cache is Redis when REDIS_URL is set (CI), else per process.
    assert body["file_de_taches"] == "non utilisé"
    assert body["cache"] == _cache_word()
    assert not default_storage.exists(health.PROBE_NAME)  # the probe cleans up after itself
    assert "no-cache" in response["Cache-Control"]


def test_the_database_down_answers_503_and_says_which_part_without_the_reason(client):
    secret = "could not connect to server at db.interne:5432 (mot de passe s3cret)"
    with mock.patch.object(health, "connection") as connection:
        connection.cursor.side_effect = OperationalError(secret)
        response = client.get(reverse("health"))

    assert response.status_code == 503
    body = response.json()
    assert body == {
        "etat": "indisponible",
        "base_de_donnees": "indisponible",
        "cache": _cache_word(),
        "file_de_taches": "non utilisé",
        "stockage": "ok",
    }
    assert "db.interne" not in response.content.decode() and "s3cret" not in response.content.decode()


def test_the_cache_and_the_broker_down_answer_503(client, settings, real_broker):
    url = f"redis://127.0.0.1:{_closed_port()}/0"
    settings.CACHES = {"default": {"BACKEND": "ent.cache.TolerantRedisCache", "LOCATION": url}}
    real_broker(url)

    response = client.get(reverse("health"))

    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["cache"] == "indisponible" and body["file_de_taches"] == "indisponible"
    assert body["base_de_donnees"] == "ok"


def test_the_storage_refusing_writes_answers_503(client):
    with mock.patch.object(health.default_storage, "save", side_effect=OSError("disque plein")):
        response = client.get(reverse("health"))

    assert response.status_code == 503
    assert response.json()["stockage"] == "indisponible"


def test_the_health_page_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    assert client.get(reverse("health")).status_code == 200
    assert client.get(reverse("account_login")).status_code == 301
