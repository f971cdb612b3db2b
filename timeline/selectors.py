"""Reads for the frise, its lists, the home panel, the calendars, and other apps (holidays)."""

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from operator import attrgetter
from typing import NamedTuple

from django.conf import settings
from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce, RowNumber
from django.utils import timezone

from accounts.audiences import addressed_to_structure, kinds_reaching
from accounts.models import Structure
from accounts.permissions import acts_for_district
from accounts.roles import viewer
from accounts.selectors import structures_with_ids
from ent import versions
from ent.dates import format_date_range, format_day
from ent.lists import Cut

from .categories import Category
from .models import Event, SchoolHoliday
from .permissions import can_create_district_event, events_visible_to, schools_for_new_events

HOME_EVENT_COUNT = 5
HOME_DEADLINE_DAYS = 15
#: The deadlines' order: the nearest due first (a deadline is due on its last day).
DEADLINE_ORDER = ("end_date", "ends_at", "title", "pk")
# The subscription feed carries the events of the last twelve months and everything to come.
FEED_PAST_DAYS = 365


#: The events' version (``frise_cache.frise_changed``: any event or its audience written).
EVENTS_VERSION = "timeline"


def holiday_zone() -> str:
    """The district's school-holiday zone (Poitiers is in zone A)."""
    return getattr(settings, "TIMELINE_HOLIDAY_ZONE", "A")


def visible_events(*, user) -> QuerySet[Event]:
    return Event.objects.filter(events_visible_to(user))


def event_form_mode(*, user, event: Event | None = None) -> tuple[str, list[Structure]]:
    """How the event form opens: ``("district", [])`` with an audience to choose, or ``("school", schools)``.

    A school's own event stays with its school; a new one is the district team's, or belongs to a
    school the person directs.
    """
    if event is not None and event.school_id is not None:
        return "school", [event.school]
    if can_create_district_event(user):
        return "district", []
    return "school", list(structures_with_ids(ids=schools_for_new_events(user)))


def event_for(*, user, pk: int) -> Event | None:
    """The event, if this person may see it, with what its page shows."""
    return (
        visible_events(user=user)
        .filter(pk=pk)
        .select_related("school", "created_by")
        .prefetch_related(
            Prefetch("audience_structures", queryset=Structure.objects.only("pk", "name", "code").order_by("name"))
        )
        .first()
    )


class EventSpan(NamedTuple):
    """What the frise's layout needs of an event: where it falls, in which row, how long its label
    is (a named tuple: a period's thousand are made straight from the database's rows)."""

    pk: int
    category: str
    start_date: date
    end_date: date
    title: str


def event_spans_between(*, user, first_day: date, last_day: date, categories=()) -> list[EventSpan]:
    """The events of a period this person may see, in the frise's order, as :class:`EventSpan`:
    an académie's trimester holds a thousand events, of which the frise draws a few dozen and its
    list shows fifty; only those are read in full (:func:`events_by_pk`)."""
    events = visible_events(user=user).overlapping(first_day, last_day)
    if categories:
        events = events.filter(category__in=list(categories))
    rows = events.chronological().values_list("pk", "category", "start_date", "end_date", "title")
    return list(map(EventSpan._make, rows))


#: What the frise prints of an event it draws or lists (``presenters.mark_html``, ``event_item_html``).
PRINTED_FIELDS = (
    *("title", "category", "place", "video_url", "school__name"),
    *("all_day", "start_date", "end_date", "starts_at", "ends_at"),  # Event.when
)


def events_by_pk(pks) -> dict[int, Event]:
    """The events of these pks as the frise prints them (with their school's name), taken from
    :func:`event_spans_between` in the same drawing: whom they are visible to was decided there."""
    events = Event.objects.filter(pk__in=list(pks)).select_related("school").only(*PRINTED_FIELDS)
    return {event.pk: event for event in events}


def events_audience_key(user) -> str:
    """A short key naming the events this person may see, from exactly what :func:`event_spans_between`
    filters on (``permissions.event_readers``): everything (the district team, administrators); or
    their structures' own events and those addressed to them, which depend on their current
    structures and the audience kinds reaching them (from their roles, their district-team and
    RASED structures). Two people with the same key see the same events; two who would see
    different events never share one. It is computed from the current memberships (read each
    request): a membership that starts or ends changes the key, with no version to bump.
    """
    v = viewer(user)
    if not v.is_authenticated:
        return "none"
    if acts_for_district(user):
        return "all"
    rule = f"s={','.join(map(str, sorted(v.structure_ids)))};k={','.join(sorted(kinds_reaching(user)))}"
    return hashlib.sha256(rule.encode()).hexdigest()[:24]


def upcoming_events(*, user, today: date | None = None, categories=()) -> QuerySet[Event]:
    events = visible_events(user=user).upcoming(today)
    if categories:
        events = events.filter(category__in=list(categories))
    return events.select_related("school").chronological()


def structure_events(*, user, structure, today: date | None = None, limit: int = HOME_EVENT_COUNT) -> list[Event]:
    """The next events this person may see that concern this structure: its own, and those addressed to it."""
    concerning = Q(school=structure) | addressed_to_structure(structure, Event)
    return list(upcoming_events(user=user, today=today).filter(concerning)[:limit])


def upcoming_deadlines(*, user, today: date | None = None) -> QuerySet[Event]:
    """Deadlines not yet past, the nearest due first (a deadline is due on its last day)."""
    return visible_events(user=user).upcoming(today).deadlines().select_related("school").order_by(*DEADLINE_ORDER)


@dataclass(frozen=True)
class HomeSummary:
    next_events: list
    deadlines_soon: Cut
    deadline_days: int


def home_summary(*, user, today: date | None = None) -> HomeSummary:
    """The next events and the deadlines due within 15 days (the first five of each, and how many
    deadlines there are), in one query.

    Both lists are events not yet over (``upcoming_events``, ``upcoming_deadlines``): the query
    reads the events among the first five of either, in the frise's order, with each one's rank in
    the deadlines' order and the number of deadlines due. The first five rows are the next events,
    since every row read is an event not yet over and those five come first; the deadlines are the
    rows due, by that rank.
    """
    today = today or timezone.localdate()
    due_by = today + timedelta(days=HOME_DEADLINE_DAYS)
    due = upcoming_deadlines(user=user, today=today).filter(end_date__lte=due_by)
    next_pks = upcoming_events(user=user, today=today).values("pk")[:HOME_EVENT_COUNT]
    due_count = due.order_by().values("category").annotate(count=Count("pk")).values("count")
    is_due = ExpressionWrapper(Q(category=Category.DEADLINE, end_date__lte=due_by), output_field=BooleanField())
    rows = list(
        Event.objects.filter(Q(pk__in=next_pks) | Q(pk__in=due.values("pk")[:HOME_EVENT_COUNT]))
        .select_related("school")
        .annotate(
            is_due=is_due,
            due_rank=Window(RowNumber(), order_by=DEADLINE_ORDER),
            due_total=Coalesce(Subquery(due_count), 0),
        )
        .chronological()
    )
    deadlines = sorted((row for row in rows if row.is_due), key=attrgetter("due_rank"))
    return HomeSummary(
        next_events=rows[:HOME_EVENT_COUNT],
        deadlines_soon=Cut(items=deadlines, total=rows[0].due_total if rows else 0),
        deadline_days=HOME_DEADLINE_DAYS,
    )


def home_summary_for_request(request) -> HomeSummary:
    """:func:`home_summary` for the person making the request, read once per request (the frise's
    panel and the « À faire » items share it) and kept in the cache per audience and day, under the
    events' version (an hour at most: a school renamed bumps nothing)."""
    if not hasattr(request, "_timeline_home_summary"):
        user, today = request.user, timezone.localdate()
        request._timeline_home_summary = versions.cached(
            [EVENTS_VERSION],
            f"timeline:home:{events_audience_key(user)}:{today.isoformat()}",
            lambda: home_summary(user=user, today=today),
            60 * 60,
        )
    return request._timeline_home_summary


def calendar_feed_events(*, user, today: date | None = None) -> QuerySet[Event]:
    today = today or timezone.localdate()
    return visible_events(user=user).filter(end_date__gte=today - timedelta(days=FEED_PAST_DAYS)).chronological()


def calendar_feed_holidays(*, today: date | None = None) -> QuerySet[SchoolHoliday]:
    """The district zone's school holidays for a subscription feed: the same window as its events
    (from twelve months ago on), a holiday whose end is not published yet included."""
    since = (today or timezone.localdate()) - timedelta(days=FEED_PAST_DAYS)
    return (
        SchoolHoliday.objects.filter(zone=holiday_zone())
        .filter(Q(end__gte=since) | Q(end__isnull=True, start__gte=since))
        .order_by("start")
    )


# --- School holidays (also used by other apps) ----------------------------------------------------
@dataclass(frozen=True)
class Holiday:
    """A school holiday as other apps see it.

    ``start`` is its first day (the day classes end, as the official calendar gives it), ``end``
    its last day off, inclusive. While the next rentrée is not published (the summer holidays of
    the last loaded year), ``end_known`` is false and ``end`` is the last day asked about: the
    holiday runs at least until then.
    """

    name: str
    short_name: str
    start: date
    end: date
    end_known: bool
    school_year: str
    zone: str

    @property
    def when(self) -> str:
        if not self.end_known:
            return f"à partir du {format_day(self.start)}"
        return format_date_range(self.start, self.end)


def _load_holidays() -> tuple[SchoolHoliday, ...]:
    return tuple(SchoolHoliday.objects.order_by("start", "pk"))


# Every zone's holidays (a few dozen rows a year), read once per process and again after a change
# (``holidays_changed``: any SchoolHoliday saved or deleted, see apps.py).
_holidays = versions.ProcessMemo("holidays", _load_holidays)


def holidays_changed() -> None:
    versions.bump("holidays")


def school_holidays_between(start: date, end: date) -> list[Holiday]:
    """The district zone's school holidays with at least one day between ``start`` and ``end``
    (kept in memory: no query, but after a change)."""
    zone = holiday_zone()
    rows = [
        row
        for row in _holidays.get()
        if row.zone == zone and row.start <= end and (row.end is None or row.end >= start)
    ]
    return [
        Holiday(
            name=row.name,
            short_name=row.short_name,
            start=row.start,
            end=row.end if row.end is not None else max(end, row.start),
            end_known=row.end is not None,
            school_year=row.school_year,
            zone=row.zone,
        )
        for row in rows
    ]


def frise(*, user, year, period_key: str = "annee", categories=(), today: date | None = None, page=None):
    """The frise of a school year (or of one of its trimesters or months) as this person sees it;
    ``page``: its list's page (``presenters.build_frise``)."""
    from .presenters import build_frise

    today = today or timezone.localdate()
    period = year.period(period_key)
    events = event_spans_between(user=user, first_day=period.first_day, last_day=period.last_day, categories=categories)
    holidays = school_holidays_between(period.first_day, period.last_day)
    return build_frise(
        year=year,
        period=period,
        events=events,
        holidays=holidays,
        categories=categories,
        today=today,
        page=page,
        load=events_by_pk,
    )
