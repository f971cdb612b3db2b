"""The frise's pages: the frise itself, its lists, the event page and form, the home panel."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from accounts.audiences import AudienceKind
from timeline.categories import Category
from timeline.frise_cache import frise_changed
from timeline.models import Event

from .factories import EventFactory, SchoolHolidayFactory

TODAY = "2026-11-29 10:00 +01:00"


def _spread(count: int, **fields):
    """``count`` events spread over the school year 2026-2027, some over several days."""
    first = date(2026, 9, 1)
    categories = list(Category.values)
    return [
        EventFactory(
            start_date=first + timedelta(days=(i * 7) % 300),
            end_date=first + timedelta(days=(i * 7) % 300 + (i % 3)),
            category=categories[i % len(categories)],
            **fields,
        )
        for i in range(count)
    ]


class _Uncached:
    """A client whose every request follows a change: the frise's drawing is rendered again."""

    def __init__(self, client):
        self.client = client

    def get(self, *args, **kwargs):
        frise_changed()
        return self.client.get(*args, **kwargs)


@time_machine.travel(TODAY, tick=False)
def test_frise_cost_is_the_same_for_50_and_500_events(director, school, client_as, assert_flat_queries):
    """The year drawn again at each request (the cached drawing: ``test_frise_cache.py``): the
    person, the period's events as the layout needs them, the full events of the marks drawn and
    the list's page."""
    SchoolHolidayFactory()

    def make_rows(count):
        _spread(count - count // 5)
        _spread(count // 5, school=school, audience=AudienceKind.STRUCTURES, audience_structures=[school])

    assert_flat_queries(
        _Uncached(client_as(director)),
        reverse("timeline:frise"),
        make_rows,
        rows=50,
        data={"periode": "annee"},
        queries=3,
        shown=lambda response: response.content.decode().count('class="tl-mark"'),
        expect=[50, 500],
    )


@time_machine.travel(TODAY, tick=False)
def test_the_frise_shows_the_current_school_year_with_today_and_holidays(director, client_as):
    EventFactory(
        title="Réunion de directeurs de décembre", audience=AudienceKind.DIRECTORS, start_date=date(2026, 12, 9)
    )
    SchoolHolidayFactory(name="Vacances de Noël", start=date(2026, 12, 19), end=date(2027, 1, 3))

    page = client_as(director).get(reverse("timeline:frise"), {"periode": "annee"}).content.decode()

    assert "Année scolaire 2026-2027" in page
    assert "Aujourd’hui" in page
    assert "Vacances de Noël : du samedi 19 décembre 2026 au dimanche 3 janvier 2027" in page
    assert (
        'aria-label="Réunion de directeurs de décembre — Réunion de directeurs — le mercredi 9 décembre 2026"' in page
    )
    assert "style=" not in page.split("<main")[1]  # strict CSP: no inline style
    assert "Décembre 2026" in page  # the list, month by month
    assert "?annee=2025" in page and "?annee=2027" in page


@time_machine.travel(TODAY, tick=False)
def test_filters_zoom_and_htmx(director, client_as):
    EventFactory(title="Échéance de décembre", category=Category.DEADLINE, start_date=date(2026, 12, 11))
    EventFactory(title="Réunion d’octobre", start_date=date(2026, 10, 7))
    client = client_as(director)

    deadlines = client.get(reverse("timeline:frise"), {"categorie": "echeance"}).content.decode()
    december = client.get(reverse("timeline:frise"), {"periode": "m12"}).content.decode()
    partial = client.get(reverse("timeline:frise"), {"periode": "t1"}, headers={"HX-Request": "true"}).content.decode()

    assert "Échéance de décembre" in deadlines and "Réunion d’octobre" not in deadlines
    assert "Échéance de décembre" in december and "Réunion d’octobre" not in december
    assert partial.lstrip().startswith('<div id="frise">')
    assert "<html" not in partial
    assert (
        'hx-swap-oob="true"' in partial and "1er trimestre 2026-2027 (septembre à décembre) : 2 événements" in partial
    )


@time_machine.travel(TODAY, tick=False)
def test_previous_year_and_bad_parameters(director, client_as):
    EventFactory(title="L’an dernier", start_date=date(2025, 10, 8))
    client = client_as(director)

    last_year = client.get(reverse("timeline:frise"), {"annee": "2025"}).content.decode()
    nonsense = client.get(reverse("timeline:frise"), {"annee": "abc", "periode": "x", "categorie": "zzz"})

    assert "Année scolaire 2025-2026" in last_year and "L’an dernier" in last_year
    assert nonsense.status_code == 200
    assert "Année scolaire 2026-2027" in nonsense.content.decode()


def test_the_frise_needs_a_login(client):
    response = client.get(reverse("timeline:frise"))

    assert response.status_code == 302 and reverse("account_login") in response["Location"]


@time_machine.travel(TODAY, tick=False)
def test_upcoming_and_deadlines_are_paginated_and_ordered(director, client_as):
    client = client_as(director)
    EventFactory(title="Passé", start_date=date(2026, 11, 2))
    EventFactory(title="En cours", start_date=date(2026, 11, 23), end_date=date(2026, 12, 4))
    for i in range(25):
        EventFactory(
            title=f"Échéance {i:02d}", category=Category.DEADLINE, start_date=date(2026, 12, 1) + timedelta(days=i)
        )

    upcoming = client.get(reverse("timeline:upcoming")).content.decode()
    deadlines = client.get(reverse("timeline:deadlines")).content.decode()
    EventFactory.create_batch(30, category=Category.DEADLINE, start_date=date(2027, 3, 1))
    second_page = client.get(reverse("timeline:deadlines"), {"page": 2}).content.decode()

    assert "Passé" not in upcoming
    assert upcoming.index("En cours") < upcoming.index("Échéance 00")
    assert "Échéance 19" in deadlines and "Échéance 20" not in deadlines
    assert "Échéance 20" in second_page and "Page suivante" in second_page


def _listed(response):
    items = response.text.split('class="tl-list"')[1].split("</ol>")[0]
    return response.context["page"].paginator.count, items.count("<li ")


@pytest.mark.parametrize(("url", "category"), [("timeline:upcoming", None), ("timeline:deadlines", Category.DEADLINE)])
@time_machine.travel(TODAY, tick=False)
def test_upcoming_and_deadlines_cost_the_same_for_10_and_100_events(
    director, school, client_as, assert_flat_queries, url, category
):
    def make_rows(count):
        fields = {"category": category} if category else {}
        EventFactory.create_batch(count - count // 5, start_date=date(2026, 12, 14), **fields)
        EventFactory.create_batch(
            count // 5,
            start_date=date(2026, 12, 15),
            school=school,
            audience=AudienceKind.STRUCTURES,
            audience_structures=[school],
            **fields,
        )

    assert_flat_queries(
        client_as(director),
        reverse(url),
        make_rows,
        rows=10,
        queries=3,
        shown=_listed,
        expect=[(10, 10), (100, 20)],
    )


def test_empty_lists_explain(teacher, client_as):
    client = client_as(teacher)

    assert "Aucun événement à venir ne vous est adressé" in client.get(reverse("timeline:upcoming")).content.decode()
    assert "Aucune échéance à venir" in client.get(reverse("timeline:deadlines")).content.decode()


@time_machine.travel(TODAY, tick=False)
def test_home_panel_shows_next_events_and_deadlines_within_15_days(director, client_as, django_assert_num_queries):
    client = client_as(director)
    EventFactory(title="Échéance proche", category=Category.DEADLINE, start_date=date(2026, 12, 11))
    EventFactory(title="Échéance lointaine", category=Category.DEADLINE, start_date=date(2026, 12, 18))
    EventFactory(title="Réunion prochaine", start_date=date(2026, 12, 2))
    client.get(reverse("accounts:home"))  # fills the per-process caches, and what is kept per person
    with django_assert_num_queries(1):
        response = client.get(reverse("accounts:home"))
    assert response.status_code == 200
    page = response.content.decode()
    EventFactory.create_batch(40, start_date=date(2027, 1, 20))
    EventFactory.create_batch(20, category=Category.DEADLINE, start_date=date(2026, 12, 12))

    with django_assert_num_queries(
        2
    ):  # the person and the timeline's panel (one query), read again (its version bumped)
        response = client.get(reverse("accounts:home"))
    assert response.status_code == 200
    panel = response.content.decode().split('id="accueil-frise"')[1].split("</section>")[0]
    deadlines_soon, next_events = panel.split("Prochains événements")
    item = '<li class="fr-mb-2w">'
    assert (deadlines_soon.count(item), next_events.count(item)) == (5, 5)  # each list is capped

    section = page.split('id="accueil-frise"')[1]
    deadlines, upcoming = section.split("Prochains événements")
    assert "Échéance proche" in deadlines and "Échéance lointaine" not in deadlines
    assert "Réunion prochaine" in upcoming


def test_event_page(director, client_as, school):
    event = EventFactory(
        title="Animation pédagogique",
        category=Category.ANIMATION,
        description="Premier paragraphe.\n\nDeuxième.",
        video_url="https://visio.education.fr/salle",
        related_url="/actualites/animation/",
        audience=AudienceKind.STRUCTURES,
        audience_structures=[school],
    )

    page = client_as(director).get(reverse("timeline:event-detail", args=[event.pk])).content.decode()

    assert "Animation pédagogique" in page and "fr-icon-lightbulb-line" in page
    assert "Le mercredi 9 décembre 2026" in page
    assert "Rejoindre la visioconférence" in page and school.name in page
    assert reverse("timeline:event-ics", args=[event.pk]) in page
    assert "Modifier" not in page  # a district event: the director only reads it


# --- The form ---------------------------------------------------------------------------------
def _post(client, **data):
    base = {
        "title": "Réunion",
        "category": "reunion",
        "all_day": "on",
        "start_date": "2026-12-09",
        "audience": "district",
    }
    base.update(data)
    return client.post(reverse("timeline:event-create"), {k: v for k, v in base.items() if v is not None})


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"end_date": "2026-12-08"}, "end_date", "La date de fin ne peut pas précéder la date de début."),
        ({"start_date": "32/13/2026"}, "start_date", "Saisissez une date valide (JJ/MM/AAAA)."),
        ({"start_date": ""}, "start_date", "Indiquez la date de début."),
        ({"all_day": None}, "start_time", "Indiquez l’heure de début, ou cochez « Toute la journée »."),
        (
            {"all_day": None, "start_time": "10:00", "end_time": "09:00"},
            "end_time",
            "L’heure de fin doit suivre l’heure de début.",
        ),
        (
            {"end_date": "2028-01-01"},
            "end_date",
            "Un événement ne peut pas durer plus d’un an : découpez-le en plusieurs.",
        ),
        (
            {"video_url": "pas une adresse"},
            "video_url",
            "Saisissez une adresse web valide, par exemple https://visio.education.fr/…",
        ),
        (
            {"related_url": "javascript:alert(1)"},
            "related_url",
            "Saisissez un lien vers une page du site (commençant par /) ou une adresse web complète (https://…).",
        ),
        ({"audience": "structures"}, "audience_structures", "Choisissez au moins une école ou structure destinataire."),
    ],
)
def test_bad_input_is_refused_in_french_and_kept(counsellor, client_as, data, field, message):
    response = _post(client_as(counsellor), title="Mon titre à garder", **data)

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert 'value="Mon titre à garder"' in response.content.decode()
    assert not Event.objects.exists()


def test_team_creates_a_timed_event_for_some_schools(counsellor, client_as, school):
    response = _post(
        client_as(counsellor),
        all_day=None,
        start_date="2026-12-09",
        start_time="14:00",
        end_time="16:30",
        audience="structures",
        audience_structures=[school.pk],
        related_url="/actualites/reunion/",
        place="Lencloître",
    )

    event = Event.objects.get()
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert (event.all_day, event.start_date, event.end_date) == (False, date(2026, 12, 9), date(2026, 12, 9))
    assert event.when == "le mercredi 9 décembre 2026 de 14 h à 16 h 30"
    assert list(event.audience_structures.all()) == [school]
    assert event.created_by == counsellor


def test_the_edit_form_shows_the_event_as_it_is(counsellor, client_as):
    event = EventFactory(title="Formation", start_date=date(2026, 12, 9), end_date=date(2026, 12, 10))

    page = client_as(counsellor).get(reverse("timeline:event-update", args=[event.pk])).content.decode()

    assert 'value="Formation"' in page and 'value="2026-12-10"' in page
