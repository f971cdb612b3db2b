"""Fixtures shared by every app's tests: one person per role, service gates, query-count pins."""

import functools
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Role

from .factories import SchoolFactory, UserFactory, make_member
from .s3 import s3_media, s3_server  # noqa: F401  (fixtures for every test module)

SLOW_MARKERS = {"browser", "services"}


def pytest_collection_modifyitems(config, items):
    """Browser journeys and tests on real services are slow too: ``-m "not slow"`` leaves them out."""
    for item in items:
        if SLOW_MARKERS.intersection(marker.name for marker in item.iter_markers()):
            item.add_marker(pytest.mark.slow)


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


def sign_in(client, user):
    """Log ``client`` in as ``user`` (or no one), past the team members' second factor."""
    if user is not None:
        client.force_login(user)
        session = client.session
        session["ent_mfa_ok"] = True
        session.save()
    return client


def signed_in_client(user=None, **client_options) -> Client:
    """A browser of its own for ``user`` (several people at once), signed in as :func:`sign_in` does."""
    return sign_in(Client(**client_options), user)


@pytest.fixture
def client_as(client):
    """Log ``client`` in as someone (or no one), skipping the MFA gate for team members."""
    return functools.partial(sign_in, client)


# --- What a list page costs -------------------------------------------------------------------


@pytest.fixture
def assert_flat_queries(db):
    """Pin a list page's cost: exactly ``queries`` queries with N rows, and the same with 10×N rows
    (``scale×N`` with ``scale``: the search is pinned at 100 and 10,000 items).

    ``make_rows(count)`` creates ``count`` more rows that the page lists (first N, then 9×N more);
    ``shown(response)`` counts the rows the page displays, to be ``expect`` (at N, at 10×N), so that
    a pin cannot pass on an empty or broken page. Each measured answer must be a 200. Before each
    measured request, one that is not counted: it fills the per-process caches (content types…) and
    what the page keeps under a version (``ent.versions``: the rows just made changed it), so that
    the count is the page's usual one and does not depend on which test ran before (``make bench``
    counts the same way). Returns the two measured responses.
    """

    def check(client, url, make_rows, *, rows, queries, shown, expect, data=None, scale=10):
        make_rows(rows)
        responses, logs = [], []
        for total in (rows, scale * rows):
            if total > rows:
                make_rows(total - rows)
            client.get(url, data)
            with CaptureQueriesContext(connection) as log:
                response = client.get(url, data)
            assert response.status_code == 200, f"{url} with {total} rows answered {response.status_code}"
            responses.append(response)
            logs.append(log)
        assert [shown(response) for response in responses] == list(expect)
        counts = [len(log) for log in logs]
        if counts != [queries, queries]:
            detail = "\n\n".join(query["sql"] for query in logs[-1].captured_queries)
            pytest.fail(
                f"{url}: {counts[0]} queries with {rows} rows, {counts[1]} with {scale * rows}; "
                f"pinned at {queries}. Queries with {scale * rows} rows:\n{detail}"
            )
        return responses

    return check


@pytest.fixture
def assert_flat_kept_queries(db):
    """Pin a page whose list is kept as HTML (``ent.fragments``) twice, at N and at 10×N rows:
    ``drawn`` queries when the list is drawn again, after ``forget()`` bumped one of the versions it
    is kept under (as a write to what it shows does), and ``kept`` when it comes back from the cache
    (none of the list's queries is made). Both answers must be 200 and show the same ``part(text)``
    (the kept part; CSRF tokens, each answer's own, are left out). The list being kept is why such a
    page has two pins: the cost of drawing it, and that of a page served with it kept, both flat.

    ``make_rows(count)`` and ``expect`` are :func:`assert_flat_queries`'; ``shown`` reads the drawn
    answer. Before each pair, a request that is not counted fills the per-process caches. Returns
    the two drawn answers.
    """

    def check(client, url, make_rows, *, forget, part, rows, drawn, kept, shown, expect, data=None, scale=10):
        make_rows(rows)
        answers, counts, seen = [], [], []
        for total in (rows, scale * rows):
            if total > rows:
                make_rows(total - rows)
            client.get(url, data)  # the per-process caches (content types, holidays…)
            forget()
            with CaptureQueriesContext(connection) as drawn_log:
                first = client.get(url, data)
            with CaptureQueriesContext(connection) as kept_log:
                second = client.get(url, data)
            assert first.status_code == second.status_code == 200, (first.status_code, second.status_code)
            assert _without_tokens(part(second.text)) == _without_tokens(part(first.text))
            answers.append(first)
            counts.append((len(drawn_log), len(kept_log)))
            seen.append(shown(first))
        assert seen == list(expect)
        if counts != [(drawn, kept), (drawn, kept)]:
            detail = "\n\n".join(query["sql"] for query in drawn_log.captured_queries)
            pytest.fail(
                f"{url}: (drawn, kept) queries {counts[0]} with {rows} rows, {counts[1]} with {scale * rows}; "
                f"pinned at {(drawn, kept)}. Queries drawn with {scale * rows} rows:\n{detail}"
            )
        return answers

    return check


class KeptTimeouts(list):
    """``(key, timeout)`` of each value kept in the shared cache under versions (``ent.versions``)."""

    def of(self, *parts: str) -> set:
        """The timeouts of the keys that start with these parts (``"html", "news", "feed"``)."""
        return {timeout for key, timeout in self if key.split(":")[: len(parts)] == list(parts)}


@pytest.fixture
def kept_timeouts(monkeypatch):
    """What was kept for how long during the test (:class:`KeptTimeouts`), read off the cache's own
    timeout given to ``versions.cached_many``, which every kept value goes through (a real Redis
    does not follow the tests' clock)."""
    from ent import versions

    seen = KeptTimeouts()
    cached_many = versions.cached_many

    def spied(entries):
        entries = list(entries)
        seen.extend((what, timeout) for _, what, _, timeout in entries)
        return cached_many(entries)

    monkeypatch.setattr(versions, "cached_many", spied)
    return seen


def _without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


# --- A real Celery worker ----------------------------------------------------------------------

ROOT = Path(__file__).resolve().parent.parent


def _database_url_for_worker() -> str:
    from django.db import connection

    db = connection.settings_dict
    user = quote(db.get("USER") or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    credentials = f"{user}{password}@" if user else ""
    return f"postgres://{credentials}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


@pytest.fixture
def celery_worker_process(transactional_db, postgres, redis_url, tmp_path):
    """A real ``celery worker`` process on Redis, sharing the test database.

    Tasks enqueued during the test go through the broker instead of running inline; e-mails the
    worker sends are written as files under ``worker.mail_dir``.
    """
    from ent.celery import app

    mail_dir = tmp_path / "worker-mail"
    mail_dir.mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": _database_url_for_worker(),
        "REDIS_URL": redis_url,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "ENT_WORKER_EAGER": "0",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "ent",
            "worker",
            "-Q",
            "default,email,media",
            "--pool=solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "info",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    app.conf.task_always_eager = False
    try:
        yield _Worker(process, mail_dir)
    finally:
        app.conf.task_always_eager = True
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


class _Worker:
    def __init__(self, process, mail_dir):
        self.process = process
        self.mail_dir = mail_dir

    def wait_for(self, condition, timeout=60, what="the worker"):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.25)
        self.process.terminate()
        output = self.process.stdout.read() if self.process.stdout else ""
        pytest.fail(f"{what} did not happen within {timeout} s. Worker output:\n{output[-4000:]}")

    def mails(self):
        return [path.read_text() for path in sorted(self.mail_dir.glob("*.log"))]


# --- A real browser -----------------------------------------------------------------------------

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def chromium_args():
    """Chromium's command line. A test module overrides this fixture to add to it (a fake microphone)."""
    return CHROMIUM_ARGS


@pytest.fixture
def browser(chromium_path, chromium_args, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the live server's ORM calls are safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=chromium_path, args=chromium_args)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", accept_downloads=True)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases, plus a clean ending on PostgreSQL.

    A browser test can leave a live-server request thread cut off mid-request when the server
    stops, with its connection still open; dropping the test database would then fail. Close such
    leftover sessions before the database is dropped.
    """
    yield
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture
def real_broker():
    """Celery publishes for real (not inline) to the broker URL that the test chooses."""
    from ent.celery import app

    saved = app.conf.broker_url, app.conf.task_always_eager
    app.conf.task_always_eager = False

    def use(url):
        app.conf.broker_url = url
        app._pool = None  # the connection pools were made for the previous URL
        app.amqp._producer_pool = None

    yield use
    use(saved[0])
    app.conf.task_always_eager = saved[1]


@pytest.fixture
def broker_down():
    """A context manager: while inside, publishing any task fails as with Redis stopped."""
    from contextlib import contextmanager
    from unittest import mock

    from celery.app.task import Task
    from kombu.exceptions import OperationalError

    @contextmanager
    def down():
        refusal = OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        with mock.patch.object(Task, "apply_async", side_effect=refusal) as publish:
            yield publish

    return down
