"""Who sees what on the frise, and who may add, change and delete events."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.audiences import AudienceKind
from accounts.models import Role
from tests.factories import SchoolFactory, make_member
from timeline import permissions
from timeline.models import Event

from .factories import EventFactory, school_event


@pytest.fixture
def other_school(db):
    return SchoolFactory(name="École maternelle Les Tilleuls", commune="Lencloître")


@pytest.fixture
def other_teacher(other_school):
    return make_member(Role.TEACHER, other_school)


@pytest.fixture
def other_director(other_school):
    return make_member(Role.DIRECTOR, other_school)


@pytest.fixture
def events(school, other_school):
    """One event per audience, and each school's own event."""
    return {
        "district": EventFactory(title="district", audience=AudienceKind.DISTRICT),
        "directors": EventFactory(title="directors", audience=AudienceKind.DIRECTORS),
        "team": EventFactory(title="team", audience=AudienceKind.DISTRICT_TEAM),
        "our-school": EventFactory(title="our-school", audience=AudienceKind.STRUCTURES, audience_structures=[school]),
        "other-school": EventFactory(
            title="other-school", audience=AudienceKind.STRUCTURES, audience_structures=[other_school]
        ),
        "our-school-own": school_event(school, title="our-school-own"),
        "other-school-own": school_event(other_school, title="other-school-own"),
    }


ALL = {"district", "directors", "team", "our-school", "other-school", "our-school-own", "other-school-own"}
VISIBILITY = {
    "anonymous": set(),
    "teacher": {"district", "our-school", "our-school-own"},
    "director": {"district", "directors", "our-school", "our-school-own"},
    "other_teacher": {"district", "other-school", "other-school-own"},
    "other_director": {"district", "directors", "other-school", "other-school-own"},
    "counsellor": ALL,
    "inspector": ALL,
    "rased_member": {"district"},
    "admin_user": ALL,
}


@pytest.mark.parametrize("role", VISIBILITY)
def test_who_sees_which_event(request, role, events):
    user = None if role == "anonymous" else request.getfixturevalue(role)

    visible = set(Event.objects.filter(permissions.events_visible_to(user)).values_list("title", flat=True))
    one_by_one = {name for name, event in events.items() if user and permissions.can_view_event(user, event)}

    assert visible == VISIBILITY[role]
    assert one_by_one == VISIBILITY[role]


@pytest.mark.parametrize("role", VISIBILITY)
def test_event_page_follows_visibility(request, role, events, client_as):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    client = client_as(user)

    for name, event in events.items():
        response = client.get(reverse("timeline:event-detail", args=[event.pk]))
        if user is None:
            assert response.status_code == 302
        else:
            assert response.status_code == (200 if name in VISIBILITY[role] else 404), name


CREATE = {
    "anonymous": False,
    "teacher": False,
    "director": True,
    "counsellor": True,
    "inspector": True,
    "rased_member": False,
    "admin_user": True,
}


def _district_post(**overrides):
    data = {
        "title": "Réunion de secteur",
        "category": "reunion",
        "all_day": "on",
        "start_date": "2026-12-09",
        "audience": AudienceKind.DIRECTORS,
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("person", list(CREATE), indirect=True)
def test_create_permission_matrix(person, client_as, school, request):
    client = client_as(person)
    role = request.node.callspec.params["person"]

    response = client.post(reverse("timeline:event-create"), _district_post(school=school.pk))

    if CREATE[role]:
        assert response.status_code == 302
        event = Event.objects.get()
        assert event.created_by == person
    else:
        assert response.status_code == (302 if person is None else 403)
        if person is None:
            assert reverse("account_login") in response["Location"]
        assert not Event.objects.exists()


def test_a_director_adds_an_event_for_their_school_only(director, school, client_as):
    other = SchoolFactory()
    client = client_as(director)

    response = client.post(
        reverse("timeline:event-create"),
        _district_post(title="Conseil d’école", school=other.pk, audience=AudienceKind.DISTRICT),
    )

    assert response.status_code == 200  # the other school is not a choice: the form says so
    assert "school" in response.context["form"].errors
    assert not Event.objects.exists()

    response = client.post(
        reverse("timeline:event-create"),
        _district_post(title="Conseil d’école", school=school.pk, audience=AudienceKind.DISTRICT),
    )

    event = Event.objects.get()
    assert response.status_code == 302
    assert event.school == school
    assert event.audience == AudienceKind.STRUCTURES  # whatever was posted: the school's members
    assert list(event.audience_structures.all()) == [school]


EDIT_DISTRICT_EVENT = {
    "teacher": 404,  # addressed to directors only: not even visible
    "director": 403,
    "counsellor": 302,
    "inspector": 302,
    "rased_member": 404,
    "admin_user": 302,
}
EDIT_SCHOOL_EVENT = {
    "teacher": 403,
    "director": 302,
    "counsellor": 302,
    "inspector": 302,
    "rased_member": 404,
    "admin_user": 302,
}


def _snapshot(event):
    event.refresh_from_db()
    return (event.title, event.start_date, event.end_date, event.audience, event.sequence)


@pytest.mark.parametrize("person", list(EDIT_DISTRICT_EVENT), indirect=True)
@pytest.mark.parametrize("target", ["district", "school"])
def test_edit_permission_matrix(person, target, client_as, school, request):
    role = request.node.callspec.params["person"]
    if target == "district":
        event, expected = EventFactory(audience=AudienceKind.DIRECTORS, title="Avant"), EDIT_DISTRICT_EVENT[role]
    else:
        event, expected = school_event(school, title="Avant"), EDIT_SCHOOL_EVENT[role]
    before = _snapshot(event)
    client = client_as(person)

    page = client.get(reverse("timeline:event-update", args=[event.pk]))
    response = client.post(
        reverse("timeline:event-update", args=[event.pk]),
        _district_post(title="Après", school=school.pk, start_date="2026-12-10"),
    )

    assert response.status_code == expected
    assert page.status_code == (200 if expected == 302 else expected)
    if expected == 302:
        event.refresh_from_db()
        assert (event.title, event.start_date, event.sequence) == ("Après", date(2026, 12, 10), 1)
    else:
        assert _snapshot(event) == before


@pytest.mark.parametrize("person", list(EDIT_DISTRICT_EVENT), indirect=True)
@pytest.mark.parametrize("target", ["district", "school"])
def test_delete_permission_matrix(person, target, client_as, school, request):
    role = request.node.callspec.params["person"]
    if target == "district":
        event, expected = EventFactory(audience=AudienceKind.DIRECTORS), EDIT_DISTRICT_EVENT[role]
    else:
        event, expected = school_event(school), EDIT_SCHOOL_EVENT[role]
    client = client_as(person)

    response = client.post(reverse("timeline:event-delete", args=[event.pk]))

    assert response.status_code == expected
    assert Event.objects.filter(pk=event.pk).exists() == (expected != 302)


def test_another_schools_director_cannot_touch_a_school_event(other_director, school, client_as):
    event = school_event(school, title="Conseil d’école")
    client = client_as(other_director)

    assert client.post(reverse("timeline:event-update", args=[event.pk]), _district_post()).status_code == 404
    assert client.post(reverse("timeline:event-delete", args=[event.pk])).status_code == 404
    assert Event.objects.get(pk=event.pk).title == "Conseil d’école"


def test_anonymous_is_sent_to_login_and_nothing_changes(client, school):
    event = EventFactory(title="Avant")

    for name in ("timeline:event-update", "timeline:event-delete"):
        response = client.post(reverse(name, args=[event.pk]), _district_post(title="Après"))
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]
    event.refresh_from_db()
    assert event.title == "Avant"
