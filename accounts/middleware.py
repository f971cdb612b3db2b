from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import redirect
from django.utils import timezone

from .permissions import must_use_mfa

SESSION_KEY = "ent_mfa_ok"
# The installable app's files (ent.pwa): a browser fetches them by itself, a redirect would break them.
PWA_PATHS = ("/sw.js", "/manifest.webmanifest", "/hors-connexion/")


class RequireMFAMiddleware:
    """Send the district team and administrators to set up TOTP before anything else.

    Their sign-in pages, the MFA pages and sign-out stay reachable; the check costs one query
    until the answer is yes, then it is remembered in the session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.session.get(SESSION_KEY)
            and not request.path.startswith(("/accounts/", "/static/", "/media/", *PWA_PATHS))
            and must_use_mfa(user)
        ):
            if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                request.session[SESSION_KEY] = True
            else:
                messages.warning(
                    request,
                    "La double authentification est obligatoire pour l’équipe de circonscription et les "
                    "administrateurs : activez-la avec une application d’authentification pour continuer.",
                )
                return redirect("mfa_activate_totp")
        return self.get_response(request)


class LastSeenMiddleware:
    """Record the day a signed-in person uses the site, for the adoption dashboard.

    At most one write per person and day: nothing when the person's ``last_seen`` (read with the
    user, already loaded) is today; otherwise a cache marker (``cache.add``) lets one request of the
    day write it, even when several arrive at once. ``ENT_RECORD_LAST_SEEN`` turns it off.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(settings, "ENT_RECORD_LAST_SEEN", True):
            today = timezone.localdate()
            if user.last_seen != today and cache.add(f"accounts.last_seen:{user.pk}:{today.isoformat()}", 1, 86400):
                from .services import user_record_visit

                user_record_visit(user=user, day=today)
        return response
