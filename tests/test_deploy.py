"""Production settings pass Django's deployment checklist."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow  # each test starts Django in a subprocess

# A VAPID private key (base64url, 32 bytes), as `manage.py vapid_keys` prints one.
VAPID_KEY = "4bqP1Zm0m8tQ6FQ6rKXH3ZnUvP3qG9nq0lqkBzq7yUU"


def _check_deploy(**env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "ENT_SITE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(DJANGO_SETTINGS_MODULE="ent.settings", **env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing_with_production_settings():
    result = _check_deploy(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="ent.example.fr",
        REDIS_URL="redis://redis:6379/0",  # production has its shared cache (never reached by the check)
        ENT_SITE_URL="https://ent.example.fr",
        ENT_VAPID_PRIVATE_KEY=VAPID_KEY,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_catches_the_development_secret():
    result = _check_deploy(DEBUG="false", ALLOWED_HOSTS="ent.example.fr")
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


def test_check_deploy_refuses_a_per_process_cache():
    result = _check_deploy(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="ent.example.fr",
        REDIS_URL="",
        ENT_SITE_URL="https://ent.example.fr",
    )
    assert result.returncode != 0
    assert "ent.E001" in result.stdout + result.stderr


def test_check_deploy_refuses_a_missing_site_url():
    # Unset, the setting takes the development server's address, which production must not keep.
    result = _check_deploy(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="ent.example.fr",
        REDIS_URL="redis://redis:6379/0",
    )
    assert result.returncode != 0
    assert "ent.E002" in result.stdout + result.stderr
    assert "ENT_SITE_URL vaut l’adresse du serveur de développement" in result.stdout + result.stderr


@pytest.mark.parametrize(("key", "reason"), [("", "n’est pas défini"), ("pas-une-clé", "n’est pas une clé privée")])
def test_check_deploy_refuses_production_without_a_vapid_key(key, reason):
    result = _check_deploy(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="ent.example.fr",
        REDIS_URL="redis://redis:6379/0",
        ENT_SITE_URL="https://ent.example.fr",
        ENT_VAPID_PRIVATE_KEY=key,
    )
    assert result.returncode != 0
    assert "ent.E003" in result.stdout + result.stderr
    assert f"ENT_VAPID_PRIVATE_KEY {reason}" in result.stdout + result.stderr
