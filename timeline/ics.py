"""iCalendar (RFC 5545) output: a person's subscription feed and single-event downloads.

* Stable UIDs ``event-<pk>@<host>``, so that calendar applications update an event rather than
  duplicate it; ``SEQUENCE`` grows with each change; ``DTSTAMP`` and ``LAST-MODIFIED`` are the
  event's last change (RFC 5545 §3.8.7.2, for an object without METHOD… and harmless with it).
* All-day events as ``VALUE=DATE`` with an exclusive ``DTEND`` (the day after the last day).
* School holidays (when the person asked for them) as all-day events too, ``UID
  holiday-<school year>-<name>-<zone>@<host>``: their natural key, stable when the ministry's
  file is loaded again. A holiday whose end is not published yet is its first day only.
* Timed events in local time with ``TZID=Europe/Paris`` and the matching VTIMEZONE. The one
  exception: an instant in the second pass of the repeated October hour, which a TZID local time
  cannot name (RFC 5545 reads an ambiguous local time as its first occurrence), is written in UTC.
"""

from datetime import UTC, datetime, timedelta
from urllib.parse import urljoin, urlparse

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify
from icalendar import Calendar, Timezone, TimezoneDaylight, TimezoneStandard
from icalendar import Event as VEvent

from ent.dates import PARIS

from .dates import is_ambiguous

PRODID = "-//ENT de circonscription//Frise chronologique//FR"
TZID = "Europe/Paris"


def site_host() -> str:
    return urlparse(settings.ENT_SITE_URL).hostname or "ent.local"


def absolute_url(path: str) -> str:
    return urljoin(settings.ENT_SITE_URL + "/", path)


def paris_vtimezone() -> Timezone:
    """Europe/Paris as RFC 5545 rules (the EU rule in force since 1996)."""
    tz = Timezone()
    tz.add("TZID", TZID)
    summer = TimezoneDaylight()
    summer.add("TZOFFSETFROM", timedelta(hours=1))
    summer.add("TZOFFSETTO", timedelta(hours=2))
    summer.add("TZNAME", "CEST")
    summer.add("DTSTART", datetime(1970, 3, 29, 2, 0, 0))
    summer.add("RRULE", {"FREQ": "YEARLY", "BYMONTH": 3, "BYDAY": "-1SU"})
    winter = TimezoneStandard()
    winter.add("TZOFFSETFROM", timedelta(hours=2))
    winter.add("TZOFFSETTO", timedelta(hours=1))
    winter.add("TZNAME", "CET")
    winter.add("DTSTART", datetime(1970, 10, 25, 3, 0, 0))
    winter.add("RRULE", {"FREQ": "YEARLY", "BYMONTH": 10, "BYDAY": "-1SU"})
    tz.add_component(summer)
    tz.add_component(winter)
    return tz


def _instant(value: datetime) -> datetime:
    local = timezone.localtime(value, PARIS)
    if is_ambiguous(local) and local.fold == 1:
        return value.astimezone(UTC)
    return local


def event_component(event, *, host: str | None = None) -> VEvent:
    host = host or site_host()
    vevent = VEvent()
    vevent.add("UID", f"event-{event.pk}@{host}")
    vevent.add("DTSTAMP", event.updated_at)
    vevent.add("CREATED", event.created_at)
    vevent.add("LAST-MODIFIED", event.updated_at)
    vevent.add("SEQUENCE", event.sequence)
    vevent.add("SUMMARY", event.title)
    if event.all_day:
        vevent.add("DTSTART", event.start_date)
        vevent.add("DTEND", event.end_date + timedelta(days=1))
        vevent.add("TRANSP", "TRANSPARENT")
    else:
        vevent.add("DTSTART", _instant(event.starts_at))
        vevent.add("DTEND", _instant(event.ends_at))
    vevent.add("CATEGORIES", [event.style.label])
    location = event.place or event.video_url
    if location:
        vevent.add("LOCATION", location)
    url = absolute_url(event.get_absolute_url())
    vevent.add("URL", url)
    description = [event.description.strip()] if event.description.strip() else []
    if event.video_url:
        description.append(f"Visioconférence : {event.video_url}")
    if event.related_url:
        description.append(f"Voir aussi : {absolute_url(event.related_url)}")
    description.append(f"Sur l’ENT : {url}")
    vevent.add("DESCRIPTION", "\n\n".join(description))
    return vevent


HOLIDAY_CATEGORY = "Vacances scolaires"


def holiday_component(holiday, *, host: str | None = None) -> VEvent:
    """A ``timeline.models.SchoolHoliday`` as an all-day VEVENT, from its first to its last day off."""
    host = host or site_host()
    vevent = VEvent()
    vevent.add("UID", f"holiday-{holiday.school_year}-{slugify(holiday.name)}-{holiday.zone.lower()}@{host}")
    vevent.add("DTSTAMP", holiday.updated_at)
    vevent.add("LAST-MODIFIED", holiday.updated_at)
    vevent.add("SUMMARY", holiday.name)
    vevent.add("DTSTART", holiday.start)
    vevent.add("DTEND", (holiday.end or holiday.start) + timedelta(days=1))
    vevent.add("TRANSP", "TRANSPARENT")
    vevent.add("CATEGORIES", [HOLIDAY_CATEGORY])
    description = f"Vacances scolaires de la zone {holiday.zone}, d’après le calendrier officiel."
    if holiday.end is None:
        description += " Premier jour seulement : la date de la rentrée suivante n’est pas encore publiée."
    vevent.add("DESCRIPTION", description)
    return vevent


def build_calendar(events, *, name: str, holidays=()) -> bytes:
    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    calendar.add("METHOD", "PUBLISH")
    calendar.add("X-WR-CALNAME", name)
    calendar.add("X-WR-TIMEZONE", TZID)
    calendar.add("REFRESH-INTERVAL", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("X-PUBLISHED-TTL", timedelta(hours=1))
    calendar.add_component(paris_vtimezone())
    host = site_host()
    for event in events:
        calendar.add_component(event_component(event, host=host))
    for holiday in holidays:
        calendar.add_component(holiday_component(holiday, host=host))
    return calendar.to_ical()
