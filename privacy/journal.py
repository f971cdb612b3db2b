"""The journal of actions on accounts and consents, read by the IEN: a page filtered from ``audit``
(the accounts' and the registry's actions, who did them, when), paginated, 404 to anyone else."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import path

from audit import actions
from audit.models import Event

from . import permissions

PREFIXES = ("accounts.", "privacy.")
PAGE_SIZE = 50


def journal_actions():
    return [a for a in actions.all_actions() if a.code.startswith(PREFIXES)]


@login_required
def journal_view(request):
    if not permissions.can_read_admin_journal(request.user):
        raise Http404
    choices = journal_actions()
    codes = {a.code for a in choices}
    chosen = request.GET.get("action", "")
    events = Event.objects.filter(Q(action__startswith=PREFIXES[0]) | Q(action__startswith=PREFIXES[1]))
    if chosen in codes:
        events = events.filter(action=chosen)
    events = events.select_related("actor").order_by("-created_at", "-pk")
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "privacy/journal.html", {"page": page, "choices": choices, "chosen": chosen})


app_name = "journal"

urlpatterns = [path("journal-des-comptes-et-autorisations/", journal_view, name="index")]
