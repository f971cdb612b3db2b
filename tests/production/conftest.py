"""The production shape, as real processes on loopback, for the tests of ``tests/production/``.

``shape`` (one per module) starts its own PostgreSQL cluster (``initdb``/``pg_ctl`` in a temporary
folder, as the ``postgres`` user when the tests run as root, on a port of its own), its own
``redis-server``, an S3 API (moto's server), two web processes (gunicorn, 2 workers each: « A » and
« B »), a Celery worker on every queue, Celery beat, and nginx with ``deploy/nginx.conf`` twice (one
server in front of A, one in front of B), the configuration rewritten only for the ports and the
storage's host. Each part can be stopped, killed and started again. Without a binary the module
skips, or fails when the services are required (CI).
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings

from tests.s3 import S3_KEYS, create_bucket

ROOT = Path(__file__).resolve().parents[2]
BINARIES = ("initdb", "pg_ctl", "redis-server", "nginx")


def _require(reason: str):
    if settings.ENT_REQUIRE_SERVICES:
        pytest.fail(f"Service requis manquant : {reason}")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until(condition, *, timeout: float, what: str, interval: float = 0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except Exception:  # noqa: S110  not yet: try again
            pass
        time.sleep(interval)
    raise AssertionError(f"{what}: not within {timeout} s")


def _as_postgres(command: list[str]) -> list[str]:
    command = [shutil.which(command[0]) or command[0], *command[1:]]  # runuser may reset the PATH
    if os.geteuid() == 0:  # initdb and postgres refuse to run as root
        return ["runuser", "-u", "postgres", "--", *command]
    return command


class Shape:
    def __init__(self, folder: Path, s3_endpoint: str):
        self.folder = folder
        self.s3_endpoint = s3_endpoint
        self.ports = {name: free_port() for name in ("pg", "redis", "web_a", "web_b", "nginx_a", "nginx_b")}
        self.processes: dict[str, subprocess.Popen] = {}
        self.logs: dict[str, Path] = {}
        self.pgdata = folder / "pgdata"
        self.mail_dir = folder / "mail"
        self.mail_dir.mkdir()
        self.bucket = "ent-production"
        create_bucket(s3_endpoint, self.bucket)
        self.database_url = f"postgres://postgres@127.0.0.1:{self.ports['pg']}/ent"
        self.urls = {"a": f"http://127.0.0.1:{self.ports['nginx_a']}", "b": f"http://127.0.0.1:{self.ports['nginx_b']}"}
        self.env = {
            **{key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_URL", "REDIS_URL"))},
            "DJANGO_SETTINGS_MODULE": "ent.settings",
            "DEBUG": "false",
            # Collected (hashed, with .gz siblings) by the fixture, as the image does; nginx sends them.
            "STATIC_ROOT": str(folder / "static"),
            "SECRET_KEY": "production-shape-test-" + "x" * 50,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "SECURE_HSTS_SECONDS": "0",
            "DATABASE_URL": self.database_url,
            "REDIS_URL": f"redis://127.0.0.1:{self.ports['redis']}/0",
            "ENT_SITE_URL": self.urls["a"],
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "ENT_MEDIA_S3_BUCKET": self.bucket,
            "ENT_MEDIA_S3_ENDPOINT_URL": s3_endpoint,
            "ENT_MEDIA_S3_ACCESS_KEY": S3_KEYS["access_key"],
            "ENT_MEDIA_S3_SECRET_KEY": S3_KEYS["secret_key"],
            "ENT_MEDIA_S3_REGION": S3_KEYS["region_name"],
            "ENT_MEDIA_ACCEL_REDIRECT": "/protected-media/",
            "ALLAUTH_TRUSTED_PROXY_COUNT": "1",
            "ENT_INLINE_SCHEDULER": "false",
            # Short delays, so that a minute of the tests is hours of the real schedules.
            "ENT_QUEUE_STUCK_AFTER": "6",
            "ENT_EMAIL_CLAIM_STALE_AFTER": "10",
            "ENT_SWEEP_EVERY": "3",
            "ENT_PUBLISH_EVERY": "2",
            "DB_POOL_TIMEOUT": "2",
            "DB_POOL_MIN_SIZE": "1",
            "DB_POOL_MAX_SIZE": "4",
            "DB_POOL_RECONNECT_TIMEOUT": "300",
            "PYTHONUNBUFFERED": "1",
        }

    # --- processes ---------------------------------------------------------------------------

    def start(self, name: str, command: list[str], *, env=None) -> subprocess.Popen:
        log = self.folder / f"{name}.log"
        self.logs[name] = log
        handle = open(log, "ab")  # noqa: SIM115  kept open for the process's life
        process = subprocess.Popen(
            command, cwd=ROOT, env=env or self.env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes[name] = process
        return process

    def stop(self, name: str, sig=signal.SIGTERM, timeout: float = 20) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def log_tail(self, name: str, size: int = 3000) -> str:
        log = self.logs.get(name)
        return log.read_text(errors="replace")[-size:] if log and log.exists() else ""

    def manage(self, *args: str, timeout: float = 300) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
        return result.stdout

    # PostgreSQL
    def postgres_init(self) -> None:
        self.pgdata.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
            shutil.chown(self.pgdata, "postgres")
        subprocess.run(
            _as_postgres(
                ["initdb", "-D", str(self.pgdata), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"]
            ),
            check=True,
            capture_output=True,
        )
        self.postgres_start()
        subprocess.run(
            _as_postgres(["createdb", "-h", "127.0.0.1", "-p", str(self.ports["pg"]), "-U", "postgres", "ent"]),
            check=True,
            capture_output=True,
        )

    def postgres_start(self) -> None:
        options = (
            f"-p {self.ports['pg']} -k {self.pgdata} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        )
        subprocess.run(
            _as_postgres(
                ["pg_ctl", "-D", str(self.pgdata), "-o", options, "-l", str(self.pgdata / "log"), "-w", "start"]
            ),
            check=True,
            capture_output=True,
        )

    def postgres_stop(self) -> None:
        subprocess.run(
            _as_postgres(["pg_ctl", "-D", str(self.pgdata), "-m", "fast", "-w", "stop"]),
            check=False,
            capture_output=True,
        )

    def sql(self, query: str, *params):
        import psycopg

        with psycopg.connect(self.database_url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
            return conn.execute(query, params).fetchall()

    # Redis
    def redis_start(self) -> None:
        self.start(
            "redis",
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.ports["redis"]),
                "--save",
                "",
                "--appendonly",
                "no",
            ],
        )
        wait_until(self._redis_up, timeout=15, what="redis-server")

    def _redis_up(self) -> bool:
        with socket.create_connection(("127.0.0.1", self.ports["redis"]), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")

    def redis_stop(self) -> None:
        self.stop("redis")

    # gunicorn, Celery
    def web_start(self, name: str) -> None:
        port = self.ports[f"web_{name}"]
        self.start(
            f"web_{name}",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "ent.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--timeout",
                "60",
            ],
        )

    def worker_start(self) -> None:
        self.start(
            "worker",
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "ent",
                "worker",
                "-Q",
                "default,email,media",
                "--concurrency",
                "2",
                "--without-mingle",
                "--without-gossip",
                "-n",
                f"worker-{time.monotonic_ns()}@%h",
                "-l",
                "info",
            ],
        )

    def beat_start(self, name: str = "beat") -> None:
        self.start(
            name,
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "ent",
                "beat",
                "-l",
                "info",
                "--pidfile",
                str(self.folder / f"{name}.pid"),
                "-s",
                str(self.folder / f"{name}-schedule"),
            ],
        )

    # nginx
    def nginx_config(self) -> str:
        """``deploy/nginx.conf`` for A and for B: the same file, only the ports and the storage's host changed."""
        source = (ROOT / "deploy" / "nginx.conf").read_text()
        disk = re.compile(r"    # media: disk.*?    # media: end\n", re.S)
        assert disk.search(source) and "#s3 " in source, "deploy/nginx.conf lost its media blocks"
        s3_host = self.s3_endpoint.removeprefix("http://")
        source = disk.sub("", source)
        source = source.replace("    #s3 ", "    ").replace("https://s3.example.fr", self.s3_endpoint)
        source = source.replace("Host s3.example.fr", f"Host {s3_host}")
        servers = []
        for name in ("a", "b"):
            block = source.replace("server web:8000;", f"server 127.0.0.1:{self.ports[f'web_{name}']};")
            block = block.replace("ent_web", f"ent_web_{name}")
            block = block.replace("root /srv/ent;", f"root {self.folder};")
            block = block.replace("listen 80;", f"listen 127.0.0.1:{self.ports[f'nginx_{name}']};")
            servers.append(block)
        temp = self.folder / "nginx"
        temp.mkdir(exist_ok=True)
        os.chmod(temp, 0o777)  # noqa: S103  nginx workers run as another user
        return (
            f"daemon off;\nworker_processes 1;\npid {temp}/nginx.pid;\nerror_log {temp}/error.log warn;\n"
            "events { worker_connections 256; }\nhttp {\n"
            f"  access_log off;\n  client_body_temp_path {temp}/body;\n  proxy_temp_path {temp}/proxy;\n"
            f"  fastcgi_temp_path {temp}/fastcgi;\n  uwsgi_temp_path {temp}/uwsgi;\n  scgi_temp_path {temp}/scgi;\n"
            + "\n".join(servers)
            + "\n}\n"
        )

    def nginx_start(self) -> None:
        config = self.folder / "nginx.conf"
        config.write_text(self.nginx_config())
        test = subprocess.run(["nginx", "-t", "-c", str(config)], capture_output=True, text=True)
        assert test.returncode == 0, test.stderr
        self.start("nginx", ["nginx", "-c", str(config)])

    # --- what people do -----------------------------------------------------------------------

    def client(self, session_key: str, via: str = "a") -> "Client":
        return Client(self.urls[via], session_key)

    def wait_answering(self, via: str, timeout: float = 60) -> None:
        wait_until(
            lambda: requests.get(self.urls[via] + "/sante/", timeout=5).status_code == 200,
            timeout=timeout,
            what=f"the site through nginx {via.upper()}",
        )

    def close(self) -> None:
        for name in list(self.processes):
            self.stop(name, timeout=10)
        self.postgres_stop()


class Client:
    """A person's browser, as far as the server can tell: a session cookie, CSRF, forms."""

    def __init__(self, base: str, session_key: str):
        self.base = base
        self.session = requests.Session()
        self.session.cookies.set("sessionid", session_key, domain="127.0.0.1", path="/")

    def get(self, path: str, **kwargs):
        return self.session.get(self.base + path, timeout=30, allow_redirects=False, **kwargs)

    def post_form(self, page: str, data: dict, files=None, *, target: str | None = None):
        """Open ``page`` (for its CSRF cookie), then send the form to ``target`` (default: the page)."""
        shown = self.get(page)
        assert shown.status_code == 200, (page, shown.status_code)
        token = self.session.cookies.get("csrftoken")
        return self.session.post(
            self.base + (target or page),
            data={"csrfmiddlewaretoken": token, **data},
            files=files,
            headers={"X-CSRFToken": token},
            timeout=60,
            allow_redirects=False,
        )


def _postgresql_on_path() -> None:
    """Debian keeps initdb and pg_ctl in /usr/lib/postgresql/<version>/bin, off the PATH."""
    if not shutil.which("initdb"):
        found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
        if found:
            os.environ["PATH"] = f"{found[-1].parent}{os.pathsep}{os.environ['PATH']}"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """A test of the shape that fails shows the end of every process's log (CI keeps nothing else)."""
    report = yield
    built = item.funcargs.get("shape") if hasattr(item, "funcargs") else None
    if report.when == "call" and report.failed and isinstance(built, Shape):
        for name in built.logs:
            report.sections.append((f"log of {name}", built.log_tail(name, size=6000)))
    return report


@pytest.fixture(scope="module")
def shape(s3_server):
    _postgresql_on_path()
    missing = [name for name in BINARIES if not shutil.which(name)]
    if missing:
        _require(f"the production shape needs {', '.join(missing)} (.ci/run installs them)")
    folder = Path(tempfile.mkdtemp(prefix="ent-production-"))
    os.chmod(folder, 0o755)  # noqa: S103  the postgres user and nginx workers read through it
    built = Shape(folder, s3_server)
    try:
        built.postgres_init()
        built.redis_start()
        built.manage("migrate", "--noinput", "-v", "0")
        built.manage("collectstatic", "--noinput", "-v", "0")
        seed = built.manage("shell", "-c", (ROOT / "tests" / "production" / "seed.py").read_text())
        built.people = json.loads(seed.strip().splitlines()[-1])
        built.web_start("a")
        built.web_start("b")
        built.worker_start()
        built.beat_start()
        built.nginx_start()
        built.wait_answering("a")
        built.wait_answering("b")
        yield built
    except BaseException:
        for name in built.logs:
            print(f"--- {name} ---\n{built.log_tail(name)}")
        raise
    finally:
        built.close()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def jpeg() -> bytes:
    from tests.uploads import samples

    return samples.image_bytes("JPEG", size=(640, 480))
