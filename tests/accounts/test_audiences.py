"""Who an audience reaches (for sending) and what each person may see (for reading) agree."""

import datetime

import pytest

from accounts.audiences import Audience, AudienceKind, audience_filter, audience_members, is_in_audience
from accounts.models import Role
from tests.factories import MembershipFactory, SchoolFactory, UserFactory, make_member
from tests.testapp.models import Notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(school):
    other_school = SchoolFactory(name="École maternelle de Thuré")
    return {
        "teacher": make_member(Role.TEACHER, school),
        "director": make_member(Role.DIRECTOR, school),
        "other_teacher": make_member(Role.TEACHER, other_school),
        "ien": make_member(Role.IEN),
        "cpc": make_member(Role.CPC),
        "rased": make_member(Role.RASED),
        "nobody": UserFactory(),  # an account with no membership
        "inactive": make_member(Role.TEACHER, school, is_active=False),
        "former": _former_teacher(school),
        "school": school,
        "other_school": other_school,
    }


def _former_teacher(school):
    membership = MembershipFactory(
        role=Role.TEACHER, structure=school, start_date=datetime.date(2019, 9, 1), end_date=datetime.date(2023, 7, 7)
    )
    return membership.user


# audience kind -> the people (keys of `people`) it reaches
EXPECTED = {
    AudienceKind.DISTRICT: {"teacher", "director", "other_teacher", "ien", "cpc", "rased"},
    AudienceKind.DIRECTORS: {"director"},
    AudienceKind.TEACHERS: {"teacher", "director", "other_teacher"},
    AudienceKind.DISTRICT_TEAM: {"ien", "cpc"},
    AudienceKind.RASED: {"rased"},
}


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_audience_members(people, kind):
    members = set(audience_members(Audience(kind)))
    assert members == {people[name] for name in EXPECTED[kind]}


def test_structures_audience_reaches_the_members_of_those_structures_only(people):
    audience = Audience(AudienceKind.STRUCTURES, {people["school"].pk})
    assert set(audience_members(audience)) == {people["teacher"], people["director"]}


def test_members_are_listed_once_even_with_several_memberships(people):
    MembershipFactory(user=people["teacher"], structure=people["other_school"], role=Role.TEACHER)
    members = list(audience_members(Audience(AudienceKind.TEACHERS)))
    assert members.count(people["teacher"]) == 1


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_what_each_person_may_see_matches_who_is_told(people, kind):
    notice = Notice.objects.create(title="Note", audience=kind)
    for name in ("teacher", "director", "other_teacher", "ien", "cpc", "rased", "nobody"):
        user = people[name]
        visible = Notice.objects.filter(audience_filter(user, Notice)).exists()
        assert visible is (name in EXPECTED[kind]), name
        assert is_in_audience(user, notice.get_audience()) is (name in EXPECTED[kind]), name


def test_structures_filter_shows_a_notice_to_its_schools_members_only(people):
    notice = Notice.objects.create(title="Sortie au musée", audience=AudienceKind.STRUCTURES)
    notice.audience_structures.add(people["school"], people["other_school"])
    for name, expected in (("teacher", True), ("other_teacher", True), ("ien", False), ("rased", False)):
        assert list(Notice.objects.filter(audience_filter(people[name], Notice))) == ([notice] if expected else []), (
            name
        )


def test_filter_with_a_prefix_reaches_through_a_relation(people):
    # audience_filter(user, Model, prefix) is used from a related model; here, from Notice to itself.
    notice = Notice.objects.create(title="Note", audience=AudienceKind.STRUCTURES)
    notice.audience_structures.add(people["school"])
    q = audience_filter(people["teacher"], Notice, prefix="")
    assert Notice.objects.filter(q).count() == 1


def test_anonymous_sees_nothing(people):
    from django.contrib.auth.models import AnonymousUser

    Notice.objects.create(title="Note", audience=AudienceKind.DISTRICT)
    assert not Notice.objects.filter(audience_filter(AnonymousUser(), Notice)).exists()


def test_unknown_audience_kind_is_refused():
    with pytest.raises(ValueError):
        Audience("tout-le-monde")
