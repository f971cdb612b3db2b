"""The weekly series' planning: the coming school weeks, filled or empty, skipping school holidays."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from blogs import selectors, services
from blogs.models import Post

from .factories import PostFactory, SeriesFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
# Wednesday of week 3 of a series started on Monday 5 January 2026.
TODAY = datetime(2026, 1, 21, 10, 0, tzinfo=PARIS)


@pytest.fixture
def series(counsellor):
    return SeriesFactory(series_start=date(2026, 1, 5), contributors=[counsellor])


@pytest.fixture
def winter_holidays():
    """Zone A, 2025-2026: classes end on Saturday 7 February, resume on Monday 23 February."""
    from timeline.models import SchoolHoliday

    return SchoolHoliday.objects.create(
        school_year="2025-2026", name="Vacances d’hiver", zone="A", start=date(2026, 2, 7), end=date(2026, 2, 22)
    )


def _planned(series, counsellor, monday, title, status=Post.Status.SCHEDULED):
    return PostFactory(
        blog=series,
        author=counsellor,
        title=title,
        week_start=monday,
        status=status,
        published_at=datetime.combine(monday, datetime.min.time(), tzinfo=PARIS) + timedelta(hours=8),
    )


def test_the_planning_shows_filled_and_empty_weeks(client_as, counsellor, series):
    _planned(series, counsellor, date(2026, 1, 19), "Vocaroo", status=Post.Status.PUBLISHED)
    _planned(series, counsellor, date(2026, 1, 26), "Digicode")
    _planned(series, counsellor, date(2026, 2, 9), "Digipad", status=Post.Status.DRAFT)
    with time_machine.travel(TODAY, tick=False):
        response = client_as(counsellor).get(reverse("blogs:planning", args=[series.slug]))
    text = response.text
    assert response.status_code == 200
    assert "Semaine 3 — du 19 au 23 janvier" in text and "Vocaroo" in text
    assert "Semaine 4 — du 26 au 30 janvier" in text and "Digicode" in text
    assert "Aucun tutoriel prévu pour la semaine du 2 février" in text
    assert "Semaine 6 — du 9 au 13 février" in text and "Digipad" in text and "Brouillon" in text
    # Without holiday data every week counts: 12 weeks from week 3 to week 14.
    assert "Semaine 14 — du 6 au 10 avril" in text
    assert "Semaine 15" not in text
    assert f"?semaine={date(2026, 2, 2).isoformat()}" in text


def test_the_planning_skips_school_holidays(client_as, counsellor, series, winter_holidays):
    _planned(series, counsellor, date(2026, 2, 23), "Après les vacances")
    with time_machine.travel(TODAY, tick=False):
        rows = selectors.series_planning(blog=series)
        text = client_as(counsellor).get(reverse("blogs:planning", args=[series.slug])).text
    # The two weeks off make one row.
    assert [(row.week.monday, row.weeks) for row in rows if row.week.is_holiday] == [(date(2026, 2, 9), 2)]
    assert "Semaines du 9 au 20 février" in text
    assert len([row for row in rows if not row.week.is_holiday]) == 12
    assert "Vacances scolaires : Vacances d’hiver" in text
    assert "Aucun tutoriel prévu pour la semaine du 9 février" not in text
    # The week after the holidays is week 6, not week 8.
    assert "Semaine 6 — du 23 au 27 février" in text and "Après les vacances" in text
    assert "Semaine 14 — du 20 au 24 avril" in text


def test_the_week_choices_skip_holidays_and_taken_weeks(counsellor, series, winter_holidays):
    _planned(series, counsellor, date(2026, 1, 26), "Digicode")
    weeks = selectors.series_week_choices(blog=series, around=date(2026, 1, 21))
    mondays = [w.monday for w in weeks]
    assert date(2026, 1, 26) not in mondays
    assert date(2026, 2, 9) not in mondays and date(2026, 2, 16) not in mondays
    assert date(2026, 2, 2) in mondays and date(2026, 2, 23) in mondays


def test_the_planning_costs_the_same_with_more_posts(client_as, counsellor, series, assert_flat_queries):
    weeks = iter(range(12))

    def make_rows(count):
        for _ in range(count):
            week = next(weeks)
            _planned(series, counsellor, date(2026, 1, 19) + timedelta(weeks=week), f"Tuto {week}")

    with time_machine.travel(TODAY, tick=False):
        assert_flat_queries(
            client_as(counsellor),
            reverse("blogs:planning", args=[series.slug]),
            make_rows,
            rows=1,
            queries=4,
            shown=lambda response: (response.text.count(">Tuto "), response.text.count("Aucun tutoriel prévu")),
            expect=[(1, 11), (10, 2)],  # twelve school weeks shown
        )


def test_writing_from_an_empty_week_fills_it(client_as, counsellor, series):
    with time_machine.travel(TODAY, tick=True):
        client = client_as(counsellor)
        form = client.get(reverse("blogs:post-create", args=[series.slug]) + "?semaine=2026-02-02").text
        assert '<option value="2026-02-02" selected>Semaine 5 — du 2 au 6 février</option>' in form
        assert 'value="2026-02-02"' in form and 'value="08:00"' in form
        response = client.post(
            reverse("blogs:post-create", args=[series.slug]),
            {
                "title": "Digistorm",
                "body": "<p>Des nuages de mots.</p>",
                "week": "2026-02-02",
                "publish_date": "2026-02-02",
                "publish_time": "08:00",
                "action": "programmer",
            },
        )
        assert response.status_code == 302
        post = Post.objects.get()
        assert (post.week_start, post.status) == (date(2026, 2, 2), Post.Status.SCHEDULED)
        text = client.get(reverse("blogs:planning", args=[series.slug])).text
    assert "Aucun tutoriel prévu pour la semaine du 2 février" not in text
    assert "Digistorm" in text


def test_a_week_takes_one_tutorial(client_as, counsellor, series):
    _planned(series, counsellor, date(2026, 2, 2), "Déjà là")
    with time_machine.travel(TODAY, tick=True):
        response = client_as(counsellor).post(
            reverse("blogs:post-create", args=[series.slug]),
            {"title": "Doublon", "body": "<p>x</p>", "week": "2026-02-02", "action": "brouillon"},
        )
        assert response.status_code == 200
        assert "Sélectionnez un choix valide" in response.text
        assert not Post.objects.filter(title="Doublon").exists()
        with pytest.raises(ValidationError):
            services.post_create(actor=counsellor, blog=series, title="Doublon", week_start=date(2026, 2, 4))
    assert not Post.objects.filter(title="Doublon").exists()


def test_scheduling_a_tutorial_needs_its_week(client_as, counsellor, series):
    with time_machine.travel(TODAY, tick=True):
        response = client_as(counsellor).post(
            reverse("blogs:post-create", args=[series.slug]),
            {"title": "Sans semaine", "body": "<p>x</p>", "publish_date": "2026-02-02", "action": "programmer"},
        )
    assert "Choisissez la semaine de ce tutoriel." in response.text
    assert not Post.objects.exists()
