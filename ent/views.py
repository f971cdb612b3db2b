"""Error pages in French, drawn with the site's layout (the 500 and 503 pages need no database),
and the health endpoint."""

import sys

from django.contrib import messages
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import get_template
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import health


def show_service_errors(request, error) -> None:
    """A service's refusal (a ``ValidationError``) shown to the person as French error messages,
    on the page the view redirects to."""
    for message in error.messages:
        messages.error(request, message)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def too_many_requests(request, exception=None):
    return render(request, "429.html", status=429)


def server_error(request):
    from django.http import HttpResponseServerError

    # The database missing in a middleware (the session, the person) lands here: answer as
    # DatabaseUnavailableMiddleware does for a view.
    if is_database_unavailable(sys.exc_info()[1]):
        return service_unavailable(request)
    return HttpResponseServerError(get_template("500.html").render({}))


def is_database_unavailable(error) -> bool:
    """PostgreSQL unreachable or gone mid-request (not a bad query: that is a 500)."""
    return isinstance(error, OperationalError | InterfaceError) or (
        isinstance(error, DatabaseError) and "connection" in str(error).lower()
    )


def service_unavailable(request):
    """The French 503 page, drawn without the database; browsers and proxies are told to retry.
    ``/sante/`` (asked with a session cookie, the middleware found the database missing) stays JSON."""
    if request.path_info == "/sante/":
        response = JsonResponse({"etat": health.DOWN, "base_de_donnees": health.DOWN}, status=503)
    else:
        response = HttpResponse(get_template("503.html").render({}), status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


@require_safe
@never_cache
def health_view(request):
    """``/sante/``: database, cache, broker and storage, in JSON (nothing personal); 503 when one is down.

    Used by the compose healthchecks and a load balancer; anonymous, cheap (four small round trips).
    """
    results = health.run_checks()
    healthy = health.is_healthy(results)
    return JsonResponse({"etat": "ok" if healthy else "indisponible", **results}, status=200 if healthy else 503)
