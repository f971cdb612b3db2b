"""The one French voice for dates and times, for every app (templates: the ``ent_dates`` filters).

« lundi 1er décembre 2026 », « 8 h », « 8 h 30 », « lundi 1er décembre 2026 à 8 h 30 »,
« du 7 au 11 décembre », « du 28 novembre au 2 décembre 2026 », « de 9 h à 12 h »,
« il y a 2 heures ». Aware datetimes are read in Paris time (the district's). Written here rather
than through the locale so that nothing depends on the server's installed locales or on Django's
format strings (which write « 08:30 » or « 1 décembre »).

Machine formats are not this module's business: Atom and iCalendar feeds, ``<time datetime>``
attributes, form inputs and CSV data cells keep ISO or their own formats.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

PARIS = ZoneInfo("Europe/Paris")

DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
SHORT_MONTHS = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")


def paris(value: datetime) -> datetime:
    """An aware datetime as a Paris wall-clock time (a naive one is taken as already local)."""
    return timezone.localtime(value, PARIS) if timezone.is_aware(value) else value


def _day_of(value: date | datetime) -> date:
    return paris(value).date() if isinstance(value, datetime) else value


def day_number(d: date) -> str:
    """« 1er » for the first of the month, as French writes it, the number otherwise."""
    return "1er" if d.day == 1 else str(d.day)


def month_name(month: int) -> str:
    return MONTHS[month - 1]


def format_month(value: date | datetime) -> str:
    """« décembre 2026 »."""
    d = _day_of(value)
    return f"{month_name(d.month)} {d.year}"


def format_day(value: date | datetime, *, with_year: bool = True, with_weekday: bool = True) -> str:
    """« lundi 1er décembre 2026 » (« 1er décembre 2026 », « lundi 1er décembre », « 1er décembre »)."""
    d = _day_of(value)
    text = f"{day_number(d)} {month_name(d.month)}"
    if with_weekday:
        text = f"{DAYS[d.weekday()]} {text}"
    return f"{text} {d.year}" if with_year else text


def format_time(value: time | datetime) -> str:
    """« 8 h », « 8 h 05 », « 0 h » (midnight), « 12 h » (noon); a datetime in Paris time."""
    t = paris(value).time() if isinstance(value, datetime) else value
    return f"{t.hour} h" if t.minute == 0 else f"{t.hour} h {t.minute:02d}"


def format_datetime(value: datetime, *, with_year: bool = True, with_weekday: bool = True) -> str:
    """« lundi 1er décembre 2026 à 8 h 30 », in Paris time."""
    local = paris(value)
    return f"{format_day(local.date(), with_year=with_year, with_weekday=with_weekday)} à {format_time(local.time())}"


def format_date_range(start: date, end: date, *, with_weekday: bool = True, with_year: bool = True) -> str:
    """From one day to another, inclusive, the shared parts written once.

    « le lundi 12 octobre 2026 », « du lundi 12 au mercredi 14 octobre 2026 », « du lundi 28
    décembre 2026 au vendredi 8 janvier 2027 »; without weekdays « du 7 au 11 décembre 2026 ».
    ``with_year=False`` writes the years only when they differ: « du 7 au 11 décembre »,
    « du 28 novembre au 2 décembre », « du 29 décembre 2025 au 2 janvier 2026 ».
    """
    start, end = _day_of(start), _day_of(end)
    crosses_years = start.year != end.year
    last_year = with_year or crosses_years
    if end <= start:
        return f"le {format_day(start, with_year=last_year, with_weekday=with_weekday)}"
    if crosses_years:
        first = format_day(start, with_weekday=with_weekday)
    elif start.month != end.month:
        first = format_day(start, with_year=False, with_weekday=with_weekday)
    else:
        first = f"{DAYS[start.weekday()]} {day_number(start)}" if with_weekday else day_number(start)
    return f"du {first} au {format_day(end, with_year=last_year, with_weekday=with_weekday)}"


def format_time_range(start: time | datetime, end: time | datetime) -> str:
    """« de 9 h à 12 h », « de 8 h 30 à 11 h 45 »."""
    return f"de {format_time(start)} à {format_time(end)}"


def format_datetime_range(start: datetime, end: datetime) -> str:
    """A timed span, in Paris time: « le lundi 12 octobre 2026 de 9 h à 12 h »."""
    start, end = paris(start), paris(end)
    if start.date() == end.date():
        if start == end:
            return f"le {format_datetime(start)}"
        return f"le {format_day(start.date())} {format_time_range(start.time(), end.time())}"
    return f"du {format_datetime(start)} au {format_datetime(end)}"


def format_relative(value: datetime, *, now: datetime | None = None) -> str:
    """How long ago, where that helps more than a date (notifications): « à l’instant »,
    « il y a 5 minutes », « il y a 2 heures »; from a day on, « hier à 8 h 30 », then the date."""
    now = now or timezone.now()
    elapsed = now - value
    if elapsed < timedelta(minutes=1):
        return "à l’instant"
    if elapsed < timedelta(hours=1):
        minutes = int(elapsed.total_seconds() // 60)
        return f"il y a {minutes} minute" + ("s" if minutes > 1 else "")
    if elapsed < timedelta(hours=24) and paris(value).date() == paris(now).date():
        hours = int(elapsed.total_seconds() // 3600)
        return f"il y a {hours} heure" + ("s" if hours > 1 else "")
    if paris(value).date() == paris(now).date() - timedelta(days=1):
        return f"hier à {format_time(value)}"
    return f"le {format_datetime(value)}"
