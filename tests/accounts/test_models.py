import datetime

import pytest
from django.db import IntegrityError, transaction

from accounts.models import Membership, Role, Structure, User
from tests.factories import DistrictFactory, MembershipFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_email_is_stored_in_lower_case_and_unique_without_case():
    user = User.objects.create_user("Anne.Martin@AC-Poitiers.fr", first_name="Anne", last_name="Martin")
    assert user.email == "anne.martin@ac-poitiers.fr"
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("ANNE.MARTIN@ac-poitiers.fr", first_name="A", last_name="M")


def test_new_accounts_are_inactive_and_without_password():
    user = User.objects.create_user("nouveau@ac-poitiers.fr", first_name="N", last_name="V")
    assert not user.is_active
    assert not user.has_usable_password()


def test_login_lookup_ignores_case():
    UserFactory(email="claire@ac-poitiers.fr")
    assert User.objects.get_by_natural_key("CLAIRE@ac-poitiers.FR").email == "claire@ac-poitiers.fr"


def test_school_functional_email_defaults_from_uai_and_academie():
    district = DistrictFactory(academie="poitiers")
    school = Structure.objects.create(
        district=district, name="École de Cuhon", uai="0861234b", school_type=Structure.SchoolType.PRIMAIRE
    )
    assert school.uai == "0861234B"
    assert school.code == "0861234b"
    assert school.email == "ce.0861234b@ac-poitiers.fr"


def test_a_school_needs_a_uai_at_database_level():
    district = DistrictFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Structure.objects.create(district=district, code="sans-uai", name="Sans UAI", kind=Structure.Kind.SCHOOL)


def test_ending_a_membership_keeps_its_history_and_allows_a_new_role():
    membership = MembershipFactory(role=Role.TEACHER, start_date=datetime.date(2020, 9, 1))
    membership.end_date = datetime.date(2024, 8, 31)
    membership.save()
    Membership.objects.create(
        user=membership.user, structure=membership.structure, role=Role.TEACHER, start_date=datetime.date(2025, 9, 1)
    )
    assert Membership.objects.filter(user=membership.user).count() == 2
    assert Membership.objects.current().filter(user=membership.user).count() == 1


def test_two_open_memberships_with_the_same_role_are_refused():
    membership = MembershipFactory(role=Role.DIRECTOR)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=membership.user, structure=membership.structure, role=Role.DIRECTOR)


def test_membership_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(start_date=datetime.date(2025, 9, 1), end_date=datetime.date(2025, 1, 1))


def test_directory_search_by_name_commune_or_uai():
    school = SchoolFactory(name="École Louis Pergaud", commune="Thuré")
    SchoolFactory(name="Autre école", commune="Naintré")
    assert list(Structure.objects.search("pergaud")) == [school]
    assert list(Structure.objects.search("thuré")) == [school]
    assert list(Structure.objects.search(school.uai.lower())) == [school]


def test_structures_and_people_sort_as_french_readers_expect():
    from accounts.models import Structure

    district = DistrictFactory()
    for name in ("École maternelle Les Coquelicots", "École maternelle de Beaumont", "Ecole maternelle du Bourg"):
        Structure.objects.create(
            district=district, code=name[-6:].lower().replace(" ", "-"), name=name, kind=Structure.Kind.RASED
        )
    assert [s.name for s in Structure.objects.all()] == [
        "École maternelle de Beaumont",
        "Ecole maternelle du Bourg",
        "École maternelle Les Coquelicots",
    ]
    for last in ("Œuvray", "Éluard", "de Gaulle", "Zola"):
        UserFactory(last_name=last, first_name="A")
    assert [u.last_name for u in User.objects.all()] == ["de Gaulle", "Éluard", "Œuvray", "Zola"]


def test_running_memberships_include_those_starting_later_and_current_ones_do_not():
    day = datetime.date(2026, 3, 2)
    school = SchoolFactory()

    def membership(start, end=None):
        return MembershipFactory(structure=school, start_date=start, end_date=end).pk

    held = membership(datetime.date(2025, 9, 1))
    ending_later = membership(datetime.date(2025, 9, 1), datetime.date(2026, 7, 4))
    starting_later = membership(datetime.date(2026, 4, 1))
    ended_that_day = membership(datetime.date(2025, 9, 1), day)
    membership(datetime.date(2019, 9, 1), datetime.date(2020, 7, 4))

    running = set(Membership.objects.running(day).values_list("pk", flat=True))
    current = set(Membership.objects.current(day).values_list("pk", flat=True))

    assert running == {held, ending_later, starting_later}
    assert current == {held, ending_later}
    assert ended_that_day not in running
