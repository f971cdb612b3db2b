"""Headers for every page (a Permissions-Policy, no browser cache for signed-in people), and the
503 page when the database is unreachable."""

import logging

from django.conf import settings
from django.middleware.gzip import GZipMiddleware

from . import views

logger = logging.getLogger(__name__)

# What is worth compressing: text. Images, audio, video, PDFs and archives are compressed already.
COMPRESSIBLE_TYPES = ("text/", "application/json", "application/javascript", "application/manifest+json")


class PageGZipMiddleware(GZipMiddleware):
    """Django's gzip, for the pages and other text answers only (ARCHITECTURE.md, "Compression").

    Never compressed: a streamed answer (an uploaded file sent by Django, a byte range, an export),
    an X-Accel-Redirect (nginx sends the bytes), an answer already encoded (Django's own check), and
    anything that is not text. BREACH: Django masks the CSRF token afresh in every answer and adds
    random bytes to each gzip header, so a compressed page does not leak its secrets.
    """

    def process_response(self, request, response):
        if response.streaming or response.has_header("X-Accel-Redirect") or response.has_header("Content-Range"):
            return response
        if not response.get("Content-Type", "").startswith(COMPRESSIBLE_TYPES):
            return response
        return super().process_response(request, response)


class PermissionsPolicyMiddleware:
    """Send ``settings.ENT_PERMISSIONS_POLICY`` (feature -> allowed origins) as ``Permissions-Policy``.

    Only the microphone is allowed, on the site itself (the dictaphone records from the page);
    every other powerful feature (camera, geolocation, screen capture, USB…) is refused, for the
    site and for anything it might frame.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(origins)})" for feature, origins in settings.ENT_PERMISSIONS_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.header)
        return response


class PrivateCacheMiddleware:
    """``Cache-Control: private, no-store`` on every answer to a signed-in person.

    School computers are shared: once someone signs out, the browser's cache must hold none of
    their pages. A view that chose its own caching keeps it (the served files of ``uploads``,
    calendar files, Django's ``never_cache`` pages). Anonymous answers (the sign-in page, private
    feeds read with a key, public blogs) and static files (answered by WhiteNoise before this
    middleware) are left alone.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if "Cache-Control" not in response and user is not None and user.is_authenticated:
            response["Cache-Control"] = "private, no-store"
        return response


class DatabaseUnavailableMiddleware:
    """PostgreSQL unreachable: the French « Service momentanément indisponible » page (503), never
    a stack trace. Nothing to restart once it is back: the connection pool lends only checked
    connections and opens new ones (``DB_POOL_*``, ent/settings.py), so the next request answers.

    Catches what a view raises; what a middleware raises (the session, the person) reaches
    ``ent.views.server_error``, which answers the same page. ``/sante/`` answers its own 503 in JSON.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if views.is_database_unavailable(exception):
            logger.warning("Database unavailable for %s: %s", request.path, exception)
            return views.service_unavailable(request)
        return None
