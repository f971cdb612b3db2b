"""Deadline reminders (7 days and 1 day before) and the notice of a new event."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from accounts.audiences import AudienceKind
from accounts.models import Role
from notifications.models import Notification
from tests.factories import make_member
from timeline.categories import Category
from timeline.tasks import send_deadline_reminders

from .factories import EventFactory, school_event

DUE = date(2026, 12, 11)  # a Friday


def _at(day: str):
    return time_machine.travel(f"{day} 06:45 +01:00", tick=False)


@pytest.fixture
def deadline(director, school):
    make_member(Role.DIRECTOR)  # another school's director: in the audience too
    return EventFactory(
        title="Demandes de classes de découverte",
        category=Category.DEADLINE,
        audience=AudienceKind.DIRECTORS,
        start_date=DUE,
    )


def _reminders(event, suffix):
    return Notification.objects.filter(key=f"timeline.deadline:{event.pk}:{suffix}")


def test_seven_days_then_one_day_before_and_never_twice(deadline, director, teacher):
    with _at("2026-12-03"):  # J-8: too early
        assert send_deadline_reminders.delay().get() == 0
    with _at("2026-12-04"):  # J-7, and the task runs twice
        first, second = send_deadline_reminders.delay().get(), send_deadline_reminders.delay().get()
    assert (first, second) == (2, 0)
    reminder = _reminders(deadline, "7d").get(recipient=director)
    assert reminder.kind == "timeline.deadline"
    assert reminder.text == "Échéance dans 7 jours : Demandes de classes de découverte (le vendredi 11 décembre 2026)."
    assert reminder.url == deadline.get_absolute_url()
    assert not Notification.objects.filter(recipient=teacher).exists()  # not addressed to teachers

    with _at("2026-12-05"):  # J-6: nothing new
        assert send_deadline_reminders.delay().get() == 0
    with _at("2026-12-10"):  # J-1, twice again
        assert send_deadline_reminders.delay().get() == 2
        assert send_deadline_reminders.delay().get() == 0
    assert _reminders(deadline, "1d").get(recipient=director).text.startswith("Échéance demain :")
    assert _reminders(deadline, "7d").count() == 2 and _reminders(deadline, "1d").count() == 2

    with _at("2026-12-11"):  # the day itself: the 1-day reminder was already sent
        assert send_deadline_reminders.delay().get() == 0


def test_a_missed_day_or_a_late_deadline_still_gets_its_reminders(director, school):
    late = EventFactory(title="Ajoutée tard", category=Category.DEADLINE, start_date=DUE)
    with _at("2026-12-07"):  # J-4: the J-7 run never saw it
        send_deadline_reminders.delay().get()
    with _at("2026-12-11"):  # J-1 was missed: reminded on the day
        send_deadline_reminders.delay().get()

    texts = list(
        Notification.objects.filter(recipient=director, target_id=late.pk)
        .order_by("created_at")
        .values_list("text", flat=True)
    )
    assert texts == [
        "Échéance dans 4 jours : Ajoutée tard (le vendredi 11 décembre 2026).",
        "Échéance aujourd’hui : Ajoutée tard (le vendredi 11 décembre 2026).",
    ]


def test_only_deadlines_are_reminded_and_a_schools_deadline_goes_to_its_members(director, teacher, school):
    EventFactory(title="Réunion", category=Category.DIRECTORS_MEETING, start_date=DUE)
    own = school_event(school, title="Retour des autorisations de sortie", category=Category.DEADLINE, start_date=DUE)
    outsider = make_member(Role.TEACHER)

    with _at("2026-12-04"):
        assert send_deadline_reminders.delay().get() == 2

    assert set(_reminders(own, "7d").values_list("recipient", flat=True)) == {director.pk, teacher.pk}
    assert not Notification.objects.filter(recipient=outsider).exists()


@_at("2026-11-29")
def test_a_new_event_tells_its_audience_once(counsellor, director, teacher, client_as):
    client_as(counsellor).post(
        reverse("timeline:event-create"),
        {
            "title": "Réunion de secteur",
            "category": "reunion",
            "all_day": "on",
            "start_date": "2026-12-09",
            "audience": "directeurs",
        },
    )

    notice = Notification.objects.get()
    assert (notice.recipient, notice.kind) == (director, "timeline.event_created")
    assert notice.text == "Nouvel événement sur la frise : Réunion de secteur, le mercredi 9 décembre 2026."
    assert notice.actor == counsellor


@_at("2026-11-29")
def test_a_past_event_added_for_the_record_tells_no_one(counsellor, director, client_as):
    client_as(counsellor).post(
        reverse("timeline:event-create"),
        {
            "title": "Réunion passée",
            "category": "reunion",
            "all_day": "on",
            "start_date": "2026-10-07",
            "audience": "district",
        },
    )

    assert not Notification.objects.exists()


def test_one_failing_deadline_does_not_stop_the_others(director, monkeypatch):
    from django.db import DatabaseError

    from timeline import services

    broken = EventFactory(title="Cassée", category=Category.DEADLINE, start_date=DUE)
    fine = EventFactory(title="Saine", category=Category.DEADLINE, start_date=DUE)
    real_notify = services.notify

    def flaky_notify(**kwargs):
        if kwargs["target"].pk == broken.pk:
            raise DatabaseError("connexion perdue")
        return real_notify(**kwargs)

    monkeypatch.setattr(services, "notify", flaky_notify)

    result = services.deadline_reminders_send(today=date(2026, 12, 4))

    assert (result.sent, result.failed) == (1, 1)
    assert _reminders(fine, "7d").filter(recipient=director).exists()
    assert not _reminders(broken, "7d").exists()


def test_opening_the_event_marks_its_notifications_read(deadline, director, client_as):
    with _at("2026-12-04"):
        send_deadline_reminders.delay().get()
    reminder = _reminders(deadline, "7d").get(recipient=director)
    assert reminder.read_at is None

    client_as(director).get(reverse("timeline:event-detail", args=[deadline.pk]))

    reminder.refresh_from_db()
    assert reminder.read_at is not None
