"""French dates, Paris wall-clock times and school years."""

from datetime import UTC, date, datetime, time

import pytest

from ent.dates import format_date_range, format_datetime_range
from timeline.dates import (
    NonExistentTime,
    SchoolYear,
    holiday_school_year,
    is_ambiguous,
    local_datetime,
    school_year_of,
)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 10, 12), date(2026, 10, 12), "le lundi 12 octobre 2026"),
        (date(2026, 10, 12), date(2026, 10, 14), "du lundi 12 au mercredi 14 octobre 2026"),
        (date(2026, 9, 30), date(2026, 10, 2), "du mercredi 30 septembre au vendredi 2 octobre 2026"),
        (date(2026, 12, 28), date(2027, 1, 8), "du lundi 28 décembre 2026 au vendredi 8 janvier 2027"),
        (date(2026, 10, 1), date(2026, 10, 1), "le jeudi 1er octobre 2026"),
    ],
)
def test_date_ranges_read_as_in_french(start, end, expected):
    assert format_date_range(start, end) == expected


def test_timed_ranges_are_in_paris_time():
    start = datetime(2026, 10, 1, 7, 0, tzinfo=UTC)  # 9 h in Paris (summer time)
    end = datetime(2026, 10, 1, 10, 30, tzinfo=UTC)

    assert format_datetime_range(start, end) == "le jeudi 1er octobre 2026 de 9 h à 12 h 30"
    assert (
        format_datetime_range(start, datetime(2026, 10, 2, 15, tzinfo=UTC))
        == "du jeudi 1er octobre 2026 à 9 h au vendredi 2 octobre 2026 à 17 h"
    )


def test_a_skipped_local_time_is_refused_in_french():
    with pytest.raises(NonExistentTime) as error:
        local_datetime(date(2026, 3, 29), time(2, 30))

    assert "dimanche 29 mars 2026 à 2 h 30 n’existe pas" in str(error.value)


def test_a_repeated_local_time_means_its_first_occurrence():
    value = local_datetime(date(2026, 10, 25), time(2, 30))

    assert value.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert is_ambiguous(value)
    assert not is_ambiguous(local_datetime(date(2026, 10, 25), time(4, 30)))


def test_school_years():
    year = SchoolYear(2026)

    assert (year.first_day, year.last_day, year.label) == (date(2026, 9, 1), date(2027, 7, 10), "2026-2027")
    assert [p.key for p in year.trimesters()] == ["t1", "t2", "t3"]
    assert [p.key for p in year.months()] == [f"m{m:02d}" for m in (9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7)]
    assert year.period("m07").last_day == date(2027, 7, 10)
    assert year.period("inconnu") == year.whole()
    assert school_year_of(date(2026, 11, 29)) == year
    assert school_year_of(date(2027, 7, 20)) == year
    assert school_year_of(date(2027, 8, 20)) == SchoolYear(2027)
    assert holiday_school_year(date(2027, 7, 3)) == "2026-2027"
    assert holiday_school_year(date(2026, 10, 17)) == "2026-2027"
