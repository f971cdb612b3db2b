"""School weeks of a weekly series: numbering, labels and the holidays they skip.

A weekly series (« L’outil numérique de la semaine ») numbers its posts by school week: week 1 is
the week of the series' start date, and a week whose every working day (Monday to Friday) falls in
school holidays is not counted. Holidays come from the timeline app when it is installed
(:func:`blogs.selectors.school_holidays_between`); without it, every week counts.

Everything here is pure computation on dates: the holidays are read once by the caller and passed
in, so that a page labels any number of posts with one query.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from ent.dates import format_date_range, format_day

WORKING_DAYS = 5
# How far ahead (in weeks) the planning may look to find its school weeks across the summer.
MAX_LOOKAHEAD_WEEKS = 40


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def range_label(first: date, last: date) -> str:
    """« du 16 au 20 mars », « du 30 mars au 3 avril », « du 29 décembre 2025 au 2 janvier 2026 »."""
    return format_date_range(first, last, with_weekday=False, with_year=False)


@dataclass(frozen=True)
class Holiday:
    """School holidays, from their first day off to their last day off (inclusive)."""

    name: str
    start: date
    end: date
    end_known: bool = True  # False while the date of the next rentrée is not published

    @property
    def label(self) -> str:
        if not self.end_known:
            return f"{self.name} (à partir du {format_day(self.start, with_weekday=False)})"
        return f"{self.name} ({range_label(self.start, self.end)})"


@dataclass(frozen=True)
class SchoolWeek:
    """One week of a series, known by its Monday."""

    monday: date
    number: int | None = None  # None before the series starts, and for holiday weeks
    holiday: Holiday | None = None

    @property
    def friday(self) -> date:
        return self.monday + timedelta(days=WORKING_DAYS - 1)

    @property
    def is_holiday(self) -> bool:
        return self.holiday is not None

    @property
    def dates_label(self) -> str:
        """« du 16 au 20 mars »."""
        return range_label(self.monday, self.friday)

    @property
    def label(self) -> str:
        """« Semaine 12 — du 16 au 20 mars » (« Semaine du 16 au 20 mars » when it has no number)."""
        if self.number is None:
            return f"Semaine {self.dates_label}"
        return f"Semaine {self.number} — {self.dates_label}"

    @property
    def short_label(self) -> str:
        """« semaine du 23 mars »."""
        return f"semaine du {format_day(self.monday, with_year=False, with_weekday=False)}"


class SeriesCalendar:
    """The school weeks of a series starting on ``start``, given the holidays it must skip."""

    def __init__(self, start: date, holidays=()):
        self.start_monday = monday_of(start)
        self.holidays = sorted(
            (Holiday(name=h.name, start=h.start, end=h.end, end_known=getattr(h, "end_known", True)) for h in holidays),
            key=lambda h: h.start,
        )
        self._numbers: dict[date, int | None] = {}

    def holiday_of(self, monday: date) -> Holiday | None:
        """The holidays covering every working day of that week, if any."""
        friday = monday + timedelta(days=WORKING_DAYS - 1)
        for holiday in self.holidays:
            if holiday.start <= monday and holiday.end >= friday:
                return holiday
        # Two holiday periods back to back (rare) also cover a week.
        days = [monday + timedelta(days=i) for i in range(WORKING_DAYS)]
        covering = [h for h in self.holidays if h.start <= friday and h.end >= monday]
        if covering and all(any(h.start <= d <= h.end for h in covering) for d in days):
            return covering[0]
        return None

    def number_of(self, monday: date) -> int | None:
        """The school-week number of that week (1 for the start week), None before it or in holidays."""
        monday = monday_of(monday)
        if monday < self.start_monday or self.holiday_of(monday):
            return None
        if monday not in self._numbers:
            count, current = 0, self.start_monday
            while current <= monday:
                if not self.holiday_of(current):
                    count += 1
                current += timedelta(weeks=1)
            self._numbers[monday] = count
        return self._numbers[monday]

    def week(self, day: date) -> SchoolWeek:
        monday = monday_of(day)
        return SchoolWeek(monday=monday, number=self.number_of(monday), holiday=self.holiday_of(monday))

    def coming_weeks(self, first: date, count: int) -> list[SchoolWeek]:
        """From the week of ``first``, the next ``count`` school weeks and the holiday weeks between them."""
        weeks, school_weeks, monday = [], 0, monday_of(first)
        for _ in range(MAX_LOOKAHEAD_WEEKS + count):
            if school_weeks >= count:
                break
            week = self.week(monday)
            weeks.append(week)
            if not week.is_holiday:
                school_weeks += 1
            monday += timedelta(weeks=1)
        return weeks


def lookahead_end(first: date, count: int) -> date:
    """The last day for which the planning of ``count`` school weeks from ``first`` may need holidays."""
    return monday_of(first) + timedelta(weeks=count + MAX_LOOKAHEAD_WEEKS)
