"""Production settings pass Django's deployment checklist."""

import os
import secrets
import shutil
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


NGINX_CONF = ROOT / "deploy" / "nginx.conf"


def test_nginx_sends_static_files_precompressed_and_immutable():
    source = NGINX_CONF.read_text()
    static = source[source.index("location /static/ {") : source.index("location @ent_web {")]
    assert "gzip_static on;" in static
    assert 'add_header Cache-Control "public, max-age=31536000, immutable" always;' in static
    # Django compresses the pages; nginx compresses nothing it proxies (uploads stay as they are).
    assert "gzip off;" in source and "gzip on" not in source


@pytest.mark.skipif(not shutil.which("nginx"), reason="nginx n’est pas installé.")
def test_nginx_serves_a_hashed_file_gzipped_and_immutable(tmp_path):
    """The real nginx, on deploy/nginx.conf: a hashed file comes as its .gz sibling, cached a year."""
    import gzip
    import socket
    import time
    import urllib.error
    import urllib.request

    files = tmp_path / "srv" / "static" / "ent"
    files.mkdir(parents=True)
    body = b"body { color: #000091; }\n" * 40
    (files / "ent.0123456789ab.css").write_bytes(body)
    (files / "ent.0123456789ab.css.gz").write_bytes(gzip.compress(body))
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = NGINX_CONF.read_text().replace("server web:8000;", "server 127.0.0.1:9;")
    server = server.replace("listen 80;", f"listen 127.0.0.1:{port};").replace(
        "root /srv/ent;", f"root {tmp_path / 'srv'};"
    )
    temp = tmp_path / "nginx"
    temp.mkdir()
    os.chmod(temp, 0o777)  # noqa: S103  nginx workers may run as another user
    config = tmp_path / "nginx.conf"
    # Run as root, nginx's workers would be "nobody", who cannot read pytest's private folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    config.write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {temp}/nginx.pid;\nerror_log {temp}/error.log warn;\n"
        "events { worker_connections 64; }\nhttp {\n"
        f"  access_log off;\n  client_body_temp_path {temp}/body;\n  proxy_temp_path {temp}/proxy;\n"
        f"  fastcgi_temp_path {temp}/fastcgi;\n  uwsgi_temp_path {temp}/uwsgi;\n  scgi_temp_path {temp}/scgi;\n"
        f"  types {{ text/css css; }}\n{server}\n}}\n"
    )
    check = subprocess.run(["nginx", "-t", "-c", str(config)], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(["nginx", "-c", str(config)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        url = f"http://127.0.0.1:{port}/static/ent/ent.0123456789ab.css"
        for _ in range(100):
            try:
                request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
                response = urllib.request.urlopen(request, timeout=5)
                break
            except urllib.error.HTTPError:
                raise
            except OSError:
                time.sleep(0.05)
        else:
            pytest.fail("nginx did not answer")
        assert response.headers["Content-Encoding"] == "gzip"
        assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert gzip.decompress(response.read()) == body
        plain = urllib.request.urlopen(url, timeout=5)
        assert plain.headers.get("Content-Encoding") is None and plain.read() == body
    finally:
        process.terminate()
        process.wait(timeout=10)
