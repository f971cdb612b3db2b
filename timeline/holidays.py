"""Reading the ministry's school calendar (iCalendar) into holiday periods of one zone.

The ministry publishes the calendar as ICS files (education.gouv.fr, data.education.gouv.fr:
« Calendrier scolaire »). Each holiday is a VEVENT whose SUMMARY names it and its zones
(« Vacances de la Toussaint - Zone A », « Vacances d'Hiver - Zones A/B »), DTSTART being the day
classes end and DTEND the day they resume. Some files split a holiday into pieces shared by
several zones, and the start of the summer holidays may be published before the next rentrée
(« Début des Vacances d'Été - Zone A », without a useful DTEND). This module turns any of those
into one period per holiday: first day, last day off (``None`` while unknown).
"""

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import icalendar

from .dates import holiday_school_year

# Keyword (lower case, without accents) -> the name the ENT shows.
HOLIDAY_NAMES = (
    ("toussaint", "Vacances de la Toussaint"),
    ("noel", "Vacances de Noël"),
    ("hiver", "Vacances d’hiver"),
    ("printemps", "Vacances de printemps"),
    ("ascension", "Pont de l’Ascension"),
    ("ete", "Vacances d’été"),
)
ZONES_RE = re.compile(r"\bzones?\s+([abc](?:\s*[/,\s]\s*[abc])*)\b", re.IGNORECASE)


class CalendarFileError(ValueError):
    """The file is not a readable iCalendar school calendar."""


@dataclass(frozen=True)
class HolidayPeriod:
    school_year: str
    name: str
    zone: str
    start: date
    end: date | None  # last day off, inclusive; None when the end is not yet published


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def holiday_name(summary: str) -> str | None:
    words = set(re.findall(r"[a-z]+", _plain(summary)))
    for keyword, name in HOLIDAY_NAMES:
        if keyword in words:
            return name
    return None


def zones_of(*texts: str) -> set[str] | None:
    """The zones a SUMMARY or LOCATION names (``None`` if it names none: the whole country)."""
    for text in texts:
        match = ZONES_RE.search(text or "")
        if match:
            return set(re.findall(r"[abc]", match.group(1).lower()))
    return None


def _as_date(value) -> date | None:
    if value is None:
        return None
    value = value.dt
    return value.date() if isinstance(value, datetime) else value


def parse_school_calendar(content: bytes | str, *, zone: str = "A") -> list[HolidayPeriod]:
    """The holidays of ``zone`` in an iCalendar school calendar, one period per holiday and year."""
    try:
        calendar = icalendar.Calendar.from_ical(content)
    except ValueError as exc:
        raise CalendarFileError(f"Ce fichier n’est pas un calendrier iCalendar lisible : {exc}") from exc
    if calendar.name != "VCALENDAR":
        raise CalendarFileError("Ce fichier n’est pas un calendrier iCalendar (VCALENDAR attendu).")
    zone = zone.lower()
    pieces: dict[tuple[str, str], list[tuple[date, date | None]]] = defaultdict(list)
    for vevent in calendar.walk("VEVENT"):
        summary = str(vevent.get("SUMMARY", ""))
        name = holiday_name(summary)
        zones = zones_of(summary, str(vevent.get("LOCATION", "")))
        start = _as_date(vevent.get("DTSTART"))
        if name is None or start is None or (zones is not None and zone not in zones):
            continue
        resume = _as_date(vevent.get("DTEND"))
        opens_only = _plain(summary).startswith("debut")
        last_day_off = None if opens_only or resume is None or resume <= start else resume - timedelta(days=1)
        pieces[(holiday_school_year(start), name)].append((start, last_day_off))
    periods = []
    for (school_year, name), spans in pieces.items():
        known_ends = [end for _, end in spans if end is not None]
        periods.append(
            HolidayPeriod(
                school_year=school_year,
                name=name,
                zone=zone.upper(),
                start=min(start for start, _ in spans),
                end=max(known_ends) if known_ends else None,
            )
        )
    return sorted(periods, key=lambda p: p.start)
