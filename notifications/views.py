from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import NAMES_VERSION, User
from ent import fragments
from ent.header import unread_version

from . import kinds, permissions, selectors, services
from .devices import device_label
from .forms import PreferencesForm
from .tokens import user_id_from_unsubscribe_token

PAGE_SIZE = 20


def _page(request, number=None):
    queryset = selectors.notification_list(user=request.user)
    return Paginator(queryset, PAGE_SIZE).get_page(number or request.GET.get("page"))


def _with_counts(request, template: str, context: dict) -> HttpResponse:
    """An htmx fragment, plus the header's bell and the page's summary updated out of band."""
    counts = {
        "total": selectors.notification_list(user=request.user).count(),
        "unread": selectors.unread_count_for_request(request),
        "oob": True,
    }
    html = render_to_string(template, context, request)
    summary = render_to_string("notifications/list.html#summary", counts, request)
    bell = render_to_string("notifications/bell.html#oob", {"user": request.user}, request)
    return HttpResponse(html + summary + bell)


def _own_or_404(request, pk):
    """Someone else's notification is as good as missing: 404, whoever asks."""
    notification = selectors.notification_for(user=request.user, pk=pk)
    if notification is None or not permissions.can_view_notification(request.user, notification):
        raise Http404("Notification introuvable.")
    return notification


def list_html(request):
    """The page's list of notifications (its summary, « Tout marquer comme lu », the page of items
    and the pagination), kept as HTML per person and address (``ent.fragments``) under the
    person's unread version (``ent.header.unread_version``).

    Every change to what it draws is a notification of this person's made, read or deleted, the
    same events as their bell's count: ``notify`` (its ``bulk_create``), ``_mark_read`` (one, all,
    those of a target), ``notifications_withdraw`` (a recalled message), the retention purge (of
    unread ones) and the admin's deletions (``admin.py``, read ones too) all call ``unread_changed``.
    A notification's text, link, kind and date are never changed after it is made; whose list it
    is, ``kept_for`` says (per person); the authors' names (« par … »), people's names' version
    (``NAMES_VERSION``: a person renamed or deleted). Kept a minute at most
    (``fragments.RELATIVE_TIMES``): it says « il y a 5 minutes »; what no version follows shows
    within that minute: a year-old notification already read leaving with the retention purge, the
    e-mail address shown for an author without a name, were it changed.
    """
    return fragments.kept_for(
        request,
        "notifications:list",
        [unread_version(request.user.pk), NAMES_VERSION],
        "notifications/list.html#items",
        lambda: {"page": _page(request), "unread": selectors.unread_count_for_request(request)},
        timeout=fragments.RELATIVE_TIMES,
    )


@login_required
@require_GET
def list_view(request):
    html = list_html(request)
    if request.htmx:
        return HttpResponse(html)
    return render(request, "notifications/list.html", {"items_html": html})


@login_required
@require_GET
def open_view(request, pk):
    """Follow a notification's link (from the page or an e-mail): it is then read."""
    notification = _own_or_404(request, pk)
    services.notification_mark_read(user=request.user, notification=notification)
    hosts = {request.get_host(), urlsplit(settings.ENT_SITE_URL).netloc}
    if url_has_allowed_host_and_scheme(notification.url, allowed_hosts=hosts, require_https=request.is_secure()):
        return redirect(notification.url)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_read_view(request, pk):
    notification = _own_or_404(request, pk)
    services.notification_mark_read(user=request.user, notification=notification)
    if request.htmx:
        return _with_counts(request, "notifications/list.html#item", {"notification": notification})
    return redirect(_list_url(request))


@login_required
@require_POST
def mark_all_read_view(request):
    services.notifications_mark_all_read(user=request.user)
    if request.htmx:
        page = _page(request, request.POST.get("page"))
        return render(request, "notifications/list.html#items", {"page": page, "unread": 0, "oob_bell": True})
    messages.success(request, "Toutes vos notifications sont marquées comme lues.")
    return redirect(_list_url(request))


def _list_url(request) -> str:
    page = request.POST.get("page", "")
    return reverse("notifications:list") + (f"?page={page}" if page.isdigit() and page != "1" else "")


@login_required
@require_http_methods(["GET", "POST"])
def preferences_view(request):
    if not permissions.can_manage_email_preferences(request.user):
        raise Http404
    current = selectors.email_preferences(user=request.user)
    form = PreferencesForm(
        request.POST or None,
        offered=kinds.receivable_by(request.user),
        initial={"quiet_hours": current["quiet_hours"]},
        initial_frequencies=current["frequencies"],
        initial_push=current["push"],
    )
    if request.method == "POST" and form.is_valid():
        services.preferences_save(
            user=request.user,
            frequencies=form.frequencies(),
            quiet_hours=form.cleaned_data["quiet_hours"],
            push=form.push(),
        )
        messages.success(request, "Vos préférences de notification sont enregistrées.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form, "unsubscribed": current["unsubscribed"]})


@csrf_exempt  # RFC 8058: mail providers POST "List-Unsubscribe=One-Click" without a session or token.
@require_http_methods(["GET", "POST"])
def unsubscribe_view(request, token):
    """One-click unsubscribe, without signing in. GET only asks (link scanners open links); POST acts."""
    user_id = user_id_from_unsubscribe_token(token)
    person = User.objects.filter(pk=user_id).first() if user_id else None
    if person is None:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        services.notifications_unsubscribe(user=person)
        return render(request, "notifications/unsubscribe.html", {"done": True, "person": person})
    return render(request, "notifications/unsubscribe.html", {"person": person, "token": token})


@login_required
@require_POST
def push_subscribe_view(request):
    """« Recevoir les notifications sur cet appareil »: the browser's subscription, posted by
    static/ent/push.js (``endpoint``, ``p256dh``, ``auth``). Answers JSON for the script."""
    try:
        subscription = services.push_subscribe(
            user=request.user,
            endpoint=request.POST.get("endpoint", ""),
            p256dh=request.POST.get("p256dh", ""),
            auth=request.POST.get("auth", ""),
            label=device_label(request.headers.get("User-Agent", "")),
        )
    except ValueError as error:
        return JsonResponse({"error": str(error)}, status=400)
    messages.success(request, f"Cet appareil ({subscription.label}) recevra vos notifications.")
    return JsonResponse({"id": subscription.pk, "label": subscription.label}, status=201)


@login_required
@require_POST
def push_unsubscribe_view(request, pk):
    """« Retirer » a device: someone else's is as good as missing (404, nothing changed)."""
    subscription = selectors.push_devices(user=request.user).filter(pk=pk).first()
    if subscription is None:
        raise Http404("Appareil introuvable.")
    services.push_unsubscribe(user=request.user, subscription=subscription)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"removed": pk})
    messages.success(request, f"L’appareil « {subscription.label} » ne recevra plus vos notifications.")
    return redirect(reverse("accounts:profile") + "#appareils")
