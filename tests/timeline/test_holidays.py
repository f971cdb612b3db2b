"""The official school holidays: the shipped file, the loader, and the selector other apps use."""

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from timeline.holidays import CalendarFileError, parse_school_calendar
from timeline.models import SchoolHoliday
from timeline.selectors import school_holidays_between
from timeline.services import school_holidays_load

SHIPPED = Path(__file__).resolve().parents[2] / "timeline" / "data" / "calendrier_scolaire_zone_a.ics"

ZONE_A_2026_2027 = [
    ("Vacances de la Toussaint", date(2026, 10, 17), date(2026, 11, 1)),
    ("Vacances de Noël", date(2026, 12, 19), date(2027, 1, 3)),
    ("Vacances d’hiver", date(2027, 2, 13), date(2027, 2, 28)),
    ("Vacances de printemps", date(2027, 4, 10), date(2027, 4, 25)),
    ("Pont de l’Ascension", date(2027, 5, 5), date(2027, 5, 9)),
    ("Vacances d’été", date(2027, 7, 3), None),
]


@pytest.mark.django_db
def test_the_command_loads_the_shipped_file_once():
    out = StringIO()

    call_command("load_school_holidays", str(SHIPPED), stdout=out)
    first = list(SchoolHoliday.objects.values_list("school_year", "name", "start", "end"))
    call_command("load_school_holidays", str(SHIPPED), stdout=out)

    assert len(first) == 12
    assert list(SchoolHoliday.objects.values_list("school_year", "name", "start", "end")) == first
    assert [(n, s, e) for y, n, s, e in first if y == "2026-2027"] == ZONE_A_2026_2027
    assert ("2025-2026", "Vacances d’été", date(2026, 7, 4), date(2026, 8, 31)) in first
    assert "12 ajoutée(s)" in out.getvalue() and "12 inchangée(s)" in out.getvalue()
    assert set(SchoolHoliday.objects.values_list("source", flat=True)) == {"calendrier_scolaire_zone_a.ics"}


@pytest.mark.django_db
def test_the_command_without_argument_loads_the_shipped_file():
    call_command("load_school_holidays", stdout=StringIO())

    assert SchoolHoliday.objects.filter(zone="A").count() == 12


@pytest.mark.django_db
def test_the_command_refuses_a_missing_or_unreadable_file(tmp_path):
    with pytest.raises(CommandError, match="introuvable"):
        call_command("load_school_holidays", str(tmp_path / "absent.ics"))
    broken = tmp_path / "cassé.ics"
    broken.write_text("ceci n’est pas un calendrier")
    with pytest.raises(CommandError, match="iCalendar"):
        call_command("load_school_holidays", str(broken))
    assert not SchoolHoliday.objects.exists()


NATIONAL_FILE = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:test
BEGIN:VEVENT
UID:1
DTSTART;VALUE=DATE:20270213
DTEND;VALUE=DATE:20270220
SUMMARY:Vacances d'Hiver - Zone A
END:VEVENT
BEGIN:VEVENT
UID:2
DTSTART;VALUE=DATE:20270220
DTEND;VALUE=DATE:20270301
SUMMARY:Vacances d'Hiver - Zones A/B
END:VEVENT
BEGIN:VEVENT
UID:3
DTSTART;VALUE=DATE:20270227
DTEND;VALUE=DATE:20270315
SUMMARY:Vacances d'Hiver - Zone C
END:VEVENT
BEGIN:VEVENT
UID:4
DTSTART;VALUE=DATE:20270703
DTEND;VALUE=DATE:20270901
SUMMARY:Vacances d'Été - Zones A/B/C
END:VEVENT
BEGIN:VEVENT
UID:5
DTSTART;VALUE=DATE:20260901
SUMMARY:Rentrée scolaire des élèves - Zones A/B/C
END:VEVENT
END:VCALENDAR
"""


def test_pieces_shared_by_several_zones_make_one_holiday():
    periods = parse_school_calendar(NATIONAL_FILE, zone="A")

    assert [(p.name, p.start, p.end) for p in periods] == [
        ("Vacances d’hiver", date(2027, 2, 13), date(2027, 2, 28)),
        ("Vacances d’été", date(2027, 7, 3), date(2027, 8, 31)),
    ]
    assert [(p.name, p.start) for p in parse_school_calendar(NATIONAL_FILE, zone="C")][0] == (
        "Vacances d’hiver",
        date(2027, 2, 27),
    )


@pytest.mark.django_db
def test_a_later_file_completes_an_open_ended_summer_and_never_erases_a_known_end():
    school_holidays_load(content=SHIPPED.read_bytes(), zone="A")
    summer = SchoolHoliday.objects.get(school_year="2026-2027", name="Vacances d’été")
    assert summer.end is None

    result = school_holidays_load(content=NATIONAL_FILE, zone="A")
    summer.refresh_from_db()
    assert summer.end == date(2027, 8, 31)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)  # winter: the same dates

    school_holidays_load(content=SHIPPED.read_bytes(), zone="A")  # the older file: start only
    summer.refresh_from_db()
    assert summer.end == date(2027, 8, 31)


def test_an_unreadable_file_raises_a_french_error():
    with pytest.raises(CalendarFileError, match="iCalendar"):
        parse_school_calendar(b"BEGIN:VCALENDAR\nnot a line\n")


@pytest.mark.django_db
def test_school_holidays_between_for_other_apps(settings):
    school_holidays_load(content=SHIPPED.read_bytes(), zone="A")

    december = school_holidays_between(date(2026, 12, 14), date(2026, 12, 20))
    summer = school_holidays_between(date(2027, 6, 28), date(2027, 7, 11))

    assert [(h.name, h.start, h.end, h.end_known) for h in december] == [
        ("Vacances de Noël", date(2026, 12, 19), date(2027, 1, 3), True)
    ]
    assert [(h.name, h.start, h.end, h.end_known) for h in summer] == [
        ("Vacances d’été", date(2027, 7, 3), date(2027, 7, 11), False)
    ]
    assert school_holidays_between(date(2026, 11, 2), date(2026, 11, 20)) == []
    assert [h.name for h in school_holidays_between(date(2025, 9, 1), date(2026, 7, 10))][:2] == [
        "Vacances de la Toussaint",
        "Vacances de Noël",
    ]
    settings.TIMELINE_HOLIDAY_ZONE = "B"
    assert school_holidays_between(date(2026, 12, 14), date(2026, 12, 20)) == []
