"""Error pages in French, drawn with the site's layout (the 500 page needs no database)."""

from django.shortcuts import render
from django.template.loader import get_template


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def too_many_requests(request, exception=None):
    return render(request, "429.html", status=429)


def server_error(request):
    from django.http import HttpResponseServerError

    return HttpResponseServerError(get_template("500.html").render({}))
