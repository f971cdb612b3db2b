"""A broker outage during an activation: the admin's request answers, the invitation waits unsent,
the sweep queues it again."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from accounts import services, tasks
from accounts.models import Invitation

from .test_admin import act, invited_person, messages_of

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
ACTIVATED = dt.datetime(2026, 9, 1, 8, 0, tzinfo=PARIS)
STUCK = ACTIVATED + dt.timedelta(minutes=16)  # past ENT_QUEUE_STUCK_AFTER (15 minutes)


@pytest.fixture
def admin_client(client_as, admin_user):
    return client_as(admin_user)


def _unsent():
    return set(Invitation.objects.filter(sent_at__isnull=True).values_list("user__email", flat=True))


def test_an_activation_while_the_broker_is_down_answers_normally_and_the_sweep_sends_the_invitation(
    admin_client, broker_down, caplog, django_capture_on_commit_callbacks
):
    person = invited_person(email="claire.dupin@ac-poitiers.fr")

    with time_machine.travel(ACTIVATED, tick=False), broker_down(), django_capture_on_commit_callbacks(execute=True):
        response = act(admin_client, "activate_and_invite", [person])

    assert response.status_code == 200  # the action's redirect, followed
    assert response.redirect_chain[0][1] == 302
    assert messages_of(response) == ["1 compte activé, 1 invitation envoyée."]
    invitation = Invitation.objects.get(user=person)
    assert invitation.sent_at is None and mail.outbox == []
    assert f"Could not queue accounts.send_invitation for [[{invitation.pk}]] (broker unreachable?)" in caplog.text

    with time_machine.travel(STUCK, tick=False):
        assert tasks.sweep() == 1  # the broker is back: queued again (and run inline here)

    invitation.refresh_from_db()
    assert invitation.sent_at == STUCK
    assert [message.to for message in mail.outbox] == [["claire.dupin@ac-poitiers.fr"]]


def test_the_sweep_picks_the_stuck_invitation_and_leaves_the_fresh_sent_and_deactivated_ones(
    admin_user, broker_down, django_capture_on_commit_callbacks
):
    stuck, sent, deactivated, fresh = (invited_person(email=f"{name}@ecole.test") for name in ("a", "b", "c", "d"))
    with time_machine.travel(ACTIVATED, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            services.users_activate_and_invite(actor=admin_user, users=[sent])
        with broker_down(), django_capture_on_commit_callbacks(execute=True):
            services.users_activate_and_invite(actor=admin_user, users=[stuck, deactivated])
        deactivated.is_active = False
        deactivated.save(update_fields=["is_active"])  # outside users_deactivate, which would delete it
    fresh_moment = STUCK - dt.timedelta(minutes=2)
    with time_machine.travel(fresh_moment, tick=False), broker_down(), django_capture_on_commit_callbacks(execute=True):
        services.users_activate_and_invite(actor=admin_user, users=[fresh])
    assert _unsent() == {"a@ecole.test", "c@ecole.test", "d@ecole.test"}
    assert len(mail.outbox) == 1

    with time_machine.travel(STUCK, tick=False):
        assert tasks.sweep() == 1
        assert tasks.sweep() == 0  # another run (or a second beat) within the delay queues nothing

    assert _unsent() == {"c@ecole.test", "d@ecole.test"}
    assert [message.to for message in mail.outbox] == [["b@ecole.test"], ["a@ecole.test"]]


def test_an_invitation_unsent_for_longer_than_its_link_lasts_waits_for_an_administrator(
    admin_user, broker_down, settings, django_capture_on_commit_callbacks
):
    person = invited_person()
    with time_machine.travel(ACTIVATED, tick=False), broker_down(), django_capture_on_commit_callbacks(execute=True):
        services.users_activate_and_invite(actor=admin_user, users=[person])

    later = ACTIVATED + dt.timedelta(seconds=settings.ENT_INVITATION_MAX_AGE, minutes=1)
    with time_machine.travel(later, tick=False):
        assert tasks.sweep() == 0
        assert mail.outbox == []
        with django_capture_on_commit_callbacks(execute=True):
            assert services.users_reinvite(actor=admin_user, users=[person])["invited"] == 1  # « Renvoyer »
    assert len(mail.outbox) == 1
    assert Invitation.objects.filter(user=person).count() == 1


def test_the_sweep_is_scheduled_under_its_name(settings):
    assert settings.CELERY_BEAT_SCHEDULE["accounts-sweep"] == {"task": "accounts.sweep", "schedule": 300.0}
    assert tasks.sweep.name == "accounts.sweep"
    assert settings.CELERY_TASK_ROUTES["accounts.*"] == {"queue": "email"}
