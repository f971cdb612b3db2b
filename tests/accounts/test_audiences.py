"""Who an audience reaches (for sending) and what each person may see (for reading) agree."""

import datetime

import pytest

from accounts.audiences import (
    Audience,
    AudienceKind,
    audience_filter,
    audience_members,
    directors_of,
    is_in_audience,
    members_of,
    prefetch_current_directors,
)
from accounts.models import Role, Structure
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


# --- Groups named without an audience: directors of schools, members of structures ---------------


@pytest.fixture
def staff_rooms(school):
    """Two schools with their current, former, future and inactive directors and teachers."""
    other = SchoolFactory(name="École élémentaire de Thuré")
    third = SchoolFactory(name="École primaire de Scorbé")
    today = datetime.date.today()
    both = make_member(Role.DIRECTOR, school, last_name="Deuxécoles")
    MembershipFactory(user=both, structure=other, role=Role.DIRECTOR)
    return {
        "school": school,
        "other": other,
        "third": third,
        "director": make_member(Role.DIRECTOR, school, last_name="Actuelle"),
        "both": both,
        "third_director": make_member(Role.DIRECTOR, third),
        "teacher": make_member(Role.TEACHER, school),
        "inactive": make_member(Role.DIRECTOR, school, is_active=False),
        "former": MembershipFactory(
            role=Role.DIRECTOR, structure=school, start_date=today.replace(year=today.year - 5), end_date=today
        ).user,
        "future": MembershipFactory(
            role=Role.DIRECTOR, structure=school, start_date=today + datetime.timedelta(days=1)
        ).user,
    }


@pytest.mark.parametrize("given", ["objects", "ids", "queryset"])
def test_directors_of_are_the_current_active_directors_each_once(staff_rooms, given, django_assert_num_queries):
    schools = [staff_rooms["school"], staff_rooms["other"]]
    argument = {
        "objects": schools,
        "ids": [s.pk for s in schools],
        "queryset": Structure.objects.filter(pk__in=[s.pk for s in schools]),
    }[given]
    with django_assert_num_queries(1):
        directors = list(directors_of(argument))
    assert sorted(p.pk for p in directors) == sorted([staff_rooms["director"].pk, staff_rooms["both"].pk])


def test_directors_of_no_school_is_nobody(staff_rooms):
    assert list(directors_of([])) == []


def test_members_of_are_the_current_active_members_of_any_role(staff_rooms, django_assert_num_queries):
    with django_assert_num_queries(1):
        members = list(members_of([staff_rooms["school"].pk]))
    expected = [staff_rooms[name].pk for name in ("director", "both", "teacher")]
    assert sorted(p.pk for p in members) == sorted(expected)
    assert sorted(p.pk for p in members_of([staff_rooms["third"]])) == [staff_rooms["third_director"].pk]


def test_prefetch_current_directors_gives_each_school_its_directors_in_one_query(
    staff_rooms, django_assert_num_queries
):
    with django_assert_num_queries(2):
        rows = {
            s.pk: [m.user.last_name for m in s.current_directors]
            for s in Structure.objects.schools().prefetch_related(prefetch_current_directors())
        }
    assert rows[staff_rooms["school"].pk] == ["Actuelle", "Deuxécoles"]
    assert rows[staff_rooms["other"].pk] == ["Deuxécoles"]
    assert rows[staff_rooms["third"].pk] == [staff_rooms["third_director"].last_name]


def test_what_is_addressed_to_one_structure_as_a_whole(school):
    from accounts.audiences import AudienceKind, addressed_to_structure
    from tests.factories import RasedFactory, TeamFactory

    other, team, rased = SchoolFactory(), TeamFactory(), RasedFactory()
    notices = {kind: Notice.objects.create(title=kind, audience=kind) for kind in AudienceKind.values}
    to_school = Notice.objects.create(title="à l’école", audience=AudienceKind.STRUCTURES)
    to_school.audience_structures.set([school, rased])
    to_other = Notice.objects.create(title="à l’autre", audience=AudienceKind.STRUCTURES)
    to_other.audience_structures.set([other])

    def titles(structure):
        return sorted(Notice.objects.filter(addressed_to_structure(structure, Notice)).values_list("title", flat=True))

    assert titles(school) == sorted(["directeurs", "district", "enseignants", "à l’école"])
    assert titles(other) == sorted(["directeurs", "district", "enseignants", "à l’autre"])
    assert titles(team) == ["district", "equipe"]
    assert titles(rased) == sorted(["district", "rased", "à l’école"])
    assert notices[AudienceKind.STRUCTURES].title not in titles(school)  # naming no structure: nobody's
