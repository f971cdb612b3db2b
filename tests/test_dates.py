"""The one French voice for dates and times (ent.dates and the ent_dates filters)."""

import datetime as dt

import pytest
from django.template import Context, Template

from ent.dates import (
    format_date_range,
    format_datetime,
    format_datetime_range,
    format_day,
    format_month,
    format_relative,
    format_time,
    format_time_range,
)

UTC = dt.UTC


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2026, 12, 1), "mardi 1er décembre 2026"),
        (dt.date(2026, 12, 2), "mercredi 2 décembre 2026"),
        (dt.date(2027, 1, 1), "vendredi 1er janvier 2027"),
        (dt.date(2026, 12, 31), "jeudi 31 décembre 2026"),
    ],
)
def test_a_day_is_written_with_1er_for_the_first(day, expected):
    assert format_day(day) == expected


def test_a_day_without_weekday_or_year():
    assert format_day(dt.date(2026, 12, 1), with_weekday=False) == "1er décembre 2026"
    assert format_day(dt.date(2026, 12, 1), with_year=False) == "mardi 1er décembre"
    assert format_day(dt.date(2026, 12, 7), with_year=False, with_weekday=False) == "7 décembre"


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        (dt.time(8, 0), "8 h"),
        (dt.time(8, 30), "8 h 30"),
        (dt.time(8, 5), "8 h 05"),
        (dt.time(0, 0), "0 h"),
        (dt.time(12, 0), "12 h"),
        (dt.time(23, 59), "23 h 59"),
    ],
)
def test_times_are_written_the_french_way(at, expected):
    assert format_time(at) == expected


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        # Winter time (UTC+1) and summer time (UTC+2), either side of the changes of 2026.
        (dt.datetime(2026, 3, 28, 7, 30, tzinfo=UTC), "samedi 28 mars 2026 à 8 h 30"),
        (dt.datetime(2026, 3, 29, 7, 30, tzinfo=UTC), "dimanche 29 mars 2026 à 9 h 30"),
        (dt.datetime(2026, 10, 24, 22, 0, tzinfo=UTC), "dimanche 25 octobre 2026 à 0 h"),
        (dt.datetime(2026, 10, 25, 23, 0, tzinfo=UTC), "lundi 26 octobre 2026 à 0 h"),
        # 23:30 UTC on 30 November is already 1 December in Paris.
        (dt.datetime(2026, 11, 30, 23, 30, tzinfo=UTC), "mardi 1er décembre 2026 à 0 h 30"),
        (dt.datetime(2026, 12, 1, 11, 0, tzinfo=UTC), "mardi 1er décembre 2026 à 12 h"),
    ],
)
def test_aware_datetimes_are_read_in_paris_time_across_summer_time(moment, expected):
    assert format_datetime(moment) == expected


def test_the_day_of_an_aware_datetime_is_its_paris_day():
    late = dt.datetime(2026, 11, 30, 23, 30, tzinfo=UTC)

    assert format_day(late) == "mardi 1er décembre 2026"
    assert format_time(late) == "0 h 30"
    assert format_month(dt.datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == "janvier 2027"


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (dt.date(2026, 12, 7), dt.date(2026, 12, 11), "du 7 au 11 décembre"),
        (dt.date(2026, 11, 28), dt.date(2026, 12, 2), "du 28 novembre au 2 décembre"),
        (dt.date(2026, 12, 1), dt.date(2026, 12, 4), "du 1er au 4 décembre"),
        (dt.date(2026, 12, 28), dt.date(2027, 1, 1), "du 28 décembre 2026 au 1er janvier 2027"),
        (dt.date(2026, 12, 7), dt.date(2026, 12, 7), "le 7 décembre"),
    ],
)
def test_short_ranges_write_the_years_only_when_they_differ(start, end, expected):
    assert format_date_range(start, end, with_weekday=False, with_year=False) == expected


def test_ranges_with_years_and_weekdays():
    assert format_date_range(dt.date(2026, 11, 28), dt.date(2026, 12, 2), with_weekday=False) == (
        "du 28 novembre au 2 décembre 2026"
    )
    assert format_date_range(dt.date(2026, 12, 7), dt.date(2026, 12, 11)) == "du lundi 7 au vendredi 11 décembre 2026"


def test_time_ranges():
    assert format_time_range(dt.time(9), dt.time(12)) == "de 9 h à 12 h"
    start = dt.datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    assert format_datetime_range(start, start + dt.timedelta(hours=3, minutes=5)) == (
        "le mardi 1er décembre 2026 de 9 h à 12 h 05"
    )
    assert format_datetime_range(start, start) == "le mardi 1er décembre 2026 à 9 h"


@pytest.mark.parametrize(
    ("ago", "expected"),
    [
        (dt.timedelta(seconds=20), "à l’instant"),
        (dt.timedelta(minutes=1), "il y a 1 minute"),
        (dt.timedelta(minutes=59), "il y a 59 minutes"),
        (dt.timedelta(hours=1), "il y a 1 heure"),
        (dt.timedelta(hours=2, minutes=40), "il y a 2 heures"),
        (dt.timedelta(hours=20), "hier à 20 h"),
        (dt.timedelta(days=3), "le samedi 28 novembre 2026 à 16 h"),
    ],
)
def test_relative_times(ago, expected):
    now = dt.datetime(2026, 12, 1, 15, 0, tzinfo=UTC)  # 16 h in Paris

    assert format_relative(now - ago, now=now) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{ day|fr_date }}", "mardi 1er décembre 2026"),
        ('{{ day|fr_date:"court" }}', "1er décembre 2026"),
        ("{{ moment|fr_datetime }}", "mardi 1er décembre 2026 à 8 h 05"),
        ('{{ moment|fr_datetime:"court" }}', "1er décembre 2026 à 8 h 05"),
        ("{{ moment|fr_time }}", "8 h 05"),
        ("{{ day|fr_month|capfirst }}", "Décembre 2026"),
        ("{{ day|fr_range:end }}", "du 1er au 4 décembre 2026"),
        ("{{ nothing|fr_date }}{{ nothing|fr_datetime }}{{ nothing|fr_time }}{{ nothing|fr_since }}", ""),
    ],
)
def test_template_filters(source, expected):
    context = Context(
        {
            "day": dt.date(2026, 12, 1),
            "end": dt.date(2026, 12, 4),
            "moment": dt.datetime(2026, 12, 1, 7, 5, tzinfo=UTC),
            "nothing": None,
        }
    )

    assert Template("{% load ent_dates %}" + source).render(context) == expected
