"""Ended accounts: closed at once when the last membership has ended, purged 3 months later
(arrêté du 30 novembre 2006); idempotent, audited; contributions stay unless the person objected."""

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from allauth.mfa.models import Authenticator
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.urls import reverse

from accounts import services as accounts_services
from accounts.models import User
from audit.models import Event
from notifications.models import Notification
from privacy import accounts_purge, tasks
from privacy.models import AccountClosure, PrivacyAction
from tests.admin_forms import admin_form_data

PARIS = ZoneInfo("Europe/Paris")


def at(day):
    return time_machine.travel(dt.datetime.combine(day, dt.time(4), tzinfo=PARIS), tick=False)


def end_memberships(user, day):
    user.memberships.update(end_date=day)


def test_add_months():
    assert accounts_purge.add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert accounts_purge.add_months(dt.date(2026, 7, 4), 3) == dt.date(2026, 10, 4)


def test_closed_at_once_then_purged_three_months_later(teacher, director, admin_user):
    teacher.memberships.update(start_date=dt.date(2020, 9, 1))
    end_memberships(teacher, dt.date(2026, 7, 4))
    Authenticator.objects.create(user=teacher, type=Authenticator.Type.TOTP, data={"secret": "x"})
    Notification.objects.create(recipient=director, actor=teacher, kind="x", text="t", url="/")
    with at(dt.date(2026, 7, 3)):
        assert tasks.purge_ended_accounts() == {"closed": 0, "anonymised": 0, "deleted": 0}
        session = SessionStore()
        session["_auth_user_id"] = str(teacher.pk)
        session.create()
    with at(dt.date(2026, 7, 4)):
        assert tasks.purge_ended_accounts()["closed"] == 1
        assert tasks.purge_ended_accounts()["closed"] == 0  # idempotent
    teacher.refresh_from_db()
    director.refresh_from_db()
    assert not teacher.is_active and director.is_active
    assert not Session.objects.filter(pk=session.session_key).exists()
    closure = AccountClosure.objects.get(user=teacher)
    assert closure.purge_on == dt.date(2026, 10, 4)
    assert closure.school_name == "École élémentaire Jean Raffarin"
    assert teacher.first_name == "Thomas"  # not yet purged
    with at(dt.date(2026, 10, 3)):
        assert tasks.purge_ended_accounts()["anonymised"] == 0
    with at(dt.date(2026, 10, 4)):
        assert tasks.purge_ended_accounts()["anonymised"] == 1
        assert tasks.purge_ended_accounts()["anonymised"] == 0
    teacher.refresh_from_db()
    assert str(teacher) == "Ancien membre de l’école École élémentaire Jean Raffarin"
    assert "thomas" not in teacher.email.lower() and not teacher.has_usable_password()
    assert not Authenticator.objects.filter(user_id=teacher.pk).exists()
    # The contribution stays, credited to the former member.
    assert Notification.objects.get(recipient=director).actor_id == teacher.pk
    actions = set(Event.objects.values_list("action", flat=True))
    assert {PrivacyAction.ACCOUNT_CLOSED, PrivacyAction.ACCOUNT_PURGED} <= actions


def test_objection_deletes_the_account_and_its_contributions(teacher, director, admin_user):
    end_memberships(teacher, dt.date(2026, 7, 4))
    with at(dt.date(2026, 7, 5)):
        [closure] = accounts_purge.close_ended()
        accounts_purge.closure_set_objection(actor=admin_user, closure=closure, objected=True)
        assert Event.objects.filter(action=PrivacyAction.ACCOUNT_OBJECTION, actor=admin_user).count() == 1
    with at(dt.date(2026, 10, 5)):
        assert tasks.purge_ended_accounts()["deleted"] == 1
        assert tasks.purge_ended_accounts()["deleted"] == 0
    assert not User.objects.filter(pk=teacher.pk).exists()
    closure.refresh_from_db()
    assert closure.purged_at is not None and closure.user is None


def test_an_open_membership_keeps_the_account(teacher, school):
    from tests.factories import MembershipFactory

    end_memberships(teacher, dt.date(2026, 7, 4))
    MembershipFactory(user=teacher, structure=school, start_date=dt.date(2026, 9, 1))
    with at(dt.date(2026, 7, 10)):
        assert tasks.purge_ended_accounts()["closed"] == 0
    teacher.refresh_from_db()
    assert teacher.is_active


def test_a_person_back_before_the_purge_is_not_purged(teacher, school):
    from tests.factories import MembershipFactory

    end_memberships(teacher, dt.date(2026, 7, 4))
    with at(dt.date(2026, 7, 5)):
        accounts_purge.close_ended()
    MembershipFactory(user=teacher, structure=school, start_date=dt.date(2026, 9, 1))
    with at(dt.date(2026, 10, 5)):
        assert tasks.purge_ended_accounts()["anonymised"] == 0
    teacher.refresh_from_db()
    assert teacher.first_name == "Thomas"
    assert not AccountClosure.objects.exists()


def test_ending_the_last_membership_through_the_service_closes_at_once(
    teacher, admin_user, django_capture_on_commit_callbacks
):
    membership = teacher.memberships.get()
    membership.end_date = membership.start_date
    with django_capture_on_commit_callbacks(execute=True):
        accounts_services.memberships_save(actor=admin_user, memberships=[membership])
    teacher.refresh_from_db()
    assert not teacher.is_active
    assert AccountClosure.objects.get(user=teacher).ended_on == membership.start_date


def test_a_membership_ending_later_closes_nothing_yet(teacher, admin_user, django_capture_on_commit_callbacks):
    membership = teacher.memberships.get()
    membership.end_date = dt.date.today() + dt.timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        accounts_services.memberships_save(actor=admin_user, memberships=[membership])
    teacher.refresh_from_db()
    assert teacher.is_active
    assert not AccountClosure.objects.exists()


def test_ending_the_last_membership_on_the_admin_page_of_the_person_closes_at_once(
    client_as, admin_user, teacher, django_capture_on_commit_callbacks
):
    """The admin is a second door: its inline goes through ``memberships_save``."""
    client = client_as(admin_user)
    url = reverse("admin:accounts_user_change", args=[teacher.pk])
    membership = teacher.memberships.get()
    data = admin_form_data(client.get(url), **{"memberships-0-end_date": membership.start_date.strftime("%d/%m/%Y")})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert not teacher.is_active
    assert AccountClosure.objects.get(user=teacher).ended_on == membership.start_date
