"""« Écoles et équipes »: its results are kept per person and address (``ent.fragments``) and show a
change at once: a structure's (``STRUCTURES_VERSION``) or anyone's membership (``MEMBERSHIPS_VERSION``:
a row's member count), by the services, the admin, an import's bulk writes; per day."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import forms, selectors
from accounts import services as account_services
from accounts.imports import PersonRow, SchoolRow
from accounts.models import Membership, Role, Structure
from tests.conftest import signed_in_client
from tests.factories import MembershipFactory, SchoolFactory, UserFactory, make_member

pytestmark = pytest.mark.django_db
URL = reverse("accounts:directory")


def _get(client, data=None, **extra) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as log:
        response = client.get(URL, data, **extra)
    assert response.status_code == 200
    return response.text, len(log)


def _results(text: str) -> str:
    return text[text.index('<div id="resultats"') :].split("</main>")[0]


def _row(text: str, name: str) -> list[str]:
    """The cells of the row of ``name`` (its link's text), as drawn."""
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", text, re.S) if f">{name}</a>" in r)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]


def _members(text: str, name: str) -> int:
    return int(_row(text, name)[4])


def _count(text: str) -> int:
    return int(re.search(r"(\d+) structures?\b", text).group(1))


@pytest.fixture
def drawn(monkeypatch):
    """How many times the results were drawn (their selector called)."""
    calls = []
    directory = selectors.structure_directory

    def spied(**kwargs):
        calls.append(kwargs)
        return directory(**kwargs)

    monkeypatch.setattr(selectors, "structure_directory", spied)
    return calls


def test_the_results_are_kept_then_drawn_again_after_a_change(teacher, school, drawn):
    client = signed_in_client(teacher)
    first, cold = _get(client)
    again, warm = _get(client)
    assert len(drawn) == 1 and _results(again) == _results(first)
    assert warm == 1 < cold  # neither the COUNT nor the page: the person only
    SchoolFactory(name="École des Tilleuls")
    assert "École des Tilleuls" in _get(client)[0] and len(drawn) == 2


def test_a_new_director_in_a_school_counts_at_once_through_the_service_and_the_admin(teacher, school, admin_user):
    client = signed_in_client(teacher)
    assert _members(_get(client)[0], school.name) == 1
    newcomer = UserFactory(first_name="Nadia", last_name="Directrice")
    account_services.memberships_save(
        actor=admin_user, memberships=[Membership(user=newcomer, structure=school, role=Role.DIRECTOR)]
    )
    assert _members(_get(client)[0], school.name) == 2

    other = UserFactory()
    response = signed_in_client(admin_user).post(
        reverse("admin:accounts_membership_add"),
        {"user": other.pk, "structure": school.pk, "role": Role.TEACHER, "start_date": "01/09/2025"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _members(_get(client)[0], school.name) == 3

    ended = Membership.objects.get(user=other)
    ended.end_date = timezone.localdate()
    account_services.memberships_save(actor=admin_user, memberships=[ended])  # ended today: no longer counted
    assert _members(_get(client)[0], school.name) == 2
    account_services.memberships_save(actor=admin_user, deleted=list(newcomer.memberships.all()))
    assert _members(_get(client)[0], school.name) == 1


def test_an_import_of_people_counts_its_new_memberships(teacher, school, admin_user):
    """``people_import`` writes memberships in bulk (no signal): it bumps the version itself."""
    client = signed_in_client(teacher)
    assert _members(_get(client)[0], school.name) == 1
    row = PersonRow(
        email="lea.nouvelle@ac-poitiers.fr",
        first_name="Léa",
        last_name="Nouvelle",
        structure_id=school.pk,
        role="directeur",
    )
    assert account_services.people_import(actor=admin_user, rows=[row])["memberships"] == 1
    assert _members(_get(client)[0], school.name) == 2


def test_a_membership_starting_tomorrow_counts_tomorrow(teacher, school):
    """No row changes when a membership starts: the results are kept per day."""
    client = signed_in_client(teacher)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    MembershipFactory(structure=school, start_date=tomorrow)
    assert _members(_get(client)[0], school.name) == 1
    with time_machine.travel(timezone.now() + dt.timedelta(days=1)):
        assert _members(_get(client)[0], school.name) == 2


def test_a_school_renamed_or_retyped_shows_at_once_through_the_import_and_the_admin(teacher, school, admin_user):
    client = signed_in_client(teacher)
    assert _row(_get(client)[0], school.name)[1:4] == ["École élémentaire", "Mirebeau", school.uai]
    account_services.schools_import(
        actor=admin_user,
        rows=[
            SchoolRow(
                uai=school.uai,
                name="École primaire Jean Raffarin",
                school_type=Structure.SchoolType.PRIMAIRE,
                commune="Mirebeau-en-Poitou",
                postal_code=school.postal_code,
            )
        ],
    )
    assert _row(_get(client)[0], "École primaire Jean Raffarin")[1:3] == ["École primaire", "Mirebeau-en-Poitou"]


def test_each_person_keeps_their_own_results(teacher, director, school, drawn):
    """The rows are the same for every signed-in person (the directory is the district's), yet each
    keeps their own copy: another's is never read, and joining a school draws one's again."""
    stranger = UserFactory()
    mine, theirs, other = signed_in_client(teacher), signed_in_client(director), signed_in_client(stranger)
    for client in (mine, theirs, other, mine, theirs, other):
        assert _members(_get(client)[0], school.name) == 2
    assert [call["user"].pk for call in drawn] == [teacher.pk, director.pk, stranger.pk]
    MembershipFactory(user=stranger, structure=school)
    assert _members(_get(other)[0], school.name) == 3


def test_the_search_the_kind_and_the_page_come_from_the_address(teacher, school, drawn):
    SchoolFactory(name="École Paul Éluard", commune="Naintré")
    make_member(Role.RASED)
    SchoolFactory.create_batch(30)
    client = signed_in_client(teacher)
    text = _get(client, {"q": "naintré"})[0]
    assert "École Paul Éluard" in text and school.name not in text and "pour « naintré »" in text
    text = _get(client, {"kind": Structure.Kind.RASED})[0]
    assert _count(text) == 1 and "RASED" in text and school.name not in text
    first, second = _get(client)[0], _get(client, {"page": "2"})[0]
    assert _count(first) == _count(second) == 33
    assert first.split("<tbody>")[1] != second.split("<tbody>")[1]
    assert len(drawn) == 4
    assert _results(_get(client, {"q": "naintré"})[0]) == _results(_get(client, {"q": "naintré"})[0])
    assert len(drawn) == 4


def test_htmx_asks_for_the_results_only_and_the_page_keeps_its_frame(teacher, school):
    client = signed_in_client(teacher)
    partial = _get(client, {"q": "raffarin"}, HTTP_HX_REQUEST="true")[0]
    assert partial.lstrip().startswith('<div id="resultats"') and "<header" not in partial
    full = _get(client, {"q": "raffarin"})[0]
    assert "<header" in full and 'id="resultats"' in full and 'value="raffarin"' in full
    assert school.name in partial and school.name in full


def test_the_search_fields_are_drawn_once_per_process_unless_a_search_is_typed(teacher, director, school):
    """What nobody typed is the same for everyone (drawn once); what a person typed, or a wrong
    choice with its message, is drawn for them and kept nowhere."""
    forms.SEARCH_FIELDS.kept.cache_clear()
    for client in (signed_in_client(teacher), signed_in_client(director)):
        assert 'id="id_q"' in _get(client)[0]
        assert '<option value="ecole" selected>' in _get(client, {"kind": Structure.Kind.SCHOOL})[0]
    drawings = forms.SEARCH_FIELDS.kept.cache_info()
    assert (drawings.misses, drawings.hits) == (2, 2)  # the directory as it opens, and by kind: once each
    text = _get(signed_in_client(teacher), {"q": "Mirebeau"})[0]
    assert 'value="Mirebeau"' in text and forms.SEARCH_FIELDS.kept.cache_info().currsize == 2
    text = _get(signed_in_client(teacher), {"kind": "hopital"})[0]
    assert "fr-select-group--error" in text and forms.SEARCH_FIELDS.kept.cache_info().currsize == 2
