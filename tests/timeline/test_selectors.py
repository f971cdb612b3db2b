"""timeline.selectors.event_form_mode: how the event form opens, for whom."""

from datetime import date, time, timedelta

import pytest

from accounts.models import Role
from tests.factories import SchoolFactory
from timeline.selectors import event_form_mode

from .factories import EventFactory, school_event

pytestmark = pytest.mark.django_db


def test_the_district_team_writes_district_events(counsellor):
    assert event_form_mode(user=counsellor) == ("district", [])
    assert event_form_mode(user=counsellor, event=EventFactory()) == ("district", [])


def test_a_director_writes_for_the_schools_they_direct_by_name(director, school):
    second = SchoolFactory(name="École des Acacias")
    director.memberships.create(structure=second, role=Role.DIRECTOR)
    SchoolFactory(name="École des Bouleaux")  # directed by someone else

    assert event_form_mode(user=director) == ("school", [second, school])


def test_a_schools_own_event_stays_with_its_school(counsellor, director, school):
    event = school_event(school)

    assert event_form_mode(user=counsellor, event=event) == ("school", [school])
    assert event_form_mode(user=director, event=event) == ("school", [school])


def test_someone_who_directs_no_school_gets_no_school(teacher):
    assert event_form_mode(user=teacher) == ("school", [])


# --- Accueil's summary: the next events and the deadlines due, read in one query -----------------


def _as_read_apart(user, today):
    """What the summary's two lists are, each read by its own query (the lists' own pages' orders)."""
    from timeline.selectors import HOME_DEADLINE_DAYS, upcoming_deadlines, upcoming_events

    due = upcoming_deadlines(user=user, today=today).filter(end_date__lte=today + timedelta(days=HOME_DEADLINE_DAYS))
    return list(upcoming_events(user=user, today=today)[:5]), list(due[:5]), due.count()


@pytest.mark.parametrize("deadlines", [0, 3, 8])
@pytest.mark.parametrize("others", [0, 2, 9])
def test_the_summary_read_in_one_query_is_what_each_list_reads_apart(
    deadlines, others, director, school, django_assert_num_queries
):
    from timeline.categories import Category
    from timeline.selectors import home_summary

    from .factories import timed_event

    today = date(2026, 12, 1)
    EventFactory(title="Passé", start_date=date(2026, 11, 20))
    EventFactory(title="Échéance passée", category=Category.DEADLINE, start_date=date(2026, 11, 30))
    EventFactory(title="Échéance à 15 jours", category=Category.DEADLINE, start_date=date(2026, 12, 16))
    EventFactory(title="Échéance à 16 jours", category=Category.DEADLINE, start_date=date(2026, 12, 17))
    EventFactory(title="Pour une autre école", school=SchoolFactory(), audience="structures")
    for n in range(deadlines):  # some due before the next events, some the same day, timed or not;
        day = today + timedelta(days=n * 2)  # their titles in the reverse order of their days
        if n % 3 == 1:
            timed_event(day, time(9), time(10), title=f"Échéance {9 - n}", category=Category.DEADLINE)
        else:
            EventFactory(
                title=f"Échéance {9 - n}",
                category=Category.DEADLINE,
                start_date=day - timedelta(days=n % 2),
                end_date=day,
            )
    for n in range(others):
        day = today + timedelta(days=n)
        if n % 2:
            timed_event(day, time(8, 30), time(11), title=f"Réunion {n}")
        else:
            school_event(school, title=f"Conseil {n}", start_date=day, end_date=day + timedelta(days=n % 3))

    home_summary(user=director, today=today)  # the person's memberships, read once a request
    with django_assert_num_queries(1):
        summary = home_summary(user=director, today=today)

    next_events, due, total = _as_read_apart(director, today)
    assert summary.next_events == next_events
    assert (summary.deadlines_soon.items, summary.deadlines_soon.total) == (due, total)
    assert len(summary.deadlines_soon.items) == min(deadlines + 1, 5) and total == deadlines + 1
