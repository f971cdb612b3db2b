"""timeline.selectors.event_form_mode: how the event form opens, for whom."""

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
