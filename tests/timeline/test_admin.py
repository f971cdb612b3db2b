"""The frise in the Django admin: events are added, changed and deleted through timeline.services, as on
the site (the audience told of a new event, the audit trail written, calendars given a new revision);
school holidays stay editable by hand."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from accounts.audiences import AudienceKind
from audit.models import Event as AuditEvent
from audit.selectors import history_of
from notifications.models import Notification
from tests.admin_forms import admin_form_data
from tests.factories import UserFactory
from timeline.models import Event, SchoolHoliday, TimelineAction

from .factories import EventFactory, SchoolHolidayFactory, school_event

pytestmark = pytest.mark.django_db

ADD = reverse("admin:timeline_event_add")


def _day(days_from_today: int) -> str:
    return (timezone.localdate() + timedelta(days=days_from_today)).strftime("%d/%m/%Y")


def _actions(target):
    return list(history_of(target).values_list("action", "actor__email"))


def test_adding_an_event_in_the_admin_tells_its_audience_and_is_recorded(
    client_as, admin_user, teacher, director, counsellor
):
    client = client_as(admin_user)
    data = admin_form_data(
        client.get(ADD),
        title="Conseil des maîtres",
        category="reunion",
        start_date=_day(10),
        end_date=_day(10),
        audience=AudienceKind.DIRECTORS,
    )

    response = client.post(ADD, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    event = Event.objects.get()
    assert (event.title, event.created_by, event.sequence) == ("Conseil des maîtres", admin_user, 0)
    assert _actions(event) == [(TimelineAction.EVENT_CREATED, admin_user.email)]
    told = Notification.objects.filter(kind="timeline.event_created", key=f"timeline.event_created:{event.pk}")
    assert list(told.values_list("recipient_id", flat=True)) == [director.pk]


def test_a_school_event_added_in_the_admin_is_addressed_to_its_school(client_as, admin_user, school, teacher):
    client = client_as(admin_user)
    data = admin_form_data(
        client.get(ADD),
        title="Kermesse",
        category="projet",
        start_date=_day(20),
        end_date=_day(20),
        audience=AudienceKind.DISTRICT,
        school=str(school.pk),
    )

    response = client.post(ADD, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    event = Event.objects.get()
    # The service addresses a school's own event to its members, whatever was chosen.
    assert (event.school, event.audience) == (school, AudienceKind.STRUCTURES)
    assert list(event.audience_structures.all()) == [school]
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {teacher.pk}


def test_changing_an_event_in_the_admin_records_the_change_and_a_new_revision(client_as, admin_user, teacher):
    event = EventFactory(title="Animation", start_date=timezone.localdate() + timedelta(days=5))
    client = client_as(admin_user)
    url = reverse("admin:timeline_event_change", args=[event.pk])
    page = client.get(url)
    assert "created_by" not in page.context["adminform"].form.fields
    assert "school" not in page.context["adminform"].form.fields

    response = client.post(url, admin_form_data(page, title="Animation numérique", place="Lencloître"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    event.refresh_from_db()
    assert (event.title, event.place, event.sequence) == ("Animation numérique", "Lencloître", 1)
    revision = history_of(event).get()
    assert (revision.action, revision.actor) == (TimelineAction.EVENT_UPDATED, admin_user)
    assert [change["field"] for change in revision.changes] == ["title", "place"]
    assert not Notification.objects.exists()


def test_deleting_an_event_in_the_admin_is_recorded(client_as, admin_user):
    event = EventFactory()
    pk = event.pk

    response = client_as(admin_user).post(reverse("admin:timeline_event_delete", args=[pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Event.objects.exists()
    assert _actions(Event(pk=pk)) == [(TimelineAction.EVENT_DELETED, admin_user.email)]


def test_staff_outside_the_district_team_change_no_event(client_as):
    event = EventFactory(title="Animation")
    staff = UserFactory(is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="timeline"))
    client = client_as(staff)
    url = reverse("admin:timeline_event_change", args=[event.pk])
    data = admin_form_data(client.get(url), title="Pris")

    changed = client.post(url, data)
    added = client.post(ADD, {**data, "title": "Ajouté"})
    deleted = client.post(reverse("admin:timeline_event_delete", args=[event.pk]), {"post": "yes"})

    assert (changed.status_code, added.status_code, deleted.status_code) == (403, 403, 403)
    assert list(Event.objects.values_list("title", "sequence")) == [("Animation", 0)]
    assert not AuditEvent.objects.exists()
    assert not Notification.objects.exists()


def test_a_director_s_school_event_keeps_its_school_when_changed_in_the_admin(client_as, admin_user, school):
    event = school_event(school, title="Kermesse")
    client = client_as(admin_user)
    url = reverse("admin:timeline_event_change", args=[event.pk])

    response = client.post(url, admin_form_data(client.get(url), title="Fête de l’école"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    event.refresh_from_db()
    assert (event.title, event.school, event.audience) == ("Fête de l’école", school, AudienceKind.STRUCTURES)
    assert list(event.audience_structures.all()) == [school]


def test_a_school_holiday_can_be_corrected_by_hand(client_as, admin_user):
    holiday = SchoolHolidayFactory()
    client = client_as(admin_user)
    url = reverse("admin:timeline_schoolholiday_change", args=[holiday.pk])

    response = client.post(url, admin_form_data(client.get(url), end="04/01/2027"))

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert SchoolHoliday.objects.get().end == date(2027, 1, 4)
