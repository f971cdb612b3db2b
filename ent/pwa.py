"""The installable app: its manifest, its service worker and the offline page (docs/architecture/pwa.md).

The service worker is a static file (``static/ent/sw.js``) served at the site's root, ``/sw.js``,
so that its scope is the whole site; it is registered by ``static/ent/pwa.js`` (no inline script)
as ``/sw.js?v=<version>&s=<strategy>``:

- ``version`` names its cache: the hash of the static files' manifest in production (every release
  that changes a file changes it), else ``ENT_RELEASE``, else the start of the process;
- ``strategy`` is ``cache`` when static names are hashed (a cached file never goes stale), else
  ``network`` (development: always fresh, the cache only serves offline).
"""

import hashlib
import json
import time
from functools import cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

NAME = "ENT de circonscription"
SHORT_NAME = "ENT"
THEME_COLOR = "#000091"  # DSFR --blue-france-sun-113-625
BACKGROUND_COLOR = "#ffffff"  # DSFR --background-default-grey
DARK_THEME_COLOR = "#161616"  # DSFR --background-default-grey, dark theme
ICON_SIZES = [48, 72, 96, 128, 144, 152, 192, 256, 384, 512]
MASKABLE_SIZES = [192, 512]
OFFLINE_URL = "/hors-connexion/"
_STARTED = str(int(time.time()))


def _hashed_static() -> bool:
    return hasattr(staticfiles_storage, "manifest_name")


@cache
def static_version() -> str:
    """A short name for this release's static files (see the module's docstring)."""
    if _hashed_static():
        try:
            with staticfiles_storage.open(staticfiles_storage.manifest_name) as manifest:
                return hashlib.sha256(manifest.read()).hexdigest()[:16]
        except OSError:
            pass
    release = getattr(settings, "ENT_RELEASE", "")
    return "".join(c for c in release if c.isalnum() or c in "-._")[:40] or f"dev-{_STARTED}"


def service_worker_url() -> str:
    strategy = "cache" if _hashed_static() else "network"
    return f"/sw.js?v={static_version()}&s={strategy}"


@cache
def _service_worker_source() -> bytes:
    path = finders.find("ent/sw.js") or (settings.STATIC_ROOT / "ent/sw.js")
    try:
        with open(path, "rb") as file:
            return file.read()
    except OSError:
        raise Http404 from None


@require_GET
def service_worker(request):
    """``/sw.js``: the static file, at the root (its scope: the whole site), never cached long."""
    source = _service_worker_source() if not settings.DEBUG else _read_fresh()
    response = HttpResponse(source, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


def _read_fresh() -> bytes:
    _service_worker_source.cache_clear()
    return _service_worker_source()


def manifest_data() -> dict:
    icons = [
        {"src": static(f"ent/icons/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png", "purpose": "any"}
        for size in ICON_SIZES
    ] + [
        {
            "src": static(f"ent/icons/maskable-{size}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "maskable",
        }
        for size in MASKABLE_SIZES
    ]
    return {
        "id": "/",
        "name": NAME,
        "short_name": SHORT_NAME,
        "description": "L’espace numérique de travail des écoles de la circonscription : actualités, "
        "messagerie, frise, blogs et cahiers partagés.",
        "lang": "fr",
        "dir": "ltr",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "categories": ["education", "productivity"],
        "icons": icons,
    }


@require_GET
def manifest(request):
    """``/manifest.webmanifest``: the web app manifest, in French (its icons' names are hashed)."""
    response = HttpResponse(
        json.dumps(manifest_data(), ensure_ascii=False, indent=2), content_type="application/manifest+json"
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def offline(request):
    """The page the service worker shows when the network is gone. It holds nothing personal: the
    service worker fetches it without cookies, as an anonymous visitor."""
    response = render(request, "offline.html")
    response["Cache-Control"] = "no-cache"
    return response
