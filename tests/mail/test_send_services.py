"""The writing side's services: sending once (double click, task twice), undo, scheduled send,
delivery in bulk, recall (pending notifications withdrawn), receipts and « Relancer » once a day,
reply / reply all / forward, favoris, and who may write to whom."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts import partners
from accounts.models import Role
from audit.models import Event
from ent.publication import publish_due, publish_if_due
from mail import selectors, services
from mail.models import Delivery, MailAction, Message, MessageStatus
from mail.permissions import recipients_error, refused_recipients
from mail.recipients import labels, reach, resolve, search
from mail.tasks import deliver_message
from notifications.models import Notification
from tests.factories import MembershipFactory, RasedFactory, SchoolFactory, TeamFactory, make_member

pytestmark = pytest.mark.django_db


def later(seconds=20):
    return timezone.now() + timedelta(seconds=seconds)


def write(actor, to, subject="Conseil des maîtres", **fields):
    return services.draft_save(actor=actor, subject=subject, body="<p>Bonjour</p>", addressing={"to": to}, **fields)


def send(actor, to, **fields):
    message = write(actor, to, **fields)
    return services.message_send(actor=actor, message=message, send_key=uuid.uuid4())


def deliver(message):
    publish_due(now=later(30))
    message.refresh_from_db()
    return message


# --- Who may write to whom ---------------------------------------------------------------------


@pytest.fixture
def world(db):
    team = TeamFactory()
    rased = RasedFactory()
    school, partner, other = SchoolFactory(name="École Jules-Ferry"), SchoolFactory(), SchoolFactory()
    return {
        "team": team,
        "rased": rased,
        "school": school,
        "partner": partner,
        "other": other,
        "ien": make_member(Role.IEN, team, first_name="Annie", last_name="Inspectrice"),
        "cpc": make_member(Role.CPC, team),
        "director": make_member(Role.DIRECTOR, school, first_name="Delphine", last_name="Directrice"),
        "teacher": make_member(Role.TEACHER, school, first_name="Élodie", last_name="Lefèvre"),
        "rased_member": make_member(Role.RASED, rased),
        "partner_director": make_member(Role.DIRECTOR, partner),
        "other_director": make_member(Role.DIRECTOR, other),
        "other_teacher": make_member(Role.TEACHER, other),
    }


@pytest.fixture
def with_partner(world):
    def fn(ids):
        return {world["partner"].pk, world["school"].pk} if ids & {world["partner"].pk, world["school"].pk} else set()

    partners.register(fn)
    yield
    partners.unregister(fn)


def tokens_for(world):
    w = world
    return {
        "u:cpc": f"u:{w['cpc'].pk}",
        "u:teacher-same": f"u:{w['teacher'].pk}",
        "u:other-teacher": f"u:{w['other_teacher'].pk}",
        "u:partner-director": f"u:{w['partner_director'].pk}",
        "u:rased": f"u:{w['rased_member'].pk}",
        "s:own": f"s:{w['school'].pk}",
        "s:other": f"s:{w['other'].pk}",
        "s:partner": f"s:{w['partner'].pk}",
        "s:rased": f"s:{w['rased'].pk}",
        "d:own": f"d:{w['school'].pk}",
        "d:partner": f"d:{w['partner'].pk}",
        "d:other": f"d:{w['other'].pk}",
        "directors": "directors",
        "teams": "teams",
        "rased": "rased",
        "district": "district",
        "team": "team",
    }


SCHOOL_ALLOWED = {
    "u:cpc", "u:teacher-same", "u:partner-director", "u:rased", "s:own", "s:partner", "s:rased",
    "d:own", "d:partner", "rased", "team",
}  # fmt: skip


@pytest.mark.parametrize("role", ["ien", "cpc", "director", "teacher", "rased_member"])
def test_permission_matrix_over_every_recipient_kind(world, with_partner, role):
    actor = world[role]
    tokens = tokens_for(world)
    for name, token in tokens.items():
        refused = refused_recipients(actor, [token])
        if role in ("ien", "cpc"):
            expected = True
        elif role == "rased_member":
            expected = name in SCHOOL_ALLOWED - {
                "s:own",
                "d:own",
                "u:teacher-same",
                "s:partner",
                "d:partner",
                "u:partner-director",
            } | {"s:rased"}
        else:
            expected = name in SCHOOL_ALLOWED
        assert (not refused) is expected, (role, name, refused)


def test_refused_send_is_named_in_french_and_nothing_is_written(world):
    teacher = world["teacher"]
    draft = write(teacher, ["district", f"s:{world['other'].pk}"], subject="Kermesse")
    events = Event.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.message_send(actor=teacher, message=draft, send_key=uuid.uuid4())
    text = " ".join(caught.value.message_dict["to"])
    assert "Toute la circonscription" in text and world["other"].name in text
    draft.refresh_from_db()
    assert draft.status == MessageStatus.DRAFT and draft.subject == "Kermesse"  # nothing typed is lost
    assert draft.send_key is None and not Delivery.objects.exists() and Event.objects.count() == events


def test_search_is_accent_and_case_insensitive_and_scoped(world):
    found = [s.token for s in search(user=world["ien"], text="LEFEVRE")]
    assert f"u:{world['teacher'].pk}" in found
    found = [s.token for s in search(user=world["ien"], text="jules ferry")]
    assert f"s:{world['school'].pk}" in found and f"d:{world['school'].pk}" in found
    assert "directors" in [s.token for s in search(user=world["ien"], text="directeurs")]
    # A teacher is offered neither the whole district nor another school's people.
    teacher_found = [s.token for s in search(user=world["teacher"], text="circonscription")]
    assert "district" not in teacher_found and "team" in teacher_found
    other = world["other_teacher"]
    assert f"u:{other.pk}" not in [s.token for s in search(user=world["teacher"], text=other.last_name)]


def test_labels_in_french(world):
    found = labels(["directors", "team", f"d:{world['school'].pk}", f"u:{world['teacher'].pk}", "u:999999"])
    assert found["directors"].text == "Tous les directeurs"
    assert found["team"].text == "Équipe de circonscription"
    assert found[f"d:{world['school'].pk}"].text == "Direction : École Jules-Ferry"
    assert found[f"u:{world['teacher'].pk}"].text == "Élodie Lefèvre"
    assert not found["u:999999"].exists


def test_resolution_each_person_once_to_before_cc_sender_and_inactive_excluded(world):
    inactive = make_member(Role.DIRECTOR, world["other"], is_active=False)
    addressing = {"to": ["directors"], "cc": [f"s:{world['school'].pk}"], "bcc": [f"u:{world['director'].pk}"]}
    result = resolve(addressing, sender=world["ien"])
    by_user = {r.user_id: r for r in result.people}
    assert len(by_user) == len(result.people)
    assert by_user[world["director"].pk].field == "to" and by_user[world["teacher"].pk].field == "cc"
    assert by_user[world["director"].pk].via == "Tous les directeurs"
    assert by_user[world["director"].pk].school_id == world["school"].pk
    assert inactive.pk not in by_user and world["ien"].pk not in by_user


def test_reach_counts_people_not_yet_activated(world):
    info = reach({"to": ["directors"]}, sender=world["ien"])
    assert info.people == 3 and info.not_activated == 3  # never signed in
    world["director"].last_login = timezone.now()
    world["director"].save(update_fields=["last_login"])
    assert reach({"to": ["directors"]}, sender=world["ien"]).not_activated == 2


# --- Sending -----------------------------------------------------------------------------------


def test_send_waits_for_undo_then_delivers_once_even_if_the_task_runs_twice(world):
    ien = world["ien"]
    message = send(ien, ["directors"], read_receipt=True)
    assert message.status == MessageStatus.SCHEDULED and message.undo_until > timezone.now()
    assert deliver_message(message.pk) is False  # not due yet (eager Celery ran it at once)
    assert not Delivery.objects.exists()
    assert publish_if_due(Message, message.pk, now=later(30)) is True
    assert publish_if_due(Message, message.pk, now=later(60)) is False
    assert deliver_message(message.pk) is False
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.recipient_count == 3
    assert Delivery.objects.filter(message=message, field="to").count() == 3
    assert Delivery.objects.filter(message=message, field="sender", user=ien).count() == 1
    assert Notification.objects.filter(kind="mail.received").count() == 3
    note = Notification.objects.filter(kind="mail.received").first()
    assert note.text == "Annie Inspectrice vous a écrit : Conseil des maîtres" and "Bonjour" not in note.text
    assert set(Event.objects.filter(target_id=message.pk).values_list("action", flat=True)) == {MailAction.SENT}


def test_double_click_sends_once(world):
    ien = world["ien"]
    draft = write(ien, ["directors"])
    key = uuid.uuid4()
    first = services.message_send(actor=ien, message=draft, send_key=key)
    second = services.message_send(actor=ien, message=draft, send_key=key)
    assert first.pk == second.pk and Message.objects.count() == 1
    deliver(first)
    assert Delivery.objects.filter(field="to").count() == 3


def test_undo_puts_back_a_draft_and_nothing_is_delivered(world):
    ien = world["ien"]
    message = send(ien, ["directors"])
    services.message_undo(actor=ien, message=message)
    message.refresh_from_db()
    assert message.status == MessageStatus.DRAFT and message.send_key is None
    deliver(message)
    assert message.status == MessageStatus.DRAFT and not Delivery.objects.exists()
    assert Event.objects.filter(action=MailAction.CANCELLED, target_id=message.pk).exists()


def test_undo_too_late_is_refused(world):
    ien = world["ien"]
    message = deliver(send(ien, ["directors"]))
    with pytest.raises(PermissionDenied):
        services.message_undo(actor=ien, message=message)


def test_scheduled_send_delivers_once_at_its_time_and_can_be_cancelled(world):
    ien = world["ien"]
    at = timezone.now() + timedelta(days=1)
    message = write(ien, ["directors"])
    message = services.message_send(actor=ien, message=message, send_key=uuid.uuid4(), scheduled_at=at)
    assert message.status == MessageStatus.SCHEDULED and message.published_at == at
    publish_due(now=timezone.now() + timedelta(hours=1))
    assert not Delivery.objects.exists()
    publish_due(now=at + timedelta(minutes=1))
    publish_due(now=at + timedelta(minutes=2))
    assert Delivery.objects.filter(field="to").count() == 3
    other = services.message_send(actor=ien, message=write(ien, ["directors"]), send_key=uuid.uuid4(), scheduled_at=at)
    services.message_cancel_schedule(actor=ien, message=other)
    other.refresh_from_db()
    assert other.status == MessageStatus.DRAFT


def test_scheduled_in_the_past_refused(world):
    ien = world["ien"]
    with pytest.raises(ValidationError):
        services.message_send(
            actor=ien, message=write(ien, ["directors"]), send_key=uuid.uuid4(), scheduled_at=timezone.now()
        )


def test_xss_in_subject_and_body_is_neutralised(world, client):
    ien = world["ien"]
    draft = services.draft_save(
        actor=ien,
        subject='<script>alert("x")</script>',
        body='<p onclick="alert(1)">Salut<script>alert(2)</script><img src=x onerror=alert(3)></p>',
        addressing={"to": ["directors"]},
    )
    draft.refresh_from_db()
    assert "<script" not in str(draft.body) and "onclick" not in str(draft.body) and "onerror" not in str(draft.body)
    assert draft.subject == '<script>alert("x")</script>'  # kept as text, escaped by templates


def test_shared_box_gets_one_delivery_and_its_members_are_told(world):
    teacher = world["teacher"]
    message = deliver(send(teacher, ["team"]))
    rows = Delivery.objects.filter(message=message).exclude(field="sender")
    assert [(r.user_id, r.shared_box_id) for r in rows] == [(None, world["team"].pk)]
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {world["ien"].pk, world["cpc"].pk}


def test_delivery_costs_the_same_queries_for_n_and_10n_recipients(db):
    team = TeamFactory()
    ien = make_member(Role.IEN, team)
    counts = []
    for n in (5, 50):
        school = SchoolFactory()
        for _ in range(n):
            MembershipFactory(structure=school, role=Role.TEACHER)
        message = send(ien, [f"s:{school.pk}"])
        with CaptureQueriesContext(connection) as log:
            publish_if_due(Message, message.pk, now=later(30))
        counts.append(len(log))
        assert Delivery.objects.filter(message=message, field="to").count() == n
    assert counts[0] == counts[1], counts


# --- Recall, receipts, reminders ----------------------------------------------------------------


def test_recall_withdraws_pending_notifications(world):
    ien = world["ien"]
    message = deliver(send(ien, ["directors"]))
    read = Notification.objects.filter(recipient=world["director"]).get()
    read.read_at = timezone.now()
    read.save(update_fields=["read_at"])
    services.message_recall(actor=ien, message=message)
    message.refresh_from_db()
    assert message.is_recalled
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [world["director"].pk]
    assert Event.objects.filter(action=MailAction.RECALLED, target_id=message.pk).exists()


def test_a_recalled_message_no_longer_counts_as_unread(world):
    ien, director = world["ien"], world["director"]
    message = deliver(send(ien, ["directors"]))
    assert selectors.unread_count(director) == 1
    services.message_recall(actor=ien, message=message)
    assert selectors.unread_count(director) == 0
    assert selectors.latest_unread(user=director).total == 0


def test_recall_after_the_delay_refused_and_nothing_changes(world, settings):
    ien = world["ien"]
    message = deliver(send(ien, ["directors"]))
    Message.objects.filter(pk=message.pk).update(published_at=timezone.now() - timedelta(minutes=61))
    message.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.message_recall(actor=ien, message=message)
    message.refresh_from_db()
    assert not message.is_recalled and Notification.objects.count() == 3


def test_recall_of_a_scheduled_message_makes_a_draft(world):
    ien = world["ien"]
    message = services.message_send(
        actor=ien, message=write(ien, ["directors"]), send_key=uuid.uuid4(), scheduled_at=later(3600)
    )
    services.message_recall(actor=ien, message=message)
    message.refresh_from_db()
    assert message.status == MessageStatus.DRAFT and message.recalled_at is None


def test_receipts_and_remind_once_a_day(world):
    ien = world["ien"]
    message = deliver(send(ien, ["directors"], read_receipt=True))
    Delivery.objects.filter(message=message, user=world["director"]).update(read_at=timezone.now())
    counts = services.receipts_counts(message)
    assert counts == {"people_total": 3, "people_read": 1, "schools_total": 3, "schools_read": 1}
    assert services.message_remind(actor=ien, message=message) == 2
    assert set(Notification.objects.filter(kind="mail.reminder").values_list("recipient_id", flat=True)) == {
        world["partner_director"].pk,
        world["other_director"].pk,
    }
    message.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.message_remind(actor=ien, message=message)
    assert Notification.objects.filter(kind="mail.reminder").count() == 2


# --- Reply, forward ----------------------------------------------------------------------------


def test_reply_to_a_group_message_goes_to_the_sender_only(world):
    ien = world["ien"]
    message = deliver(send(ien, ["directors"], subject="Évaluations"))
    reply = services.draft_for_reply(actor=world["director"], message=message)
    assert reply.addressing == {"to": [f"u:{ien.pk}"], "cc": [], "bcc": []}
    assert reply.subject == "RE : Évaluations" and reply.parent == message and reply.thread_id == message.pk
    sent = services.message_send(actor=world["director"], message=reply, send_key=uuid.uuid4())
    deliver(sent)
    assert Delivery.objects.filter(message=sent, user=ien).exists()


def test_reply_all_never_reveals_bcc(world):
    ien = world["ien"]
    message = write(ien, [f"u:{world['director'].pk}"])
    message.addressing = {
        "to": [f"u:{world['director'].pk}"],
        "cc": [f"u:{world['cpc'].pk}"],
        "bcc": [f"u:{world['teacher'].pk}"],
    }
    message.save()
    message = deliver(services.message_send(actor=ien, message=message, send_key=uuid.uuid4()))
    reply = services.draft_for_reply(actor=world["director"], message=message, reply_all=True)
    tokens = reply.addressing["to"] + reply.addressing["cc"] + reply.addressing["bcc"]
    assert f"u:{world['teacher'].pk}" not in tokens and f"u:{world['cpc'].pk}" in tokens
    assert f"u:{world['director'].pk}" not in tokens
    # The blind copy answers the sender only, even with « répondre à tous ».
    bcc_reply = services.draft_for_reply(actor=world["teacher"], message=message, reply_all=True)
    assert bcc_reply.addressing["to"] == [f"u:{ien.pk}"] and bcc_reply.addressing["cc"] == []


def test_no_reply_disables_replies(world):
    message = deliver(send(world["ien"], ["directors"], no_reply=True))
    with pytest.raises(PermissionDenied):
        services.draft_for_reply(actor=world["director"], message=message)
    assert Message.objects.count() == 1


def test_reply_from_the_shared_box_is_sent_as_the_team(world):
    message = deliver(send(world["teacher"], ["team"], subject="Question"))
    reply = services.draft_for_reply(actor=world["cpc"], message=message)
    assert reply.sent_as == world["team"] and reply.addressing["to"] == [f"u:{world['teacher'].pk}"]
    sent = deliver(services.message_send(actor=world["cpc"], message=reply, send_key=uuid.uuid4()))
    assert Delivery.objects.filter(message=sent, shared_box=world["team"], field="sender").exists()


def test_a_teacher_may_answer_whoever_wrote_to_them(world):
    # Another school's director writes (as the district allows partners); the answer is allowed.
    other = world["other_director"]
    message = deliver(
        services.message_send(
            actor=world["ien"], message=write(world["ien"], [f"u:{world['teacher'].pk}"]), send_key=uuid.uuid4()
        )
    )
    reply = services.draft_for_reply(actor=world["teacher"], message=message)
    assert recipients_error(world["teacher"], reply.addressing) is None
    assert other  # the rule is the sender, not the school


# --- Favoris and signature ---------------------------------------------------------------------


def test_favoris_create_rename_delete_and_warn_on_unreachable(world):
    director = world["director"]
    teacher = world["teacher"]
    fav = services.contact_list_create(actor=director, name="Mon équipe", entries=[f"u:{teacher.pk}", "team", "bogus"])
    assert fav.entries == [f"u:{teacher.pk}", "team"]
    with pytest.raises(ValidationError):
        services.contact_list_create(actor=director, name="mon équipe", entries=["team"])
    services.contact_list_rename(actor=director, contact_list=fav, name="Équipe pédagogique")
    assert services.contact_list_warnings(actor=director, contact_lists=[fav]) == {fav.pk: []}
    teacher.is_active = False
    teacher.save(update_fields=["is_active"])
    assert services.contact_list_warnings(actor=director, contact_lists=[fav]) == {fav.pk: ["Élodie Lefèvre"]}
    with pytest.raises(PermissionDenied):
        services.contact_list_delete(actor=world["ien"], contact_list=fav)
    services.contact_list_delete(actor=director, contact_list=fav)


def test_signature_starts_a_new_message(world):
    services.mail_settings_save(actor=world["director"], signature="Delphine\n<b>École</b>")
    html = services.signature_html(world["director"])
    assert "Delphine" in html and "<b>" not in html
