"""School weeks of a weekly series: numbers, French labels, holidays skipped."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.utils import translation

from blogs.weeks import SeriesCalendar, monday_of, range_label


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


@dataclass
class H:
    name: str
    start: date
    end: date


TOUSSAINT = H("Vacances de la Toussaint", date(2026, 10, 17), date(2026, 11, 1))
NOEL = H("Vacances de Noël", date(2026, 12, 19), date(2027, 1, 3))


def test_week_one_is_the_week_of_the_start_date():
    calendar = SeriesCalendar(date(2026, 9, 1))  # a Tuesday
    assert calendar.start_monday == date(2026, 8, 31)
    assert calendar.number_of(date(2026, 9, 4)) == 1
    assert calendar.number_of(date(2026, 9, 7)) == 2
    assert calendar.number_of(date(2026, 8, 24)) is None


def test_without_holidays_every_week_counts():
    calendar = SeriesCalendar(date(2026, 8, 31))
    assert calendar.number_of(date(2026, 11, 2)) == 10


def test_holiday_weeks_are_skipped_and_have_no_number():
    calendar = SeriesCalendar(date(2026, 8, 31), [TOUSSAINT, NOEL])
    assert calendar.number_of(date(2026, 10, 12)) == 7
    assert calendar.number_of(date(2026, 10, 19)) is None
    assert calendar.number_of(date(2026, 10, 26)) is None
    assert calendar.number_of(date(2026, 11, 2)) == 8
    assert calendar.week(date(2026, 10, 21)).holiday.name == "Vacances de la Toussaint"


def test_a_week_partly_off_still_counts():
    bridge = H("Pont de l’Ascension", date(2027, 5, 6), date(2027, 5, 9))
    calendar = SeriesCalendar(date(2027, 5, 3), [bridge])
    assert calendar.week(date(2027, 5, 3)).number == 1
    assert not calendar.week(date(2027, 5, 3)).is_holiday


def test_labels_in_french():
    calendar = SeriesCalendar(date(2026, 8, 31))
    assert calendar.week(date(2026, 11, 18)).label == "Semaine 12 — du 16 au 20 novembre"
    assert calendar.week(date(2026, 11, 30)).label == "Semaine 14 — du 30 novembre au 4 décembre"
    assert calendar.week(date(2026, 3, 2)).label == "Semaine du 2 au 6 mars"
    assert calendar.week(date(2027, 3, 22)).short_label == "semaine du 22 mars"
    assert range_label(date(2026, 12, 28), date(2027, 1, 1)) == "du 28 décembre 2026 au 1er janvier 2027"
    assert range_label(date(2027, 3, 1), date(2027, 3, 5)) == "du 1er au 5 mars"


def test_coming_weeks_count_school_weeks_and_keep_holidays_between():
    calendar = SeriesCalendar(date(2026, 8, 31), [TOUSSAINT])
    weeks = calendar.coming_weeks(date(2026, 10, 7), 3)
    assert [w.monday for w in weeks] == [
        date(2026, 10, 5),
        date(2026, 10, 12),
        date(2026, 10, 19),
        date(2026, 10, 26),
        date(2026, 11, 2),
    ]
    assert [w.is_holiday for w in weeks] == [False, False, True, True, False]


def test_monday_of():
    assert monday_of(date(2026, 11, 29)) == date(2026, 11, 23)
    assert monday_of(date(2026, 11, 23)) == date(2026, 11, 23)
