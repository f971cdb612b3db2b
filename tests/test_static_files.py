"""Production's static files: `collectstatic` with DEBUG off writes hashed names and precompressed
.gz siblings; the service worker's version is then the manifest's hash, its strategy "cache"."""

import gzip
import json

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.templatetags.static import static

from ent import pwa

pytestmark = pytest.mark.slow  # collects the whole tree (admin, DSFR…)

PRODUCTION_STORAGE = "ent.staticfiles.StaticFilesStorage"  # whitenoise's, each address computed once


def test_production_settings_hash_and_compress_the_static_files():
    """ent/settings.py itself (not the tests' settings) picks the manifest storage when DEBUG is off."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    script = "from django.conf import settings; print(settings.STORAGES['staticfiles']['BACKEND'])"
    for debug, expected in (
        ("false", PRODUCTION_STORAGE),
        ("true", "django.contrib.staticfiles.storage.StaticFilesStorage"),
    ):
        environment = {k: v for k, v in os.environ.items() if k != "DEBUG"}
        environment.update(DJANGO_SETTINGS_MODULE="ent.settings", DEBUG=debug)
        result = subprocess.run(
            [sys.executable, "-c", f"import django; django.setup(); {script}"],
            cwd=root,
            env=environment,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.stdout.strip() == expected, result.stderr


@pytest.fixture
def collected(settings, tmp_path):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": PRODUCTION_STORAGE}}
    call_command("collectstatic", interactive=False, verbosity=0)
    pwa.static_version.cache_clear()
    yield settings.STATIC_ROOT
    pwa.static_version.cache_clear()


def test_collectstatic_writes_hashed_names_gzip_siblings_and_the_service_worker_version(collected, client, db):
    manifest = json.loads((collected / "staticfiles.json").read_text())["paths"]
    for name in ("ent/pwa.js", "ent/sw.js"):
        hashed = manifest[name]
        assert hashed != name and hashed.startswith(name.rsplit(".", 1)[0] + ".")
        original = (collected / hashed).read_bytes()
        assert gzip.decompress((collected / f"{hashed}.gz").read_bytes()) == original
    css = next(hashed for name, hashed in manifest.items() if name.endswith(".css"))
    assert (collected / f"{css}.gz").exists()
    # Already compressed formats are not compressed again.
    png = next(hashed for name, hashed in manifest.items() if name.endswith(".png"))
    assert not (collected / f"{png}.gz").exists()
    assert static("ent/pwa.js") == "/static/" + manifest["ent/pwa.js"]
    # (One collection, which takes a while, for both:) the service worker is named after the manifest.
    url = pwa.service_worker_url()
    assert url.endswith("&s=cache")
    assert url == f"/sw.js?v={pwa.static_version()}&s=cache"
    with staticfiles_storage.open(staticfiles_storage.manifest_name) as manifest:
        assert len(manifest.read()) > 0
    response = client.get(url)
    assert response.status_code == 200 and b"ent-static-" in response.content
