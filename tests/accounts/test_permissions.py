import pytest

from accounts import permissions
from accounts.models import Role
from tests.factories import MembershipFactory, RasedFactory, SchoolFactory, make_member

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("person", "acts", "mfa"),
    [
        ("teacher", False, False),
        ("director", False, False),
        ("rased_member", False, False),
        ("counsellor", True, True),
        ("inspector", True, True),
        ("admin_user", True, True),
    ],
    indirect=["person"],
)
def test_district_powers_and_mfa_requirement(person, acts, mfa):
    assert permissions.acts_for_district(person) is acts
    assert permissions.must_use_mfa(person) is mfa


def test_a_director_manages_their_school_only(director, school):
    other = SchoolFactory()
    assert permissions.can_manage_structure(director, school)
    assert not permissions.can_manage_structure(director, other)


def test_a_former_director_no_longer_directs(school):
    import datetime

    director = make_member(Role.DIRECTOR, school)
    director.memberships.update(start_date=datetime.date(2018, 9, 1), end_date=datetime.date(2024, 7, 5))
    director = type(director).objects.get(pk=director.pk)  # a new request: no cached roles
    assert not permissions.directs(director, school)


def test_members_contact_is_shown_to_members_and_district_team(teacher, school, counsellor):
    outsider = make_member(Role.TEACHER, SchoolFactory())
    assert permissions.can_see_members_contact(teacher, school)
    assert permissions.can_see_members_contact(counsellor, school)
    assert not permissions.can_see_members_contact(outsider, school)


def test_an_inactive_person_has_no_powers(school):
    director = make_member(Role.DIRECTOR, school, is_active=False)
    assert not permissions.directs(director, school)
    assert not permissions.can_view_directory(director)


@pytest.mark.parametrize(
    ("person", "is_inspector", "teaches"),
    [
        ("teacher", False, True),
        ("director", False, True),
        ("rased_member", False, False),
        ("counsellor", False, False),
        ("inspector", True, False),
    ],
    indirect=["person"],
)
def test_inspector_and_teaching_questions(person, is_inspector, teaches):
    assert permissions.is_inspector(person) is is_inspector
    assert permissions.teaches(person) is teaches


def test_schools_taught_in_are_the_current_teaching_and_directing_schools(school):
    import datetime

    other, former = SchoolFactory(), SchoolFactory()
    person = make_member(Role.TEACHER, school)
    MembershipFactory(user=person, structure=other, role=Role.DIRECTOR)
    MembershipFactory(
        user=person,
        structure=former,
        role=Role.TEACHER,
        start_date=datetime.date(2018, 9, 1),
        end_date=datetime.date(2024, 7, 5),
    )
    MembershipFactory(user=person, structure=RasedFactory(), role=Role.RASED)
    assert permissions.schools_taught_in(person) == frozenset({school.pk, other.pk})
    assert permissions.schools_taught_in(make_member(Role.TEACHER, school, is_active=False)) == frozenset()
