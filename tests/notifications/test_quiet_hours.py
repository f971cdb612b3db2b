import datetime as dt

import pytest

from notifications.quiet_hours import PARIS, is_allowed, next_allowed


def paris(*args):
    return dt.datetime(*args, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (paris(2026, 3, 12, 10, 0), paris(2026, 3, 12, 10, 0)),  # Thursday morning: now
        (paris(2026, 3, 12, 19, 59), paris(2026, 3, 12, 19, 59)),
        (paris(2026, 3, 12, 20, 0), paris(2026, 3, 13, 7, 0)),  # Thursday 20:00 → Friday 07:00
        (paris(2026, 3, 12, 21, 0), paris(2026, 3, 13, 7, 0)),
        (paris(2026, 3, 13, 6, 59), paris(2026, 3, 13, 7, 0)),  # Friday before dawn → same day 07:00
        (paris(2026, 3, 13, 21, 0), paris(2026, 3, 16, 7, 0)),  # Friday 21:00 → Monday 07:00
        (paris(2026, 3, 14, 11, 0), paris(2026, 3, 16, 7, 0)),  # Saturday → Monday
        (paris(2026, 3, 15, 23, 30), paris(2026, 3, 16, 7, 0)),  # Sunday night → Monday
        (paris(2026, 3, 27, 22, 0), paris(2026, 3, 30, 7, 0)),  # across the change to summer time
    ],
)
def test_next_allowed(moment, expected):
    assert next_allowed(moment) == expected
    assert is_allowed(next_allowed(moment))


def test_next_allowed_works_from_utc_and_can_be_turned_off():
    utc_friday_night = dt.datetime(2026, 3, 13, 20, 30, tzinfo=dt.UTC)  # 21:30 in Paris
    assert next_allowed(utc_friday_night) == paris(2026, 3, 16, 7, 0)
    assert next_allowed(utc_friday_night, quiet_hours=False) == utc_friday_night
