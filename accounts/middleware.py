from allauth.mfa.models import Authenticator
from django.shortcuts import redirect
from django.urls import reverse

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
                return redirect(reverse("mfa_activate_totp") + "?obligatoire=1")
        return self.get_response(request)
