"""Two web processes sharing Redis, as production runs: a two-factor code works once, limits hold exactly.

allauth keeps the used-code marks and the sign-in rate-limit counters in the default cache. The
test starts two gunicorn processes (one worker each) on loopback ports, against a SQLite file of
their own and the Redis of ``REDIS_URL`` under a key prefix of their own, behind an imaginary
nginx: every request carries ``X-Forwarded-For: <anything the person wrote>, <their address>``
and the servers trust one proxy (``ALLAUTH_TRUSTED_PROXY_COUNT=1``). Requests alternate between
the two processes.
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.urls import reverse

from tests.conftest import _reachable, _require
from tests.factories import totp_code

pytestmark = pytest.mark.services

ROOT = Path(__file__).resolve().parent.parent.parent
HOST = "ent.test"
PASSWORD = "mot-de-passe-de-la-sonde"
SECRET = "MVXHILLEMVWW6LLMMVXGG3DPNF2HEZJB"
TOTP_EMAIL = "double@ent.test"
ACCOUNT_EMAIL = "compte@ent.test"
IP_EMAILS = [f"poste{n}@ent.test" for n in range(1, 5)]
TOO_MANY = "Trop de tentatives de connexion"
# What ent/settings.py configures, and so what must hold across processes.
PER_IP, PER_ACCOUNT = 10, 5

LOGIN = "/accounts/login/"

SEED = f"""
from allauth.mfa.totp.internal.auth import TOTP
from accounts.models import User

for email in {[TOTP_EMAIL, ACCOUNT_EMAIL, *IP_EMAILS]!r}:
    User.objects.create_user(email=email, password={PASSWORD!r}, is_active=True, first_name="Sonde", last_name=email)
TOTP.activate(User.objects.get(email={TOTP_EMAIL!r}), {SECRET!r})
"""


def test_the_configured_limits_are_the_ones_tested():
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"] == f"{PER_IP}/m/ip,{PER_ACCOUNT}/5m/key"


@pytest.fixture(scope="module")
def shared_redis_url():
    """The ``redis_url`` fixture, for the whole module (its servers start once)."""
    url = settings.REDIS_URL
    if not url:
        _require("REDIS_URL n’est pas défini : ce test a besoin d’un vrai Redis.")
    if not _reachable(url, 6379):
        _require(f"Redis injoignable à {url}.")
    return url


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_serving(base: str, process, log: Path, timeout=60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            request = urllib.request.Request(base + LOGIN, headers={"Host": HOST})
            with urllib.request.urlopen(request, timeout=5) as response:
                if response.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            time.sleep(0.3)
    pytest.fail(f"the server at {base} did not start:\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="module")
def servers(shared_redis_url, tmp_path_factory):
    folder = tmp_path_factory.mktemp("servers")
    prefix = f"ent-test-{uuid.uuid4().hex}"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DEBUG": "false",
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "REDIS_URL": shared_redis_url,
        "ENT_TEST_CACHE_KEY_PREFIX": prefix,
        "ALLAUTH_TRUSTED_PROXY_COUNT": "1",
        "ALLOWED_HOSTS": HOST,
        "MEDIA_ROOT": str(folder / "media"),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=300)
    subprocess.run([*manage, "shell", "-c", SEED], cwd=ROOT, env=env, check=True, timeout=120)

    processes, bases = [], []
    try:
        for n in range(2):
            port = _free_port()
            log = folder / f"gunicorn-{n}.log"
            command = [sys.executable, "-m", "gunicorn", "ent.wsgi:application", "--bind", f"127.0.0.1:{port}"]
            command += ["--workers", "1", "--timeout", "60"]
            with log.open("w") as out:
                process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
            processes.append(process)
            bases.append(f"http://127.0.0.1:{port}")
            _wait_until_serving(bases[-1], process, log)
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        import redis

        connection = redis.Redis.from_url(shared_redis_url)
        keys = list(connection.scan_iter(match=f"{prefix}:*"))
        if keys:
            connection.delete(*keys)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    """One person's browser at ``ip``, seen through nginx (which appends the address it saw)."""

    def __init__(self, ip: str):
        self.ip = ip
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), _NoRedirect)
        self.spoofed = 0

    def request(self, base: str, path: str, data: dict | None = None) -> tuple[int, dict, str]:
        # Whatever the person writes in X-Forwarded-For comes first; nginx adds their real address.
        self.spoofed += 1
        headers = {"Host": HOST, "X-Forwarded-For": f"198.51.100.{self.spoofed}, {self.ip}"}
        body = urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(base + path, data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def submit(self, base: str, path: str, data: dict) -> tuple[int, dict, str]:
        status, _, page = self.request(base, path)
        assert status == 200, page[-2000:]
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return self.request(base, path, {**data, "csrfmiddlewaretoken": token})

    def login(self, base: str, email: str, password: str) -> tuple[int, dict, str]:
        return self.submit(base, LOGIN, {"login": email, "password": password})

    def signed_in(self, base: str) -> bool:
        status, _, _ = self.request(base, reverse("accounts:profile"))
        return status == 200


def _a_fresh_code() -> str:
    """The current code, with at least 12 s left before it changes (so both processes see it valid)."""
    if 30 - time.time() % 30 < 12:
        time.sleep(30 - time.time() % 30 + 0.5)
    return totp_code(SECRET)


def test_a_two_factor_code_is_refused_the_second_time_whatever_the_process(servers):
    first_server, second_server = servers
    code = _a_fresh_code()

    first = Browser("203.0.113.80")
    status, headers, _ = first.login(first_server, TOTP_EMAIL, PASSWORD)
    assert (status, headers["Location"]) == (302, reverse("mfa_authenticate"))
    status, _, _ = first.submit(first_server, reverse("mfa_authenticate"), {"code": code})
    assert status == 302
    assert first.signed_in(first_server)

    # Someone who saw the code types it on another computer, served by the other process.
    second = Browser("203.0.113.81")
    status, headers, _ = second.login(second_server, TOTP_EMAIL, PASSWORD)
    assert (status, headers["Location"]) == (302, reverse("mfa_authenticate"))
    status, _, page = second.submit(second_server, reverse("mfa_authenticate"), {"code": code})
    assert status == 200
    assert "Code incorrect" in page
    assert not second.signed_in(second_server)
    assert not second.signed_in(first_server)


def test_the_per_account_limit_holds_exactly_across_processes(servers):
    # Wrong passwords for one account, from as many addresses, alternating between the processes.
    for attempt in range(PER_ACCOUNT):
        status, _, page = Browser(f"203.0.113.{10 + attempt}").login(servers[attempt % 2], ACCOUNT_EMAIL, "faux")
        assert status == 200
        assert TOO_MANY not in page, f"attempt {attempt + 1} refused"

    # The next one is refused on either process, even with the right password.
    for n, server in enumerate(servers):
        browser = Browser(f"203.0.113.{30 + n}")
        status, _, page = browser.login(server, ACCOUNT_EMAIL, PASSWORD)
        assert status == 200
        assert TOO_MANY in page
        assert not browser.signed_in(server)


def test_the_per_address_limit_holds_exactly_and_counts_the_person_s_address(servers):
    browser = Browser("203.0.113.50")
    # Wrong passwords from one address, spread over accounts so that no account reaches its limit.
    accounts = [IP_EMAILS[n % 3] for n in range(PER_IP)]
    for attempt, email in enumerate(accounts):
        status, _, page = browser.login(servers[attempt % 2], email, "faux")
        assert status == 200
        assert TOO_MANY not in page, f"attempt {attempt + 1} refused"

    # The next attempt from that address is refused, whatever it writes in X-Forwarded-For…
    status, _, page = browser.login(servers[PER_IP % 2], IP_EMAILS[3], PASSWORD)
    assert status == 200
    assert TOO_MANY in page
    assert not browser.signed_in(servers[0])

    # …while someone else behind the same proxy signs in.
    neighbour = Browser("203.0.113.51")
    status, headers, _ = neighbour.login(servers[1], IP_EMAILS[3], PASSWORD)
    assert status == 302
    assert neighbour.signed_in(servers[0])
