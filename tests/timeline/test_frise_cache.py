"""The frise opens on the current trimester, and its drawing is cached (timeline.frise_cache)."""

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.audiences import AudienceKind
from accounts.models import Role
from tests.admin_forms import admin_form_data
from tests.conftest import signed_in_client
from tests.factories import SchoolFactory, make_member
from timeline import services
from timeline.categories import Category
from timeline.dates import SchoolYear
from timeline.frise_cache import FRISE_VERSION_KEY, frise_changed, frise_version
from timeline.models import Event
from timeline.presenters import LIST_PAGE_SIZE
from timeline.selectors import events_audience_key
from timeline.services import EventData

from .factories import EventFactory, SchoolHolidayFactory, school_event

FEBRUARY = "2027-02-10 10:00 +01:00"
FRISE = "/frise/"


def _drawing(page: str) -> str:
    """The cached part of the page: from the period's title to the end of the list."""
    return page[page.index('<h2 id="frise-titre"') : page.index("</section>") + len("</section>")]


def _without_tokens(page: str) -> str:
    """The page without what changes at each request (the CSRF tokens: htmx's headers, the header's forms)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", re.sub(r'"X-CSRFToken": "[^"]+"', "", page))


def _marks(page: str) -> int:
    return page.count('class="tl-mark"')


def _listed(page: str) -> int:
    """The lines of the list (events and holidays) on this page of it."""
    return _drawing(page)[_drawing(page).index('id="frise-liste"') :].count('<li class="tl-')


def _event_data(**fields) -> EventData:
    values = {
        "title": "Réunion de février",
        "category": Category.DIRECTORS_MEETING,
        "all_day": True,
        "start_date": date(2027, 2, 17),
        "end_date": date(2027, 2, 17),
        "audience": AudienceKind.DIRECTORS,
    }
    return EventData(**{**values, **fields})


# --- The period the frise opens on ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "key"),
    [
        (date(2026, 9, 1), "t1"),
        (date(2026, 12, 31), "t1"),
        (date(2027, 1, 1), "t2"),
        (date(2027, 3, 31), "t2"),
        (date(2027, 4, 1), "t3"),
        (date(2027, 7, 10), "t3"),
        (date(2027, 7, 11), "annee"),  # the summer: the year is over
        (date(2026, 8, 20), "annee"),  # not started yet
        (date(2025, 11, 5), "annee"),  # another school year
    ],
)
def test_the_opening_period_is_the_trimester_containing_today(today, key):
    assert SchoolYear(2026).opening_period(today).key == key


@time_machine.travel(FEBRUARY, tick=False)
def test_the_frise_opens_on_the_current_trimester_with_the_whole_year_one_click_away(director, client_as):
    EventFactory(title="Réunion de février", audience=AudienceKind.DIRECTORS, start_date=date(2027, 2, 3))
    EventFactory(title="Réunion d’octobre", audience=AudienceKind.DIRECTORS, start_date=date(2026, 10, 7))
    client = client_as(director)

    page = client.get(FRISE).content.decode()

    assert '<h2 id="frise-titre" class="fr-h4 fr-mb-1w">2e trimestre 2026-2027 (janvier à mars)</h2>' in page
    assert '<option value="t2" selected>' in page
    assert "Réunion de février" in page and "Réunion d’octobre" not in page
    assert "Aujourd’hui" in page
    link = re.search(r'<a class="fr-link fr-icon-calendar-line fr-link--icon-left" href="([^"]+)">([^<]+)</a>', page)
    assert link and link.group(2) == "Toute l’année scolaire 2026-2027"
    assert link.group(1) == "?annee=2026&amp;periode=annee"
    assert link.start() > page.index('<div id="frise">')  # inside what htmx swaps: it follows the period shown

    year = client.get(FRISE + link.group(1).replace("&amp;", "&")).content.decode()
    swapped = client.get(FRISE, {"annee": "2026", "periode": "annee"}, headers={"HX-Request": "true"})

    assert "Réunion de février" in year and "Réunion d’octobre" in year
    assert '<h2 id="frise-titre" class="fr-h4 fr-mb-1w">Année scolaire 2026-2027</h2>' in year
    assert "Toute l’année scolaire 2026-2027</a>" not in year  # already shown
    assert swapped.content.decode().lstrip().startswith('<div id="frise">')
    assert "Année scolaire 2026-2027 : 2 événements." in swapped.content.decode()


@time_machine.travel(FEBRUARY, tick=False)
def test_another_school_year_opens_on_the_whole_year_and_links_keep_their_period(director, client_as):
    EventFactory(title="L’an dernier", audience=AudienceKind.DIRECTORS, start_date=date(2025, 10, 8))
    client = client_as(director)

    last_year = client.get(FRISE, {"annee": "2025"}).content.decode()
    current = client.get(FRISE).content.decode()

    assert '<h2 id="frise-titre" class="fr-h4 fr-mb-1w">Année scolaire 2025-2026</h2>' in last_year
    assert "L’an dernier" in last_year
    # The whole year is written in the links: without a period, the current year opens on a trimester.
    assert 'href="?annee=2026&amp;periode=annee" rel="next"' in last_year
    assert 'href="?annee=2025&amp;periode=t2" rel="prev"' in current


@time_machine.travel(FEBRUARY, tick=False)
def test_the_home_panel_and_the_ics_feed_do_not_change(director, client_as):
    EventFactory(title="Réunion de février", audience=AudienceKind.DIRECTORS, start_date=date(2027, 2, 17))
    EventFactory(title="Réunion d’octobre", audience=AudienceKind.DIRECTORS, start_date=date(2026, 10, 7))
    client = client_as(director)

    home = client.get(reverse("accounts:home")).content.decode()
    token = client.post(reverse("timeline:subscription"))
    feed = client.get(director.calendar_token.get_absolute_url()).content.decode()

    assert "Réunion de février" in home and "?periode=annee" in home  # « Voir la frise de l’année »
    assert token.status_code == 302
    assert "Réunion de février" in feed and "Réunion d’octobre" in feed


# --- The cache --------------------------------------------------------------------------------------


@time_machine.travel(FEBRUARY, tick=False)
def test_a_second_request_reads_the_drawing_from_the_cache(director, school, client_as):
    SchoolHolidayFactory(name="Vacances de février", start=date(2027, 2, 6), end=date(2027, 2, 21))
    for day in range(1, 20):
        EventFactory(audience=AudienceKind.DIRECTORS, start_date=date(2027, 1, day))
    school_event(school, title="Conseil d’école", start_date=date(2027, 3, 2))
    client = client_as(director)

    with CaptureQueriesContext(connection) as first:
        one = client.get(FRISE).content.decode()
    uncached = len(first)  # counted now: the next request empties the log
    with CaptureQueriesContext(connection) as second:
        two = client.get(FRISE).content.decode()
    cached = len(second)
    partial = client.get(FRISE, headers={"HX-Request": "true"}).content.decode()

    assert cached <= uncached - 1  # the events are not read (the holidays are in memory anyway)
    assert _without_tokens(one) == _without_tokens(two)
    # 19 events on 19 days in a row, each with its label: the row draws what its lanes hold, the list all.
    assert _marks(two) == 13 and "7 autres dans la liste" in two and "Conseil d’école" in two
    assert _listed(two) == 21 and "Vacances de février" in two  # 20 events and the holidays
    assert _drawing(partial) == _drawing(one)
    assert "csrf" not in _drawing(one).lower()  # nothing of the request is kept
    assert 'hx-swap-oob="true"' in partial and "(janvier à mars) : 20 événements." in partial


@time_machine.travel(FEBRUARY, tick=False)
def test_events_created_changed_and_deleted_through_the_services_show_at_once(counsellor, director, client_as):
    client = client_as(director)
    assert _marks(client.get(FRISE).content.decode()) == 0
    version = frise_version()

    event = services.event_create(actor=counsellor, data=_event_data())
    created = client.get(FRISE).content.decode()
    services.event_update(actor=counsellor, event=event, data=_event_data(title="Réunion déplacée"))
    changed = client.get(FRISE).content.decode()
    services.event_delete(actor=counsellor, event=Event.objects.get())
    deleted = client.get(FRISE).content.decode()

    assert frise_version() != version
    assert "Réunion de février" in created and _marks(created) == 1
    assert "Réunion déplacée" in changed and "Réunion de février" not in changed
    assert _marks(deleted) == 0 and "Réunion déplacée" not in deleted


@time_machine.travel(FEBRUARY, tick=False)
def test_an_event_changed_in_the_admin_shows_at_once(admin_user, director, client_as):
    event = EventFactory(title="Réunion de février", audience=AudienceKind.DIRECTORS, start_date=date(2027, 2, 17))
    reader = signed_in_client(director)
    assert "Réunion de février" in reader.get(FRISE).content.decode()
    admin = client_as(admin_user)
    url = reverse("admin:timeline_event_change", args=[event.pk])

    response = admin.post(url, admin_form_data(admin.get(url), title="Réunion avancée"))

    assert response.status_code == 302
    assert "Réunion avancée" in reader.get(FRISE).content.decode()


@time_machine.travel(FEBRUARY, tick=False)
def test_holidays_loaded_or_corrected_by_hand_show_at_once(admin_user, director, client_as):
    holiday = SchoolHolidayFactory(name="Vacances de février", start=date(2027, 2, 6), end=date(2027, 2, 21))
    reader = signed_in_client(director)
    assert "Vacances de février : du samedi 6 au dimanche 21 février 2027" in reader.get(FRISE).text
    admin = client_as(admin_user)
    url = reverse("admin:timeline_schoolholiday_change", args=[holiday.pk])

    response = admin.post(url, admin_form_data(admin.get(url), end="22/02/2027"))
    corrected = reader.get(FRISE).text
    services.school_holidays_load(content=Path("timeline/data/calendrier_scolaire_zone_a.ics").read_bytes())
    loaded = reader.get(FRISE, {"periode": "annee"}).text
    admin.post(reverse("admin:timeline_schoolholiday_delete", args=[holiday.pk]), {"post": "yes"})
    removed = reader.get(FRISE).text

    assert response.status_code == 302
    assert "Vacances de février : du samedi 6 au lundi 22 février 2027" in corrected
    assert "Vacances de la Toussaint" in loaded
    assert "Vacances de février : du samedi 6" not in removed


@time_machine.travel(FEBRUARY, tick=False)
def test_the_version_is_bumped_again_when_the_write_commits(counsellor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.event_create(actor=counsellor, data=_event_data())
        bumped_now = frise_version()

    assert callbacks  # among them, the second bump
    assert frise_version() != bumped_now


@time_machine.travel(FEBRUARY, tick=False)
def test_a_lost_version_key_does_not_meet_old_drawings_again(director, client_as):
    EventFactory(title="Réunion de février", audience=AudienceKind.DIRECTORS, start_date=date(2027, 2, 17))
    client = client_as(director)
    client.get(FRISE)
    old = frise_version()

    cache.delete(FRISE_VERSION_KEY)  # evicted, say

    assert frise_version() != old


@time_machine.travel(FEBRUARY, tick=False)
def test_directors_of_two_schools_never_see_each_other_s_school_events(db):
    first_school, second_school = SchoolFactory(name="École des Tilleuls"), SchoolFactory(name="École des Chênes")
    first = make_member(Role.DIRECTOR, first_school)
    second = make_member(Role.DIRECTOR, second_school)
    school_event(first_school, title="Conseil d’école des Tilleuls", start_date=date(2027, 2, 16))
    school_event(second_school, title="Conseil d’école des Chênes", start_date=date(2027, 2, 16))
    EventFactory(title="Réunion de directeurs", audience=AudienceKind.DIRECTORS, start_date=date(2027, 2, 17))
    first_client, second_client = signed_in_client(first), signed_in_client(second)

    pages = [client.get(FRISE).text for client in (first_client, second_client, first_client, second_client)]

    assert events_audience_key(first) != events_audience_key(second)
    for page in (pages[0], pages[2]):
        assert "Conseil d’école des Tilleuls" in page and "Conseil d’école des Chênes" not in page
    for page in (pages[1], pages[3]):
        assert "Conseil d’école des Chênes" in page and "Conseil d’école des Tilleuls" not in page
    assert all("Réunion de directeurs" in page for page in pages)
    assert _without_tokens(pages[0]) == _without_tokens(pages[2])
    assert _without_tokens(pages[1]) == _without_tokens(pages[3])


def test_the_audience_key_follows_what_the_events_are_filtered_on(school, director, teacher, counsellor, inspector):
    other_director = make_member(Role.DIRECTOR, school)
    other_school_director = make_member(Role.DIRECTOR, SchoolFactory())

    assert events_audience_key(director) == events_audience_key(other_director)  # same school, same role
    assert events_audience_key(director) != events_audience_key(teacher)  # same school, another role
    assert events_audience_key(director) != events_audience_key(other_school_director)
    assert events_audience_key(counsellor) == events_audience_key(inspector) == "all"
    assert len(events_audience_key(director)) <= 24


@time_machine.travel(FEBRUARY, tick=False)
def test_a_new_membership_changes_the_audience_at_once(director, client_as):
    elsewhere = SchoolFactory(name="École des Chênes")
    school_event(elsewhere, title="Conseil d’école des Chênes", start_date=date(2027, 2, 16))
    client = client_as(director)
    assert "Conseil d’école des Chênes" not in client.get(FRISE).text

    director.memberships.create(structure=elsewhere, role=Role.TEACHER, start_date=date(2026, 9, 1))

    assert "Conseil d’école des Chênes" in client.get(FRISE).text


@time_machine.travel(FEBRUARY, tick=False)
def test_the_cached_frise_costs_the_same_for_50_and_500_events(director, school, client_as, assert_flat_queries):
    SchoolHolidayFactory(name="Vacances de février", start=date(2027, 2, 6), end=date(2027, 2, 21))
    client = client_as(director)

    def make_rows(count):
        for i in range(count):
            EventFactory(
                start_date=date(2027, 1, 1) + timedelta(days=i % 89),
                end_date=date(2027, 1, 1) + timedelta(days=i % 89 + i % 3),
                category=list(Category.values)[i % len(Category.values)],
                **({"school": school, "audience": AudienceKind.STRUCTURES} if i % 5 == 0 else {}),
            )
        frise_changed()  # factories bypass the services
        client.get(FRISE)  # the drawing rendered and cached: the measured request reads it

    assert_flat_queries(
        client,
        FRISE,
        make_rows,
        rows=50,
        queries=1,  # the person (memberships and header counts cached): no event, no holiday
        # All counted, what is drawn and listed bounded (presenters.MAX_LANES, LIST_PAGE_SIZE).
        shown=lambda response: re.search(r"(\d+) événements\.", response.content.decode())[1],
        expect=["50", "500"],
    )
    page = client.get(FRISE).content.decode()
    assert _marks(page) < 300 and _listed(page) == LIST_PAGE_SIZE


# --- A busy period: what is drawn and listed is bounded ------------------------------------------------


def _busy_trimester(count=120):
    """``count`` meetings, one every 18 hours or so, from 1 January to 31 March 2027."""
    for n in range(count):
        EventFactory(
            title=f"Réunion {n + 1:03d}",
            audience=AudienceKind.DIRECTORS,
            start_date=date(2027, 1, 1) + timedelta(days=n * 89 // count),
        )
    frise_changed()


@time_machine.travel(FEBRUARY, tick=False)
def test_a_busy_trimester_opens_its_list_on_the_page_of_today(director, client_as):
    _busy_trimester()
    client = client_as(director)

    page = client.get(FRISE).content.decode()
    # 120 lines, 50 a page: on 10 February the first meeting still to come is the 55th (9 February + 1).
    first_to_come = next(n for n in range(120) if date(2027, 1, 1) + timedelta(days=n * 89 // 120) >= date(2027, 2, 10))
    assert first_to_come // LIST_PAGE_SIZE + 1 == 2
    assert "Lignes 51 à 100 sur 120, page 2 sur 3." in page and f"Réunion {first_to_come + 1:03d}" in _drawing(page)
    assert "Réunion 001" not in _drawing(page).split('id="frise-liste"')[1]
    assert 'href="?annee=2026&amp;periode=t2&amp;page=3"' in page  # the pages keep the period
    assert "120 événements." in page and "autres dans la liste" in page
    assert "Réunion 001" in client.get(FRISE, {"page": 1}).content.decode().split('id="frise-liste"')[1]
    last = client.get(FRISE, {"page": 99}).content.decode()  # out of range: the last page
    assert "Lignes 101 à 120 sur 120, page 3 sur 3." in last
    assert "page 2 sur 3" in client.get(FRISE, {"page": "deux"}).content.decode()  # not a number: today's


@time_machine.travel(FEBRUARY, tick=False)
def test_each_page_of_the_list_is_cached_apart_and_follows_the_events(director, client_as):
    _busy_trimester()
    client = client_as(director)
    first = _drawing(client.get(FRISE, {"page": 1}).content.decode())
    third = _drawing(client.get(FRISE, {"page": 3}).content.decode())
    assert first != third and "Réunion 120" in third and "Réunion 120" not in first

    EventFactory(title="Réunion de mars", audience=AudienceKind.DIRECTORS, start_date=date(2027, 3, 31))
    frise_changed()
    assert "Réunion de mars" in client.get(FRISE, {"page": 3}).content.decode()


@time_machine.travel("2027-08-20 10:00 +02:00", tick=False)
def test_a_past_period_opens_its_list_on_its_first_page(director, client_as):
    _busy_trimester()
    page = client_as(director).get(FRISE, {"annee": 2026, "periode": "t2"}).content.decode()
    assert "Lignes 1 à 50 sur 120, page 1 sur 3." in page


@time_machine.travel(FEBRUARY, tick=False)
def test_the_filter_is_drawn_once_per_selection_and_an_invalid_one_with_its_message(director, client_as):
    from django.http import QueryDict
    from django.template.loader import render_to_string

    from timeline import forms

    client = client_as(director)
    forms.FILTER_FIELDS.kept.cache_clear()
    query = {"annee": 2026, "periode": "m02", "categorie": ["reunion", "formation"]}
    first = client.get(FRISE, query).content.decode()
    second = client.get(FRISE, query).content.decode()
    assert forms.FILTER_FIELDS.kept.cache_info().hits == 1
    bound = forms.FriseFilterForm(
        QueryDict("annee=2026&periode=m02&categorie=reunion&categorie=formation"), year=SchoolYear(2026)
    )
    fresh = render_to_string(forms.FILTER_FIELDS.template_name, {"form": bound})
    assert fresh in first and fresh in second  # what the request's own form draws, byte for byte
    assert 'value="m02" selected' in fresh and fresh.count("checked") == 2

    invalid = client.get(FRISE, {"annee": 2026, "periode": "m13"}).content.decode()
    assert "Sélectionnez un choix valide" in invalid and forms.FILTER_FIELDS.kept.cache_info().currsize == 1
