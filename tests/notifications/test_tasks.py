import datetime as dt
from contextlib import contextmanager
from unittest import mock
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from kombu.exceptions import OperationalError

from notifications import delivery, tasks
from notifications.kinds import Frequency
from notifications.models import Digest, EmailSettings, EmailState, KindPreference, Notification
from notifications.quiet_hours import PARIS
from notifications.services import notification_mark_read, notifications_redeliver, notify
from tests.factories import UserFactory

from .conftest import DAILY_KIND, IMMEDIATE_KIND, WEEKLY_KIND

THURSDAY_10H = dt.datetime(2026, 3, 12, 10, 0, tzinfo=PARIS)
THURSDAY_21H = dt.datetime(2026, 3, 12, 21, 0, tzinfo=PARIS)
FRIDAY_21H = dt.datetime(2026, 3, 13, 21, 0, tzinfo=PARIS)
SATURDAY_7H = dt.datetime(2026, 3, 14, 7, 0, tzinfo=PARIS)
MONDAY_7H = dt.datetime(2026, 3, 16, 7, 0, tzinfo=PARIS)


@pytest.fixture
def notify_now(django_capture_on_commit_callbacks):
    """notify() as a view would call it: the after-commit enqueue runs (tasks run inline in tests)."""

    def call(kind=IMMEDIATE_KIND, recipients=(), text="Réunion des directeurs jeudi", **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return notify(
                kind=kind, actor=None, target=None, text=text, url="/ecoles/", recipients=recipients, **kwargs
            )

    return call


# --- Immediate e-mails ------------------------------------------------------------------------


@time_machine.travel(THURSDAY_10H, tick=False)
def test_immediate_email_is_sent_once_even_if_the_task_runs_twice(director, notify_now):
    notify_now(recipients=[director])
    assert len(mail.outbox) == 1

    tasks.send_immediate([director.pk])
    tasks.send_immediate.delay([director.pk])
    tasks.sweep()

    assert len(mail.outbox) == 1
    notification = Notification.objects.get()
    assert notification.email_state == EmailState.SENT
    assert notification.emailed_at is not None
    message = mail.outbox[0]
    assert message.to == [director.email]
    assert message.subject == "[ENT] Direction (test) : Réunion des directeurs jeudi"
    assert f"http://127.0.0.1:8000/notifications/{notification.pk}/" in message.body
    assert "jeudi 12 mars 2026 à 10 h" in message.body
    html = message.alternatives[0][0]
    assert f'href="http://127.0.0.1:8000/notifications/{notification.pk}/"' in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@time_machine.travel(THURSDAY_10H, tick=False)
def test_a_notification_claimed_by_another_worker_is_not_sent_again(director):
    notify(kind=IMMEDIATE_KIND, actor=None, target=None, text="Note", url="/", recipients=[director])
    Notification.objects.update(email_state=EmailState.SENDING, email_claimed_at=THURSDAY_10H)

    assert delivery.send_immediate([director.pk]) == 0
    assert mail.outbox == []


@time_machine.travel(THURSDAY_10H, tick=False)
def test_a_worker_with_a_stale_list_cannot_send_what_another_one_sent(director):
    for i in range(3):
        notify(kind=IMMEDIATE_KIND, actor=None, target=None, text=f"Note {i}", url="/", recipients=[director])
    real_connection = delivery.mail_connection

    @contextmanager
    def faster_worker_goes_first():
        # This worker has read its candidates; before it claims them, another one sends them all.
        with mock.patch.object(delivery, "mail_connection", real_connection):
            assert delivery.send_immediate([director.pk]) == 3
        with real_connection() as connection:
            yield connection

    with mock.patch.object(delivery, "mail_connection", faster_worker_goes_first):
        assert delivery.send_immediate([director.pk]) == 0

    assert len(mail.outbox) == 3


@time_machine.travel(THURSDAY_10H, tick=False)
def test_a_digest_claim_that_lost_the_race_sends_nothing(teacher):
    notify(kind=DAILY_KIND, actor=None, target=None, text="Actualité", url="/", recipients=[teacher])
    real_create = Digest.objects.create
    raced = []

    def create_after_another_worker(**kwargs):
        if not raced:
            raced.append(True)  # another worker claims and sends between our read and our claim
            assert delivery.send_digests(Frequency.DAILY, [teacher.pk], cutoff=THURSDAY_10H) == 1
        return real_create(**kwargs)

    with mock.patch.object(Digest.objects, "create", side_effect=create_after_another_worker):
        assert delivery.send_digests(Frequency.DAILY, [teacher.pk], cutoff=THURSDAY_10H) == 0

    assert len(mail.outbox) == 1
    assert Digest.objects.count() == 1  # the loser's empty digest is not kept


@time_machine.travel(THURSDAY_10H, tick=False)
def test_notification_written_while_the_broker_is_down_is_delivered_by_the_sweep(director, notify_now, caplog):
    with mock.patch.object(tasks.send_immediate, "apply_async", side_effect=OperationalError("Error 111 connecting")):
        assert notify_now(recipients=[director]) == 1  # the request does not fail

    assert "the sweep will deliver them" in caplog.text
    notification = Notification.objects.get()
    assert notification.email_state == EmailState.PENDING
    assert mail.outbox == []

    tasks.sweep()

    assert len(mail.outbox) == 1
    assert Notification.objects.get().email_state == EmailState.SENT


@time_machine.travel(THURSDAY_10H, tick=False)
def test_sweep_sends_inline_when_it_cannot_enqueue_either(director, notify_now):
    with mock.patch.object(tasks.send_immediate, "apply_async", side_effect=OperationalError("down")):
        notify_now(recipients=[director])
        tasks.sweep()

    assert len(mail.outbox) == 1


def test_mail_server_unreachable_leaves_the_email_pending_for_the_sweep(director, notify_now, settings):
    with time_machine.travel(THURSDAY_10H, tick=False):
        settings.EMAIL_BACKEND = "tests.notifications.mail_backends.UnreachableBackend"
        notify_now(recipients=[director])
        assert Notification.objects.get().email_state == EmailState.PENDING
    with time_machine.travel(THURSDAY_10H + dt.timedelta(minutes=5), tick=False):
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        tasks.sweep()
    assert len(mail.outbox) == 1
    assert Notification.objects.get().email_state == EmailState.SENT


def test_an_interrupted_send_is_failed_not_resent_until_an_administrator_asks(
    director, admin_user, notify_now, settings, django_capture_on_commit_callbacks
):
    with time_machine.travel(THURSDAY_10H, tick=False):
        settings.EMAIL_BACKEND = "tests.notifications.mail_backends.DropsMidwayBackend"
        notify_now(recipients=[director])
    notification = Notification.objects.get()
    assert notification.email_state == EmailState.FAILED
    assert "SMTPServerDisconnected" in notification.email_error

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(THURSDAY_10H + dt.timedelta(hours=1), tick=False):
        tasks.sweep()
        assert mail.outbox == []  # at most once: the server may have accepted it
        with django_capture_on_commit_callbacks(execute=True):
            counts = notifications_redeliver(actor=admin_user, notifications=[notification])
    assert counts == {"immediate": 1, "digest": 0}
    assert len(mail.outbox) == 1
    assert Notification.objects.get().email_state == EmailState.SENT


def test_a_broken_connection_stops_the_run_and_the_rest_waits_for_the_sweep(director, settings):
    with time_machine.travel(THURSDAY_10H, tick=False):
        for text in ("Première", "Seconde"):
            notify(kind=IMMEDIATE_KIND, actor=None, target=None, text=text, url="/", recipients=[director])
        settings.EMAIL_BACKEND = "tests.notifications.mail_backends.DropsMidwayBackend"
        assert tasks.send_immediate([director.pk]) == 0
    states = dict(Notification.objects.values_list("text", "email_state"))
    assert states == {"Première": EmailState.FAILED, "Seconde": EmailState.PENDING}

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(THURSDAY_10H + dt.timedelta(minutes=5), tick=False):
        tasks.sweep()
    assert [m.subject for m in mail.outbox] == ["[ENT] Direction (test) : Seconde"]


def test_a_worker_dying_mid_send_leaves_a_failed_row_never_a_second_email(director):
    with time_machine.travel(THURSDAY_10H, tick=False):
        notify(kind=IMMEDIATE_KIND, actor=None, target=None, text="Note", url="/", recipients=[director])
        # The worker claimed it, then died before recording the outcome.
        Notification.objects.update(email_state=EmailState.SENDING, email_claimed_at=THURSDAY_10H)
    with time_machine.travel(THURSDAY_10H + dt.timedelta(minutes=10), tick=False):
        tasks.sweep()
        assert Notification.objects.get().email_state == EmailState.SENDING  # maybe still sending
    with time_machine.travel(THURSDAY_10H + dt.timedelta(minutes=20), tick=False):
        tasks.sweep()
    notification = Notification.objects.get()
    assert notification.email_state == EmailState.FAILED
    assert "interrompu" in notification.email_error
    assert mail.outbox == []


@time_machine.travel(THURSDAY_10H, tick=False)
def test_one_refused_address_does_not_stop_the_others(db, notify_now, settings):
    settings.EMAIL_BACKEND = "tests.notifications.mail_backends.RefusesSomeRecipientsBackend"
    refused, accepted = UserFactory(email="refuse@ecole.test"), UserFactory(email="ok@ecole.test")

    notify_now(recipients=[refused, accepted])

    assert [m.to for m in mail.outbox] == [["ok@ecole.test"]]
    assert Notification.objects.get(recipient=refused).email_state == EmailState.FAILED
    assert Notification.objects.get(recipient=accepted).email_state == EmailState.SENT


@time_machine.travel(THURSDAY_10H, tick=False)
def test_read_before_the_email_left_means_no_email(director, notify_now):
    with mock.patch.object(tasks.send_immediate, "apply_async", side_effect=OperationalError("down")):
        notify_now(recipients=[director])
    notification_mark_read(user=director, notification=Notification.objects.get())

    tasks.sweep()

    assert mail.outbox == []
    assert Notification.objects.get().email_state == EmailState.NONE


# --- Right to disconnect ----------------------------------------------------------------------


def test_immediate_notification_at_21h_is_emailed_at_7h_next_morning_not_before(director, notify_now):
    with time_machine.travel(THURSDAY_21H, tick=False) as traveller:
        notify_now(recipients=[director])
        notification = Notification.objects.get()
        assert notification.deliver_after == dt.datetime(2026, 3, 13, 7, 0, tzinfo=PARIS)
        for moment in (THURSDAY_21H + dt.timedelta(minutes=5), dt.datetime(2026, 3, 13, 6, 55, tzinfo=PARIS)):
            traveller.move_to(moment)
            tasks.sweep()
            assert mail.outbox == []
        traveller.move_to(dt.datetime(2026, 3, 13, 7, 0, tzinfo=PARIS))
        tasks.sweep()
    assert len(mail.outbox) == 1


def test_friday_21h_waits_for_monday_7h(director, notify_now):
    with time_machine.travel(FRIDAY_21H, tick=False) as traveller:
        notify_now(recipients=[director])
        for moment in (SATURDAY_7H, dt.datetime(2026, 3, 15, 12, 0, tzinfo=PARIS), MONDAY_7H - dt.timedelta(minutes=5)):
            traveller.move_to(moment)
            tasks.sweep()
            assert mail.outbox == []
        traveller.move_to(MONDAY_7H)
        tasks.sweep()
    assert len(mail.outbox) == 1


def test_without_quiet_hours_the_email_leaves_at_once(director, notify_now):
    EmailSettings.objects.create(user=director, quiet_hours=False)
    with time_machine.travel(FRIDAY_21H, tick=False):
        notify_now(recipients=[director])
    assert len(mail.outbox) == 1


# --- Preferences and digests ------------------------------------------------------------------


def test_never_sends_nothing(director, notify_now):
    KindPreference.objects.create(user=director, kind=IMMEDIATE_KIND, frequency=Frequency.NEVER)
    KindPreference.objects.create(user=director, kind=DAILY_KIND, frequency=Frequency.NEVER)
    with time_machine.travel(THURSDAY_10H, tick=False):
        notify_now(kind=IMMEDIATE_KIND, recipients=[director])
        notify_now(kind=DAILY_KIND, recipients=[director])
        tasks.sweep()
        tasks.send_digests(Frequency.DAILY)
    with time_machine.travel(MONDAY_7H, tick=False):
        tasks.sweep()
        tasks.send_digests(Frequency.DAILY)
        tasks.send_digests(Frequency.WEEKLY)
    assert mail.outbox == []
    assert Notification.objects.count() == 2  # still on the site


def test_daily_digest_groups_by_app_and_runs_once(teacher, notify_now):
    KindPreference.objects.create(user=teacher, kind=IMMEDIATE_KIND, frequency=Frequency.DAILY)
    with time_machine.travel(THURSDAY_10H, tick=False):
        notify_now(kind=DAILY_KIND, recipients=[teacher], text="Sortie au musée")
        notify_now(kind="tests.comment", recipients=[teacher], text="Un commentaire sur la sortie")
        notify_now(kind=IMMEDIATE_KIND, recipients=[teacher], text="Note de service n°3")
        notify_now(kind=WEEKLY_KIND, recipients=[teacher], text="Outil de la semaine")
        assert mail.outbox == []
    with time_machine.travel(dt.datetime(2026, 3, 13, 7, 0, tzinfo=PARIS), tick=False):
        tasks.send_digests(Frequency.DAILY)
        tasks.send_digests(Frequency.DAILY)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "[ENT] Votre résumé du jour : 3 nouveautés"
    body = message.body
    assert body.index("== Actualités (test) ==") < body.index("Sortie au musée") < body.index("Un commentaire")
    assert body.index("Un commentaire") < body.index("== Direction (test) ==") < body.index("Note de service n°3")
    assert "Outil de la semaine" not in body
    assert "http://127.0.0.1:8000/notifications/preferences/" in body
    html = message.alternatives[0][0]
    assert "<h2>Actualités (test)</h2>" in html and "<h2>Direction (test)</h2>" in html
    digest = Digest.objects.get()
    assert digest.state == Digest.State.SENT
    assert digest.notifications.count() == 3
    assert set(Notification.objects.filter(kind=WEEKLY_KIND).values_list("email_state", flat=True)) == {
        EmailState.PENDING
    }


def test_digest_batch_task_run_twice_sends_once(teacher, notify_now):
    with time_machine.travel(THURSDAY_10H, tick=False):
        notify_now(kind=DAILY_KIND, recipients=[teacher])
        cutoff = dt.datetime.now(tz=PARIS).isoformat()
        tasks.send_digest_batch(Frequency.DAILY, [teacher.pk], cutoff)
        tasks.send_digest_batch(Frequency.DAILY, [teacher.pk], cutoff)
    assert len(mail.outbox) == 1


def test_digest_leaves_out_what_was_read_and_what_came_after_the_cutoff(teacher, notify_now):
    with time_machine.travel(THURSDAY_10H, tick=False):
        notify_now(kind=DAILY_KIND, recipients=[teacher], text="Déjà lue")
        notification_mark_read(user=teacher, notification=Notification.objects.get())
        tasks.send_digests(Frequency.DAILY)
    assert mail.outbox == []
    with time_machine.travel(THURSDAY_10H + dt.timedelta(hours=1), tick=False):
        notify_now(kind=DAILY_KIND, recipients=[teacher], text="Après le résumé")
        delivery.send_digests(Frequency.DAILY, [teacher.pk], cutoff=THURSDAY_10H)
    assert mail.outbox == []


def test_weekend_daily_digest_waits_for_monday_unless_quiet_hours_are_off(teacher, director, notify_now):
    EmailSettings.objects.create(user=director, quiet_hours=False)
    with time_machine.travel(FRIDAY_21H, tick=False):
        notify_now(kind=DAILY_KIND, recipients=[teacher, director])
    with time_machine.travel(SATURDAY_7H, tick=False):
        tasks.send_digests(Frequency.DAILY)
    assert [m.to for m in mail.outbox] == [[director.email]]
    with time_machine.travel(MONDAY_7H, tick=False):
        tasks.send_digests(Frequency.DAILY)
    assert [m.to for m in mail.outbox] == [[director.email], [teacher.email]]


def test_weekly_digest(teacher, notify_now):
    with time_machine.travel(THURSDAY_10H, tick=False):
        notify_now(kind=WEEKLY_KIND, recipients=[teacher], text="Outil de la semaine : Vikidia")
    with time_machine.travel(MONDAY_7H, tick=False):
        tasks.send_digests(Frequency.DAILY)
        assert mail.outbox == []
        tasks.send_digests(Frequency.WEEKLY)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[ENT] Votre résumé de la semaine : 1 nouveauté"
    assert "== Blogs (test) ==" in mail.outbox[0].body


def test_a_failed_digest_is_recorded_and_not_resent(teacher, notify_now, settings):
    with time_machine.travel(THURSDAY_10H, tick=False):
        notify_now(kind=DAILY_KIND, recipients=[teacher])
    settings.EMAIL_BACKEND = "tests.notifications.mail_backends.DropsMidwayBackend"
    with time_machine.travel(MONDAY_7H, tick=False):
        tasks.send_digests(Frequency.DAILY)
    assert Digest.objects.get().state == Digest.State.FAILED
    assert "unexpectedly closed" in Digest.objects.get().error
    assert Notification.objects.get().email_state == EmailState.FAILED
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(MONDAY_7H + dt.timedelta(days=1), tick=False):
        tasks.send_digests(Frequency.DAILY)
    assert mail.outbox == []


def test_list_unsubscribe_header_is_present_and_its_url_works_without_login(teacher, notify_now, client):
    with time_machine.travel(THURSDAY_10H, tick=False):
        notify_now(kind=DAILY_KIND, recipients=[teacher])
        tasks.send_digests(Frequency.DAILY)
    message = mail.outbox[0]
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<http://127.0.0.1:8000/notifications/desabonnement/") and header.endswith(">")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert header[1:-1] in message.body
    assert message.message()["List-Unsubscribe"] == header  # really in the MIME headers

    # RFC 8058: the mail provider POSTs, without cookie nor CSRF token.
    client.handler.enforce_csrf_checks = True
    response = client.post(urlsplit(header[1:-1]).path, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert EmailSettings.objects.get(user=teacher).unsubscribed_at is not None
    with time_machine.travel(THURSDAY_10H + dt.timedelta(hours=1), tick=False):
        notify_now(kind=IMMEDIATE_KIND, recipients=[teacher])
        notify_now(kind=DAILY_KIND, recipients=[teacher])
    with time_machine.travel(MONDAY_7H, tick=False):
        tasks.sweep()
        tasks.send_digests(Frequency.DAILY)
    assert len(mail.outbox) == 1
