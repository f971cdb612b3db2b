"""Fixtures shared by every app's tests: one person per role, and service gates."""

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings

from accounts.models import Role

from .factories import SchoolFactory, UserFactory, make_member

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop.


def _require(reason: str):
    """Skip with ``reason``, or fail when the services are required (CI)."""
    if settings.ENT_REQUIRE_SERVICES:
        pytest.fail(f"Service requis manquant : {reason}")
    pytest.skip(reason)


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def redis_url():
    url = settings.REDIS_URL
    if not url:
        _require("REDIS_URL n’est pas défini : ce test a besoin d’un vrai Redis.")
    if not _reachable(url, 6379):
        _require(f"Redis injoignable à {url}.")
    return url


@pytest.fixture
def postgres():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        _require("DATABASE_URL ne désigne pas PostgreSQL : ce test a besoin d’un vrai PostgreSQL.")


@pytest.fixture
def chromium_path():
    path = os.environ.get("ENT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        _require("Chromium n’est pas installé (paquet Debian « chromium »).")
    try:
        import playwright  # noqa: F401
    except ImportError:
        _require("Playwright n’est pas installé.")
    return path


@pytest.fixture(autouse=True)
def _isolated_media_and_mail(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def school(db):
    return SchoolFactory(name="École élémentaire Jean Raffarin", commune="Mirebeau")


@pytest.fixture
def teacher(school):
    return make_member(Role.TEACHER, school, first_name="Thomas", last_name="Enseignant")


@pytest.fixture
def director(school):
    return make_member(Role.DIRECTOR, school, first_name="Delphine", last_name="Directrice")


@pytest.fixture
def counsellor(db):
    user = make_member(Role.CPC, first_name="Adrian", last_name="Conseiller")
    user.memberships.update(speciality="numérique")
    return user


@pytest.fixture
def inspector(db):
    return make_member(Role.IEN, first_name="Annie", last_name="Inspectrice")


@pytest.fixture
def rased_member(db):
    return make_member(Role.RASED, first_name="Rachel", last_name="Rased")


@pytest.fixture
def admin_user(db):
    return UserFactory(email="admin@ent.test", is_staff=True, is_superuser=True, first_name="Ada", last_name="Admin")


ROLES = ["anonymous", "teacher", "director", "counsellor", "inspector", "rased_member", "admin_user"]


@pytest.fixture
def person(request):
    """Indirect fixture: ``@pytest.mark.parametrize("person", ROLES, indirect=True)``."""
    if request.param == "anonymous":
        return None
    return request.getfixturevalue(request.param)


@pytest.fixture
def client_as(client):
    """Log ``client`` in as someone (or no one), skipping the MFA gate for team members."""

    def login(user):
        if user is not None:
            client.force_login(user)
            session = client.session
            session["ent_mfa_ok"] = True
            session.save()
        return client

    return login
