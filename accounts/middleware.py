from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.shortcuts import redirect

from .permissions import must_use_mfa

SESSION_KEY = "ent_mfa_ok"


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
            and not request.path.startswith(("/accounts/", "/static/", "/media/"))
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
