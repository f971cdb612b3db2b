"""Every foundation page, for every role; the directory's cost as the district grows."""

import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import MEMBERSHIPS_VERSION, Role, User
from ent import versions
from tests.conftest import ROLES
from tests.factories import MembershipFactory, SchoolFactory

pytestmark = pytest.mark.django_db


def _pages(school):
    return [
        reverse("accounts:home"),
        reverse("accounts:directory"),
        reverse("accounts:structure-detail", args=[school.code]),
        reverse("accounts:profile"),
        reverse("accounts:app-links"),
    ]


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_role_matrix_over_the_pages(client_as, person, school):
    client = client_as(person)
    for url in _pages(school):
        response = client.get(url)
        if person is None:
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("account_login")), url
        else:
            assert response.status_code == 200, url
            assert b'lang="fr"' in response.content


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_admin_is_for_administrators_only(client_as, person):
    response = client_as(person).get(reverse("admin:index"))
    if person is not None and person.is_staff:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_home_lists_the_persons_structures_and_roles(client_as, director, school):
    response = client_as(director).get(reverse("accounts:home"))
    assert school.name in response.text
    assert "Directeur·rice d’école" in response.text


def test_home_empty_state_explains(client_as, db):
    from tests.factories import UserFactory

    response = client_as(UserFactory()).get(reverse("accounts:home"))
    assert "n’est rattaché à aucune école" in response.text


def test_directory_search_by_commune(client_as, teacher):
    SchoolFactory(name="École Paul Éluard", commune="Naintré")
    response = client_as(teacher).get(reverse("accounts:directory"), {"q": "naintré"})
    assert "École Paul Éluard" in response.text
    assert "École élémentaire Jean Raffarin" not in response.text


def test_directory_htmx_request_returns_the_results_only(client_as, teacher):
    response = client_as(teacher).get(reverse("accounts:directory"), {"q": "raffarin"}, HTTP_HX_REQUEST="true")
    assert 'id="resultats"' in response.text
    assert "<header" not in response.text


def test_school_page_shows_identity_and_members_by_role(client_as, teacher, director, school):
    response = client_as(teacher).get(school.get_absolute_url())
    assert school.uai in response.text
    assert f"ce.{school.uai.lower()}@ac-poitiers.fr" in response.text
    assert director.get_full_name() in response.text
    assert teacher.get_full_name() in response.text


def test_personal_emails_are_hidden_from_outsiders(client_as, director, school):
    from accounts.models import Role
    from tests.factories import make_member

    outsider = make_member(Role.TEACHER, SchoolFactory())
    assert director.email not in client_as(outsider).get(school.get_absolute_url()).text


def test_unknown_school_is_a_french_404(client_as, teacher):
    response = client_as(teacher).get(reverse("accounts:structure-detail", args=["0000000a"]))
    assert response.status_code == 404


def _table_rows(response) -> int:
    return response.text.split("<tbody>")[1].split("</tbody>")[0].count("<tr>")


def _directory_shown(response) -> tuple[int, int]:
    """The count the results say, and the rows they draw (from the HTML: a kept copy has no context)."""
    return int(re.search(r"(\d+) structures?\b", response.text).group(1)), _table_rows(response)


class _DrawnAgain:
    """A client whose every request finds the directory's results stale (a membership changed
    somewhere): they are drawn again, while the person's roles and header counts stay kept."""

    def __init__(self, client):
        self.client = client

    def get(self, *args, **kwargs):
        versions.bump(MEMBERSHIPS_VERSION)
        return self.client.get(*args, **kwargs)


def _add_schools(count):
    for school in SchoolFactory.create_batch(count):
        MembershipFactory(structure=school)  # its member count shows


def test_directory_cost_does_not_grow_with_schools(client_as, teacher, assert_flat_queries):
    """Drawn (its results are kept, ``ent.fragments``: each request here finds them stale), the
    person, the COUNT and the page; their roles and the header's counts are in the cache."""
    assert_flat_queries(
        _DrawnAgain(client_as(teacher)),
        reverse("accounts:directory"),
        _add_schools,
        rows=5,
        queries=3,
        shown=_directory_shown,
        expect=[(6, 6), (51, 24)],  # the teacher's school too; 24 a page
    )


def test_directory_kept_costs_the_person_only_whatever_the_schools(client_as, teacher, assert_flat_queries):
    """Pinned kept as well, since its results are (``ent.fragments``): neither the COUNT nor the page."""
    assert_flat_queries(
        client_as(teacher),
        reverse("accounts:directory"),
        _add_schools,
        rows=5,
        queries=1,
        shown=_directory_shown,
        expect=[(6, 6), (51, 24)],
    )


def test_the_directory_counts_schools_without_their_members_and_counts_members_right(client_as, teacher, school):
    """The page's COUNT(*) reads the structures only; each row's member count is its own, a person
    holding two roles in one school counted once, an ended membership not at all."""
    MembershipFactory(structure=school, user=teacher, role=Role.RASED)
    MembershipFactory(structure=school, end_date=date(2020, 7, 4), start_date=date(2019, 9, 1))
    expected = school.memberships.current().values("user").distinct().count()
    with CaptureQueriesContext(connection) as queries:
        response = client_as(teacher).get(reverse("accounts:directory"), {"q": school.name})
    counts = [
        q["sql"]
        for q in queries.captured_queries
        if "COUNT(*)" in q["sql"].upper() and "accounts_structure" in q["sql"]
    ]
    assert counts and not any("accounts_membership" in sql for sql in counts), counts
    row = next(s for s in response.context["page"] if s.pk == school.pk)
    assert row.member_count == expected


def _members_listed(response) -> int:
    return response.text.split('id="membres"')[1].split("</section>")[0].count("<li>")


def test_school_page_cost_does_not_grow_with_members(client_as, teacher, school, assert_flat_queries):
    def add_members(count):
        for index in range(count):
            MembershipFactory(structure=school, role=[Role.TEACHER, Role.RASED][index % 2])

    assert_flat_queries(
        client_as(teacher),
        school.get_absolute_url(),
        add_members,
        rows=3,
        # 3 for the person, the school and its members, one for each section (blogs, events, news, notebooks),
        # and 3 for what this teacher may write to (« Écrire à la direction »: mail's write scope, the partner
        # schools included); their roles and the header's counts are in the cache.
        queries=10,
        shown=lambda response: (len(response.context["structure"].current_memberships), _members_listed(response)),
        expect=[(4, 4), (31, 31)],  # and the teacher
    )


def test_profile_updates_the_name_but_never_the_email(client_as, teacher):
    client = client_as(teacher)
    response = client.post(reverse("accounts:profile"), {"first_name": "Tom", "last_name": "Durand", "email": "x@y.fr"})
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert (teacher.first_name, teacher.last_name, teacher.email.endswith("@ac-poitiers.fr")) == ("Tom", "Durand", True)


def test_profile_keeps_what_was_typed_on_error(client_as, teacher):
    response = client_as(teacher).post(reverse("accounts:profile"), {"first_name": "Tom", "last_name": ""})
    assert response.status_code == 200
    assert 'value="Tom"' in response.text
    assert "Ce champ est obligatoire" in response.text
    teacher.refresh_from_db()
    assert teacher.last_name == "Enseignant"


def test_signup_is_closed_and_says_why(client, db):
    count = User.objects.count()
    response = client.post(
        "/accounts/signup/", {"email": "intrus@example.org", "password1": "x" * 12, "password2": "x" * 12}
    )
    assert response.status_code == 403
    assert "créés par la circonscription" in response.text
    assert User.objects.count() == count


def test_error_pages_are_french(client, settings):
    response = client.get("/nexiste-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.text


def test_every_page_sends_a_strict_content_security_policy(client_as, teacher):
    response = client_as(teacher).get(reverse("accounts:home"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert b"<script>" not in response.content


@pytest.mark.parametrize(
    ("person", "shown"), [("teacher", False), ("inspector", False), ("admin_user", True)], indirect=["person"]
)
def test_the_administration_link_is_for_administrators(client_as, person, shown):
    response = client_as(person).get(reverse("accounts:home"))
    assert (reverse("admin:index") in response.text) is shown
