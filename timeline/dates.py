"""Paris wall-clock times and school years of the timeline.

Dates and times are written by ``ent.dates``, the one French voice of the site.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone

from ent.dates import PARIS, format_day, format_time, month_name


def local_datetime(day: date, at: time) -> datetime:
    """An aware datetime for a wall-clock time in Paris.

    An ambiguous time (the repeated hour in October) means its first occurrence, summer time, as
    RFC 5545 says of local times. A time that does not exist (the skipped hour in March) raises
    :class:`NonExistentTime`: callers ask the person for another time rather than guess.
    """
    value = datetime.combine(day, at).replace(tzinfo=PARIS, fold=0)
    round_trip = value.astimezone(UTC).astimezone(PARIS)
    if round_trip.replace(tzinfo=None) != value.replace(tzinfo=None):
        raise NonExistentTime(day, at)
    return value


class NonExistentTime(ValueError):
    def __init__(self, day: date, at: time):
        self.day, self.at = day, at
        super().__init__(
            f"Le {format_day(day)} à {format_time(at)} n’existe pas à l’heure de Paris : ce jour-là, les horloges "
            "passent directement de 2 h à 3 h (passage à l’heure d’été). Choisissez une autre heure."
        )


def is_ambiguous(value: datetime) -> bool:
    """Does this Paris wall-clock time happen twice (the hour repeated when summer time ends)?"""
    local = timezone.localtime(value, PARIS)
    return local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()


# --- School years ------------------------------------------------------------------------------
# The frise draws a school year from 1 September to 10 July: the summer holidays start in the first
# days of July. From August on, "the current year" is the one about to start.
FIRST_MONTH, FIRST_DAY = 9, 1
LAST_MONTH, LAST_DAY = 7, 10


@dataclass(frozen=True)
class Period:
    key: str
    label: str
    first_day: date
    last_day: date

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


@dataclass(frozen=True)
class SchoolYear:
    start_year: int

    @property
    def label(self) -> str:
        return f"{self.start_year}-{self.start_year + 1}"

    @property
    def first_day(self) -> date:
        return date(self.start_year, FIRST_MONTH, FIRST_DAY)

    @property
    def last_day(self) -> date:
        return date(self.start_year + 1, LAST_MONTH, LAST_DAY)

    @property
    def previous(self) -> "SchoolYear":
        return SchoolYear(self.start_year - 1)

    @property
    def next(self) -> "SchoolYear":
        return SchoolYear(self.start_year + 1)

    def whole(self) -> Period:
        return Period("annee", f"Année scolaire {self.label}", self.first_day, self.last_day)

    def trimesters(self) -> list[Period]:
        y = self.start_year
        return [
            Period("t1", f"1er trimestre {self.label} (septembre à décembre)", self.first_day, date(y, 12, 31)),
            Period("t2", f"2e trimestre {self.label} (janvier à mars)", date(y + 1, 1, 1), date(y + 1, 3, 31)),
            Period("t3", f"3e trimestre {self.label} (avril à juillet)", date(y + 1, 4, 1), self.last_day),
        ]

    def months(self) -> list[Period]:
        periods = []
        first = self.first_day
        while first <= self.last_day:
            following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            last = min(following - timedelta(days=1), self.last_day)
            label = f"{month_name(first.month).capitalize()} {first.year}"
            periods.append(Period(f"m{first.month:02d}", label, first, last))
            first = following
        return periods

    def periods(self) -> list[Period]:
        return [self.whole(), *self.trimesters(), *self.months()]

    def contains(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def opening_period(self, today: date) -> Period:
        """What the frise opens on when no period is asked for: the trimester containing today, when
        today is in this school year; the whole year otherwise (another year, or the summer)."""
        if self.contains(today):
            for trimester in self.trimesters():
                if trimester.first_day <= today <= trimester.last_day:
                    return trimester
        return self.whole()

    def period(self, key: str) -> Period:
        for period in self.periods():
            if period.key == key:
                return period
        return self.whole()


def school_year_of(day: date) -> SchoolYear:
    return SchoolYear(day.year if day.month >= 8 else day.year - 1)


def holiday_school_year(first_day_off: date) -> str:
    """The school year a holiday belongs to: the summer holidays close the year that ends."""
    year = first_day_off.year if first_day_off.month >= 9 else first_day_off.year - 1
    return f"{year}-{year + 1}"
