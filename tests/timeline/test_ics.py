"""iCalendar output: the private subscription feed and single-event downloads."""

from datetime import UTC, date, datetime, time, timedelta

import icalendar
import pytest
import time_machine
from django.urls import reverse

from accounts.audiences import AudienceKind
from accounts.services import private_key_renew
from tests.factories import SchoolFactory
from timeline.models import CalendarToken, Event
from timeline.services import calendar_subscription_update

from .factories import EventFactory, SchoolHolidayFactory, school_event, timed_event


def _parse(response):
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content
    lines = body.split(b"\r\n")
    assert lines[-1] == b"" and all(len(line) <= 75 for line in lines), "RFC 5545: CRLF, lines of 75 octets at most"
    return icalendar.Calendar.from_ical(body)


def _events_by_uid(calendar):
    return {str(vevent["UID"]): vevent for vevent in calendar.walk("VEVENT")}


@pytest.fixture
def shown_events(school):
    return [
        EventFactory(title="Réunion de directeurs", audience=AudienceKind.DIRECTORS, start_date=date(2026, 12, 9)),
        EventFactory(
            title="Exposition maths et mesure",
            start_date=date(2026, 12, 14),
            end_date=date(2026, 12, 18),
            category="projet",
        ),
        timed_event(date(2026, 12, 2), time(9), time(12), title="Animation pédagogique", category="animation"),
        school_event(school, title="Conseil d’école", start_date=date(2026, 12, 8)),
    ]


def test_the_feed_has_exactly_what_the_person_may_see(client, director, school, shown_events, settings):
    settings.ENT_SITE_URL = "https://ent.circonscription.test"
    EventFactory(title="Équipe seulement", audience=AudienceKind.DISTRICT_TEAM)
    school_event(SchoolFactory(name="Autre école"), title="Autre école")
    token = private_key_renew(model=CalendarToken, user=director)

    response = client.get(reverse("timeline:feed", args=[token.key]))  # no session: the token is the credential

    calendar = _parse(response)
    vevents = _events_by_uid(calendar)
    assert set(vevents) == {f"event-{e.pk}@ent.circonscription.test" for e in shown_events}
    assert calendar["X-WR-TIMEZONE"] == "Europe/Paris"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    for event in shown_events:
        vevent = vevents[f"event-{event.pk}@ent.circonscription.test"]
        assert str(vevent["SUMMARY"]) == event.title
        assert "DTSTAMP" in vevent and int(vevent["SEQUENCE"]) == 0
        assert str(vevent["URL"]) == f"https://ent.circonscription.test/frise/evenements/{event.pk}/"
        if event.all_day:
            assert vevent["DTSTART"].params.get("VALUE") == "DATE"
            assert vevent.decoded("DTSTART") == event.start_date
            assert vevent.decoded("DTEND") == event.end_date + timedelta(days=1)  # exclusive
        else:
            assert vevent["DTSTART"].params["TZID"] == "Europe/Paris"
            assert vevent.decoded("DTSTART") == event.starts_at
            assert vevent.decoded("DTEND") == event.ends_at
    assert b"DTSTART;TZID=Europe/Paris:20261202T090000" in response.content


def test_an_edited_event_keeps_its_uid_and_gets_a_new_sequence(client, director, counsellor, shown_events, client_as):
    token = private_key_renew(model=CalendarToken, user=director)
    event = shown_events[0]
    before = _events_by_uid(_parse(client.get(reverse("timeline:feed", args=[token.key]))))
    client_as(counsellor).post(
        reverse("timeline:event-update", args=[event.pk]),
        {
            "title": "Réunion de directeurs (salle changée)",
            "category": "reunion",
            "all_day": "on",
            "start_date": "2026-12-09",
            "audience": AudienceKind.DIRECTORS,
        },
    )
    client.logout()

    after = _events_by_uid(_parse(client.get(reverse("timeline:feed", args=[token.key]))))

    assert set(after) == set(before)
    uid = next(uid for uid in after if uid.startswith(f"event-{event.pk}@"))
    assert (str(after[uid]["SUMMARY"]), int(after[uid]["SEQUENCE"])) == ("Réunion de directeurs (salle changée)", 1)


def test_regenerating_the_link_revokes_the_old_one(client, director, client_as):
    client_as(director).post(reverse("timeline:subscription"))
    old = CalendarToken.objects.get(user=director).key
    client.post(reverse("timeline:subscription"))
    new = CalendarToken.objects.get(user=director).key
    client.logout()

    assert old != new
    assert client.get(reverse("timeline:feed", args=[old])).status_code == 404
    assert client.get(reverse("timeline:feed", args=[new])).status_code == 200


def test_the_subscription_page_shows_the_private_address(director, client_as):
    client = client_as(director)
    assert "Obtenir mon adresse" in client.get(reverse("timeline:subscription")).content.decode()

    client.post(reverse("timeline:subscription"))
    page = client.get(reverse("timeline:subscription")).content.decode()

    token = CalendarToken.objects.get(user=director).key
    assert f"http://testserver/frise/agenda/{token}.ics" in page
    assert f"webcal://testserver/frise/agenda/{token}.ics" in page
    assert "Régénérer le lien" in page


def test_unknown_token_or_deactivated_person_gets_nothing(client, director):
    token = private_key_renew(model=CalendarToken, user=director)

    assert client.get(reverse("timeline:feed", args=["inconnu"])).status_code == 404
    director.is_active = False
    director.save()
    assert client.get(reverse("timeline:feed", args=[token.key])).status_code == 404


def test_feed_cost_does_not_grow(client, director, school, assert_flat_queries):
    token = private_key_renew(model=CalendarToken, user=director)

    def make_rows(count):
        EventFactory.create_batch(count - count // 5)
        for _ in range(count // 5):
            school_event(school)

    assert_flat_queries(
        client,
        reverse("timeline:feed", args=[token.key]),
        make_rows,
        rows=5,
        queries=2,
        shown=lambda response: len(_parse(response).walk("VEVENT")),
        expect=[5, 50],
    )


def test_one_event_downloads_as_ics(director, teacher, client_as, shown_events):
    event = shown_events[1]

    response = client_as(director).get(reverse("timeline:event-ics", args=[event.pk]))

    assert response["Content-Disposition"] == 'attachment; filename="exposition-maths-et-mesure.ics"'
    vevents = _parse(response).walk("VEVENT")
    assert [str(v["SUMMARY"]) for v in vevents] == ["Exposition maths et mesure"]
    directors_only = shown_events[0]
    assert client_as(teacher).get(reverse("timeline:event-ics", args=[directors_only.pk])).status_code == 404


# --- Daylight saving time ---------------------------------------------------------------------
def _timed_post(day: str, start: str, end: str):
    return {
        "title": "Visio de nuit",
        "category": "autre",
        "start_date": day,
        "start_time": start,
        "end_time": end,
        "audience": AudienceKind.DISTRICT,
    }


def test_a_time_skipped_by_summer_time_is_refused_and_nothing_is_lost(counsellor, client_as):
    response = client_as(counsellor).post(reverse("timeline:event-create"), _timed_post("2026-03-29", "02:30", "04:00"))

    assert response.status_code == 200
    assert response.context["form"].errors["start_time"] == [
        "Le dimanche 29 mars 2026 à 2 h 30 n’existe pas à l’heure de Paris : ce jour-là, les horloges passent "
        "directement de 2 h à 3 h (passage à l’heure d’été). Choisissez une autre heure."
    ]
    assert 'value="Visio de nuit"' in response.content.decode()
    assert not Event.objects.exists()


def test_a_repeated_time_is_its_first_occurrence_and_the_ics_carries_that_instant(counsellor, client_as, client):
    response = client_as(counsellor).post(reverse("timeline:event-create"), _timed_post("2026-10-25", "02:30", "03:30"))

    event = Event.objects.get()
    assert response.status_code == 302
    assert event.starts_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 summer time (UTC+2)
    assert event.ends_at == datetime(2026, 10, 25, 2, 30, tzinfo=UTC)  # 03:30 winter time (UTC+1)
    vevent = _parse(client.get(reverse("timeline:event-ics", args=[event.pk]))).walk("VEVENT")[0]
    assert vevent.decoded("DTSTART").astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert vevent.decoded("DTEND").astimezone(UTC) == datetime(2026, 10, 25, 2, 30, tzinfo=UTC)


def test_the_second_pass_of_the_repeated_hour_is_written_in_utc(director, client_as):
    second = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 02:30 winter time: a TZID local time cannot say it
    event = EventFactory(
        all_day=False, starts_at=second, ends_at=second + timedelta(hours=1), start_date=date(2026, 10, 25)
    )

    response = client_as(director).get(reverse("timeline:event-ics", args=[event.pk]))

    assert b"DTSTART:20261025T013000Z" in response.content
    vevent = _parse(response).walk("VEVENT")[0]
    assert vevent.decoded("DTSTART") == second
    assert vevent.decoded("DTEND") == second + timedelta(hours=1)


# --- School holidays in the feed (the person's choice, kept with their address) -----------------
HOLIDAY_DAY = "2026-12-01 10:00 +0100"


@pytest.fixture
def holidays(db):
    return {
        "noel": SchoolHolidayFactory(),  # 19 December 2026 to 3 January 2027
        "toussaint": SchoolHolidayFactory(
            name="Vacances de la Toussaint", start=date(2026, 10, 17), end=date(2026, 11, 1)
        ),
        "ete": SchoolHolidayFactory(name="Vacances d’Été", start=date(2027, 7, 3), end=None),
        "long_ago": SchoolHolidayFactory(
            school_year="2024-2025", name="Vacances de Noël", start=date(2024, 12, 21), end=date(2025, 1, 5)
        ),
        "zone_b": SchoolHolidayFactory(zone="B", start=date(2026, 12, 19)),
    }


def _holiday_uids(calendar):
    return {uid: vevent for uid, vevent in _events_by_uid(calendar).items() if uid.startswith("holiday-")}


@time_machine.travel(HOLIDAY_DAY, tick=False)
def test_the_feed_has_no_holidays_unless_asked(client, director, shown_events, holidays):
    token = private_key_renew(model=CalendarToken, user=director)

    calendar = _parse(client.get(reverse("timeline:feed", args=[token.key])))

    assert token.include_holidays is False
    assert _holiday_uids(calendar) == {}
    assert len(calendar.walk("VEVENT")) == len(shown_events)


@time_machine.travel(HOLIDAY_DAY, tick=False)
def test_asked_for_the_feed_has_the_zones_holidays_as_all_day_events(
    client, director, shown_events, holidays, settings
):
    settings.ENT_SITE_URL = "https://ent.circonscription.test"
    token = calendar_subscription_update(actor=director, include_holidays=True)

    calendar = _parse(client.get(reverse("timeline:feed", args=[token.key])))

    vevents = _holiday_uids(calendar)
    assert set(vevents) == {
        "holiday-2026-2027-vacances-de-noel-a@ent.circonscription.test",
        "holiday-2026-2027-vacances-de-la-toussaint-a@ent.circonscription.test",
        "holiday-2026-2027-vacances-dete-a@ent.circonscription.test",
    }
    noel = vevents["holiday-2026-2027-vacances-de-noel-a@ent.circonscription.test"]
    assert str(noel["SUMMARY"]) == "Vacances de Noël"
    assert noel["DTSTART"].params.get("VALUE") == "DATE"
    assert (noel.decoded("DTSTART"), noel.decoded("DTEND")) == (date(2026, 12, 19), date(2027, 1, 4))  # exclusive
    assert str(noel["TRANSP"]) == "TRANSPARENT"
    assert [str(c) for c in noel["CATEGORIES"].cats] == ["Vacances scolaires"]
    ete = vevents["holiday-2026-2027-vacances-dete-a@ent.circonscription.test"]
    assert (ete.decoded("DTSTART"), ete.decoded("DTEND")) == (date(2027, 7, 3), date(2027, 7, 4))
    assert "pas encore publiée" in str(ete["DESCRIPTION"])
    # The events are still all there.
    assert len(calendar.walk("VEVENT")) == len(shown_events) + 3


def test_renewing_the_address_keeps_the_choice_and_the_choice_keeps_the_address(director):
    first = calendar_subscription_update(actor=director, include_holidays=True)
    renewed = private_key_renew(model=CalendarToken, user=director)
    assert renewed.key != first.key
    assert CalendarToken.objects.get(user=director).include_holidays is True

    changed = calendar_subscription_update(actor=director, include_holidays=False)

    assert (changed.key, changed.include_holidays) == (renewed.key, False)
    assert CalendarToken.objects.filter(user=director).count() == 1


CHECKBOX = (
    '<input type="checkbox" name="include_holidays" aria-describedby="id_include_holidays_helptext" '
    'id="id_include_holidays"'
)


@time_machine.travel(HOLIDAY_DAY, tick=False)
def test_the_choice_is_made_on_the_subscription_page(director, client_as, holidays):
    client = client_as(director)
    client.post(reverse("timeline:subscription"))
    assert 'name="include_holidays"' in client.get(reverse("timeline:subscription")).content.decode()

    response = client.post(reverse("timeline:subscription-choices"), {"include_holidays": "on"}, follow=True)

    assert response.redirect_chain == [(reverse("timeline:subscription"), 302)]
    assert "Les vacances scolaires figureront dans votre agenda à sa prochaine mise à jour." in response.text
    assert CHECKBOX + " checked>" in response.text
    assert CalendarToken.objects.get(user=director).include_holidays is True

    response = client.post(reverse("timeline:subscription-choices"), {}, follow=True)
    assert "Les vacances scolaires ne figureront plus dans votre agenda à sa prochaine mise à jour." in response.text
    assert CHECKBOX + ">" in response.text
    assert CalendarToken.objects.get(user=director).include_holidays is False


def test_the_choice_needs_a_signed_in_post(client, director):
    token = private_key_renew(model=CalendarToken, user=director)

    response = client.post(reverse("timeline:subscription-choices"), {"include_holidays": "on"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert CalendarToken.objects.get(pk=token.pk).include_holidays is False
    client.force_login(director)
    assert client.get(reverse("timeline:subscription-choices")).status_code == 405


@time_machine.travel(HOLIDAY_DAY, tick=False)
def test_feed_with_holidays_costs_one_query_more_whatever_the_events(client, director, school, assert_flat_queries):
    SchoolHolidayFactory()
    token = calendar_subscription_update(actor=director, include_holidays=True)

    def make_rows(count):
        EventFactory.create_batch(count, start_date=date(2026, 12, 9))

    assert_flat_queries(
        client,
        reverse("timeline:feed", args=[token.key]),
        make_rows,
        rows=5,
        queries=3,  # the key with its person, the events, the holidays (the memberships are cached)
        shown=lambda response: len(_parse(response).walk("VEVENT")),
        expect=[6, 51],
    )


# --- « Copier l’adresse » -------------------------------------------------------------------------
def test_the_copy_button_and_its_script_are_served(director, client_as, client):
    page_client = client_as(director)
    page_client.post(reverse("timeline:subscription"))
    page = page_client.get(reverse("timeline:subscription")).content.decode()

    assert (
        'data-ent-copy="adresse-abonnement" data-ent-copy-status="adresse-abonnement-copie">Copier l’adresse</button>'
        in page
    )
    assert '<p class="fr-text--sm" id="adresse-abonnement-copie" role="status" aria-live="polite"></p>' in page
    assert '<script type="module" src="/static/ent/copy.js"></script>' in page
    assert "<script>" not in page  # nothing inline (strict CSP)
    script = client.get("/static/ent/copy.js")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("text/javascript")
    body = b"".join(script.streaming_content) if script.streaming else script.content
    assert b"navigator.clipboard.writeText" in body
    assert "L’adresse est copiée : collez-la dans votre agenda.".encode() in body
