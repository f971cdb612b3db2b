"""Headers for every page: a Permissions-Policy, and no browser cache for signed-in people."""

from django.conf import settings


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
