"""Writes on the frise: events, calendar subscriptions, the official school holidays."""

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, transaction
from django.utils import timezone

from accounts.audiences import AudienceKind
from accounts.models import Structure, User
from accounts.services import private_key_ensure
from audit.changes import changes_between, model_fields, snapshot
from audit.services import record
from notifications.services import notify

from . import permissions
from .holidays import parse_school_calendar
from .models import CalendarToken, Event, SchoolHoliday, TimelineAction
from .search import event_index, event_unindex

logger = logging.getLogger(__name__)

EVENT_FIELDS = (
    "title",
    "description",
    "category",
    "all_day",
    "start_date",
    "end_date",
    "starts_at",
    "ends_at",
    "place",
    "video_url",
    "related_url",
    "audience",
)
# What the audit trail compares, field by field (audit.changes).
EVENT_AUDIT_FIELDS = model_fields(Event, (*EVENT_FIELDS, "school", "audience_structures"))


def _record(*, actor: User, event: Event, action: str, before: dict | None) -> None:
    changes = changes_between(before, snapshot(event, EVENT_AUDIT_FIELDS), EVENT_AUDIT_FIELDS)
    record(actor=actor, target=event, action=action, changes=changes)


@dataclass(frozen=True)
class EventData:
    """What a person says about an event (cleaned by the form)."""

    title: str
    category: str
    all_day: bool
    start_date: date
    end_date: date
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    description: str = ""
    place: str = ""
    video_url: str = ""
    related_url: str = ""
    audience: str = AudienceKind.DISTRICT
    audience_structures: tuple[Structure, ...] = ()
    school: Structure | None = None


def _apply(event: Event, data: EventData) -> None:
    for field in EVENT_FIELDS:
        setattr(event, field, getattr(data, field))
    if event.school_id is not None:
        # A school's own event is addressed to the school's members, whatever was posted.
        event.audience = AudienceKind.STRUCTURES


def _set_audience(event: Event, data: EventData) -> None:
    if event.school_id is not None:
        event.audience_structures.set([event.school_id])
    elif event.audience == AudienceKind.STRUCTURES:
        event.audience_structures.set(data.audience_structures)
    else:
        event.audience_structures.clear()


def event_create(*, actor: User, data: EventData) -> Event:
    """Add an event: a district event (district team) or a school's own event (its director)."""
    if data.school is None:
        if not permissions.can_create_district_event(actor):
            raise PermissionDenied("Seule l’équipe de circonscription ajoute des événements de circonscription.")
    elif not permissions.can_create_school_event(actor, data.school):
        raise PermissionDenied("Vous ne dirigez pas cette école.")
    with transaction.atomic():
        event = Event(school=data.school, created_by=actor)
        _apply(event, data)
        event.save()
        _set_audience(event, data)
        _record(actor=actor, event=event, action=TimelineAction.EVENT_CREATED, before=None)
        event_index(event)
        if event.end_date >= timezone.localdate():
            notify(
                kind="timeline.event_created",
                actor=actor,
                target=event,
                text=f"Nouvel événement sur la frise : {event.title}, {event.when}.",
                url=event.get_absolute_url(),
                audience=event.get_audience(),
                key=f"timeline.event_created:{event.pk}",
            )
    return event


def event_update(*, actor: User, event: Event, data: EventData) -> Event:
    """Change an event. Its school (if any) stays; calendars see a new revision (SEQUENCE)."""
    if not permissions.can_edit_event(actor, event):
        raise PermissionDenied("Vous ne pouvez pas modifier cet événement.")
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        before = snapshot(event, EVENT_AUDIT_FIELDS)
        _apply(event, data)
        event.sequence += 1
        event.updated_at = timezone.now()
        event.save()
        _set_audience(event, data)
        _record(actor=actor, event=event, action=TimelineAction.EVENT_UPDATED, before=before)
        event_index(event)
    return event


def event_delete(*, actor: User, event: Event) -> None:
    if not permissions.can_delete_event(actor, event):
        raise PermissionDenied("Vous ne pouvez pas supprimer cet événement.")
    with transaction.atomic():
        record(actor=actor, target=event, action=TimelineAction.EVENT_DELETED)
        event_unindex(event.pk)
        Event.objects.filter(pk=event.pk).delete()


def calendar_subscription_update(*, actor: User, include_holidays: bool) -> CalendarToken:
    """The person's choices for their own calendar feed (their address is created if need be).

    Kept with their key, so their subscribed calendars follow the change at the next refresh.
    """
    with transaction.atomic():
        token = private_key_ensure(model=CalendarToken, user=actor)
        token = CalendarToken.objects.select_for_update().get(pk=token.pk)
        if token.include_holidays != include_holidays:
            token.include_holidays = include_holidays
            token.save(update_fields=["include_holidays"])
    return token


@dataclass(frozen=True)
class HolidayLoadResult:
    created: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def school_holidays_load(*, content: bytes | str, zone: str = "A", source: str = "") -> HolidayLoadResult:
    """Load the holidays of ``zone`` from a ministry calendar file; loading it again changes nothing.

    A holiday is identified by its school year, name and zone: a later file (the next year's
    calendar, or a corrected one) updates it. A known end is never replaced by an unknown one.
    Raises :class:`timeline.holidays.CalendarFileError` on an unreadable file.
    """
    periods = parse_school_calendar(content, zone=zone)
    created = updated = unchanged = 0
    with transaction.atomic():
        existing = {
            (h.school_year, h.name): h for h in SchoolHoliday.objects.select_for_update().filter(zone=zone.upper())
        }
        for period in periods:
            holiday = existing.get((period.school_year, period.name))
            end = period.end
            if holiday is None:
                SchoolHoliday.objects.create(
                    school_year=period.school_year,
                    name=period.name,
                    zone=period.zone,
                    start=period.start,
                    end=end,
                    source=source[:500],
                )
                created += 1
                continue
            if end is None:
                end = holiday.end
            if (holiday.start, holiday.end) == (period.start, end):
                unchanged += 1
                continue
            holiday.start, holiday.end, holiday.source = period.start, end, source[:500]
            holiday.save(update_fields=["start", "end", "source", "updated_at"])
            updated += 1
    return HolidayLoadResult(created=created, updated=updated, unchanged=unchanged)


def school_holiday_save(*, holiday: SchoolHoliday) -> SchoolHoliday:
    """A holiday typed or corrected by hand (the admin's stopgap): saved, and drawn on the frise at
    once (its version follows the rows: ``timeline.apps``)."""
    with transaction.atomic():
        holiday.save()
    return holiday


def school_holidays_delete(*, holidays) -> None:
    """Holidays removed by hand (the admin): gone from the frise at once."""
    with transaction.atomic():
        SchoolHoliday.objects.filter(pk__in=[holiday.pk for holiday in holidays]).delete()


# --- Deadline reminders ---------------------------------------------------------------------------
# A deadline is due on its last day. Its audience hears of it 7 days before, then 1 day before. Each
# reminder has a window, so that a day the scheduler missed, or a deadline added 4 days ahead, still
# gets its reminder; the notification key makes each one happen once per person, however often the
# task runs.
REMINDERS = (
    # (key suffix, first and last number of days before the due date)
    ("7d", 2, 7),
    ("1d", 0, 1),
)


@dataclass(frozen=True)
class ReminderResult:
    sent: int
    failed: int


def _reminder_text(event: Event, days: int) -> str:
    if days == 0:
        due = "aujourd’hui"
    elif days == 1:
        due = "demain"
    else:
        due = f"dans {days} jours"
    return f"Échéance {due} : {event.title} ({event.when})."


def deadline_reminders_send(*, today: date) -> ReminderResult:
    """Remind each deadline's audience 7 days and 1 day before it is due; never twice."""
    sent = failed = 0
    for suffix, nearest, farthest in REMINDERS:
        due = (
            Event.objects.deadlines()
            .filter(end_date__gte=today + timedelta(days=nearest), end_date__lte=today + timedelta(days=farthest))
            .prefetch_related("audience_structures")
            .order_by("end_date", "pk")
        )
        for event in due:
            days = (event.end_date - today).days
            try:
                with transaction.atomic():
                    sent += notify(
                        kind="timeline.deadline",
                        actor=None,
                        target=event,
                        text=_reminder_text(event, days),
                        url=event.get_absolute_url(),
                        audience=event.get_audience(),
                        key=f"timeline.deadline:{event.pk}:{suffix}",
                        exclude_actor=False,
                    )
            except DatabaseError:
                # One deadline failing must not stop the others; the next run (or a retry) catches up.
                logger.exception("Rappel de l’échéance %s impossible", event.pk)
                failed += 1
    return ReminderResult(sent=sent, failed=failed)
