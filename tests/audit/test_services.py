"""audit.services.record / record_many and the actions registry."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import TextChoices

from accounts.models import AccountAction, User
from audit import actions
from audit.models import Event
from audit.services import record, record_many
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def test_record_writes_who_did_what_to_which_object_and_when(admin_user):
    person = UserFactory(first_name="Claire", last_name="Dupin")
    moment = dt.datetime(2026, 9, 1, 8, 0, tzinfo=PARIS)
    changes = [{"field": "is_active", "label": "Actif", "before": "non", "after": "oui"}]

    with time_machine.travel(moment, tick=False):
        event = record(actor=admin_user, target=person, action=AccountAction.ACTIVATED, changes=changes)

    event = Event.objects.get(pk=event.pk)
    assert (event.created_at, event.actor, event.action, event.label) == (
        moment,
        admin_user,
        "accounts.user.activated",
        "Compte activé",
    )
    assert (event.target_type, event.target_id, event.target) == (
        ContentType.objects.get_for_model(User),
        person.pk,
        person,
    )
    assert event.target_repr == "Claire Dupin"
    assert event.changes == changes
    assert str(event) == "Compte activé — Claire Dupin"


def test_a_label_given_replaces_the_default_one_and_long_texts_are_cut(admin_user):
    person = UserFactory(first_name="N" * 150, last_name="M" * 150)  # a name of 301 characters
    event = record(
        actor=None, target=person, action=AccountAction.INVITED, label="  Invitation   renvoyée\n" + "x" * 400
    )
    assert event.actor is None
    assert event.label.startswith("Invitation renvoyée x")
    assert len(event.label) == 300
    assert len(event.target_repr) == 200
    assert event.changes == []


def test_the_target_stays_described_once_deleted(admin_user):
    person = UserFactory(first_name="Paul", last_name="Parti")
    event = record(actor=admin_user, target=person, action=AccountAction.DEACTIVATED)
    person_pk = person.pk
    person.delete()

    event = Event.objects.get(pk=event.pk)
    assert (event.target_id, event.target_repr, event.target) == (person_pk, "Paul Parti", None)


def test_an_unregistered_action_is_refused_and_nothing_is_written(admin_user):
    with pytest.raises(LookupError, match="news.post.eaten"):
        record(actor=admin_user, target=admin_user, action="news.post.eaten")
    with pytest.raises(LookupError):
        record_many(actor=admin_user, targets=[admin_user], action="accounts.user.vanished")
    assert Event.objects.count() == 0


def test_an_unsaved_target_is_refused(admin_user):
    with pytest.raises(TypeError):
        record(actor=admin_user, target=User(email="x@ent.test"), action=AccountAction.ACTIVATED)
    assert Event.objects.count() == 0


def test_record_writes_in_the_callers_transaction(admin_user):
    person = UserFactory()
    with pytest.raises(RuntimeError), transaction.atomic():
        record(actor=admin_user, target=person, action=AccountAction.ACTIVATED)
        raise RuntimeError("the service fails after recording")
    assert Event.objects.count() == 0


def test_record_many_writes_one_row_per_target_in_one_query(admin_user, django_assert_num_queries):
    people = UserFactory.create_batch(5)
    ContentType.objects.get_for_model(User)  # cached, as in any running process
    moment = dt.datetime(2026, 3, 12, 14, 5, tzinfo=PARIS)

    with time_machine.travel(moment, tick=False), django_assert_num_queries(1):
        record_many(actor=admin_user, targets=people, action=AccountAction.DEACTIVATED)

    assert sorted(Event.objects.values_list("target_id", "action", "actor", "created_at", "label")) == sorted(
        (p.pk, "accounts.user.deactivated", admin_user.pk, moment, "Compte désactivé") for p in people
    )


def test_registering_checks_codes_and_refuses_a_different_label():
    class Bad(TextChoices):
        WRONG = "no-dots", "Mauvais"

    class Clash(TextChoices):
        ACTIVATED = "accounts.user.activated", "Autre chose"

    with pytest.raises(ValueError, match="app.object.verb"):
        actions.register(Bad, app_name="Test")
    with pytest.raises(ValueError, match="already registered"):
        actions.register(Clash, app_name="Comptes")
    actions.register(AccountAction, app_name="Comptes")  # the same again: nothing happens
    assert actions.get("accounts.user.activated").label == "Compte activé"
    with pytest.raises(LookupError):
        actions.get("no-dots")


def test_every_app_registers_its_actions():
    apps = {action.app_name for action in actions.all_actions()}
    assert {"Comptes", "Actualités", "Blogs", "Frise chronologique"} <= apps
