from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.context_processors import district_name
from accounts.selectors import private_key_of, private_key_owner
from accounts.services import private_key_renew
from notifications.services import notifications_mark_read_for

from . import permissions, selectors, services
from .dates import school_year_of
from .forms import CalendarChoicesForm, EventForm, FriseFilterForm, filter_fields_html, school_year_from
from .frise_cache import frise_drawing
from .ics import build_calendar
from .models import CalendarToken

PAGE_SIZE = 20


def _visible_event_or_404(request, pk):
    event = selectors.event_for(user=request.user, pk=pk)
    if event is None:
        raise Http404
    return event


def _calendar_response(body: bytes, *, filename: str | None = None) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-cache"
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _list_page(request) -> int | None:
    """The frise list's page asked for (``?page=``), None when none is (or not a number)."""
    try:
        return max(int(request.GET["page"]), 1)
    except (KeyError, ValueError):
        return None


@login_required
@require_GET
def frise_view(request):
    today = timezone.localdate()
    year = school_year_from(request) or school_year_of(today)
    params = request.GET.copy()
    # No period asked for: the current trimester in the current school year, the whole year otherwise.
    params.setdefault("periode", year.opening_period(today).key)
    form = FriseFilterForm(params, year=year)
    form.is_valid()  # what is invalid is shown with its message and falls back to the whole year, all categories
    cleaned = form.cleaned_data
    drawing = frise_drawing(
        user=request.user,
        year=year,
        period_key=cleaned.get("periode") or "annee",
        categories=cleaned.get("categorie") or [],
        today=today,
        page=_list_page(request),
    )
    template = "timeline/frise.html#frise" if request.htmx else "timeline/frise.html"
    return render(
        request,
        template,
        {
            "form": form,
            "filter_fields": filter_fields_html(form, year),
            "frise": drawing.head,
            "frise_drawing": drawing.html,
            "can_create": permissions.can_create_event(request.user),
        },
    )


@login_required
@require_GET
def upcoming_view(request):
    page = Paginator(selectors.upcoming_events(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    template = "timeline/upcoming.html#rows" if request.htmx else "timeline/upcoming.html"
    return render(request, template, {"page": page})


@login_required
@require_GET
def deadlines_view(request):
    page = Paginator(selectors.upcoming_deadlines(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    template = "timeline/deadlines.html#rows" if request.htmx else "timeline/deadlines.html"
    return render(request, template, {"page": page})


@login_required
@require_GET
def event_detail_view(request, pk):
    event = _visible_event_or_404(request, pk)
    notifications_mark_read_for(user=request.user, target=event)  # seen here: no need to e-mail it too
    return render(
        request,
        "timeline/event_detail.html",
        {
            "event": event,
            "can_edit": permissions.can_edit_event(request.user, event),
            "can_delete": permissions.can_delete_event(request.user, event),
        },
    )


@login_required
@require_GET
def event_ics_view(request, pk):
    event = _visible_event_or_404(request, pk)
    filename = f"{slugify(event.title)[:60] or 'evenement'}.ics"
    return _calendar_response(build_calendar([event], name=event.title), filename=filename)


@login_required
@require_http_methods(["GET", "POST"])
def event_create_view(request):
    if not permissions.can_create_event(request.user):
        raise PermissionDenied
    mode, schools = selectors.event_form_mode(user=request.user)
    form = EventForm(request.POST or None, mode=mode, schools=schools)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(actor=request.user, data=form.event_data())
        except PermissionDenied as refusal:  # no longer theirs since the page was checked: say why, keep it all
            form.add_service_errors(refusal)
        else:
            messages.success(request, f"L’événement « {event.title} » est ajouté à la frise.")
            return redirect(event)
    return render(request, "timeline/event_form.html", {"form": form, "event": None})


@login_required
@require_http_methods(["GET", "POST"])
def event_update_view(request, pk):
    event = _visible_event_or_404(request, pk)
    if not permissions.can_edit_event(request.user, event):
        raise PermissionDenied
    mode, schools = selectors.event_form_mode(user=request.user, event=event)
    form = EventForm(request.POST or None, mode=mode, schools=schools, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.event_update(actor=request.user, event=event, data=form.event_data())
        except PermissionDenied as refusal:
            form.add_service_errors(refusal)
        else:
            messages.success(request, "Vos modifications sont enregistrées.")
            return redirect(saved)
    return render(request, "timeline/event_form.html", {"form": form, "event": event})


@login_required
@require_http_methods(["GET", "POST"])
def event_delete_view(request, pk):
    event = _visible_event_or_404(request, pk)
    if not permissions.can_delete_event(request.user, event):
        raise PermissionDenied
    if request.method == "POST":
        services.event_delete(actor=request.user, event=event)
        messages.success(request, f"L’événement « {event.title} » est supprimé de la frise.")
        return redirect("timeline:frise")
    return render(request, "timeline/event_confirm_delete.html", {"event": event})


@login_required
@require_http_methods(["GET", "POST"])
def subscription_view(request):
    if request.method == "POST":
        had_one = private_key_of(model=CalendarToken, user=request.user) is not None
        private_key_renew(model=CalendarToken, user=request.user)
        messages.success(
            request,
            "Votre nouveau lien d’abonnement est prêt ; l’ancien ne fonctionne plus."
            if had_one
            else "Votre lien d’abonnement est prêt.",
        )
        return redirect("timeline:subscription")
    token = private_key_of(model=CalendarToken, user=request.user)
    feed_url = request.build_absolute_uri(token.get_absolute_url()) if token else ""
    webcal_url = "webcal://" + feed_url.split("://", 1)[1] if feed_url else ""
    form = CalendarChoicesForm(initial={"include_holidays": token.include_holidays}) if token else None
    return render(
        request,
        "timeline/subscription.html",
        {"token": token, "feed_url": feed_url, "webcal_url": webcal_url, "choices_form": form},
    )


@login_required
@require_POST
def subscription_choices_view(request):
    form = CalendarChoicesForm(request.POST)
    if form.is_valid():
        include = form.cleaned_data["include_holidays"]
        services.calendar_subscription_update(actor=request.user, include_holidays=include)
        messages.success(
            request,
            "Les vacances scolaires figureront dans votre agenda à sa prochaine mise à jour."
            if include
            else "Les vacances scolaires ne figureront plus dans votre agenda à sa prochaine mise à jour.",
        )
    return redirect("timeline:subscription")


@require_GET
def feed_view(request, token):
    """A person's private calendar: no session, the secret address is the credential."""
    user = private_key_owner(model=CalendarToken, key=token)
    if user is None:
        raise Http404
    events = selectors.calendar_feed_events(user=user)
    # ``user`` came with its key (select_related): reading the key's choice costs no query.
    holidays = selectors.calendar_feed_holidays() if user.calendar_token.include_holidays else ()
    response = _calendar_response(
        build_calendar(events, name=f"Frise chronologique — {district_name()}", holidays=holidays)
    )
    response["X-Robots-Tag"] = "noindex"
    return response
