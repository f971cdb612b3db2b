"""Web Push: a push service on loopback receives each notice once per device, encrypted (RFC 8291)
and signed (VAPID, RFC 8292); gone devices are dropped; preferences and quiet hours are respected.

Tasks run inline here (SQLite, Celery eager): ``test_push_worker.py`` does the same through a real
worker on Redis and PostgreSQL."""

import datetime as dt
import uuid

import pytest
import time_machine
from django.urls import reverse

from mail.services import draft_save, message_send
from notifications import push, tasks
from notifications.kinds import receivable_by
from notifications.models import (
    EmailSettings,
    KindPreference,
    Notification,
    PushDelivery,
    PushState,
    PushSubscription,
)
from notifications.quiet_hours import PARIS
from notifications.services import notification_mark_read, notify, preferences_save, push_subscribe
from tests.factories import UserFactory

from .conftest import DAILY_KIND, IMMEDIATE_KIND
from .push_service import Device, PushService, check_vapid

VAPID_KEY = "UMKIzhQEmLraEZiSmaL-FOJ-mkp491Zm9wKGavl3Klw"
VAPID_PUBLIC = "BNGc2lMrM5kYKgrn7vxqyHxrnVG2edx7x-YaP8o99E-SjNpbOnHLWqGjqy-cIRyUesQSx0jWsLMFVwUZXBNAe1k"
THURSDAY_10H = dt.datetime(2026, 3, 12, 10, 0, tzinfo=PARIS)
THURSDAY_21H = dt.datetime(2026, 3, 12, 21, 0, tzinfo=PARIS)


@pytest.fixture
def push_service(settings):
    service = PushService()
    settings.ENT_PUSH_SERVICES = [*settings.ENT_PUSH_SERVICES, service.origin]
    settings.ENT_VAPID_PRIVATE_KEY = VAPID_KEY
    settings.ENT_VAPID_SUBJECT = "mailto:ent@circonscription.test"
    yield service
    service.close()


def _device_for(user, service, name, **kwargs):
    device = Device()
    subscription = push_subscribe(
        user=user, endpoint=service.endpoint(name), p256dh=device.p256dh, auth=device.auth, label="Chrome sur Android"
    )
    return device, subscription


def _notify(recipients, kind=IMMEDIATE_KIND, text="Note de service n° 7 : sortie au musée", **kwargs):
    return notify(kind=kind, actor=None, target=None, text=text, url="/actualites/7/", recipients=recipients, **kwargs)


@time_machine.travel(THURSDAY_10H, tick=False)
def test_each_device_receives_the_notice_once_encrypted_and_signed(
    push_service, director, django_capture_on_commit_callbacks
):
    phone, phone_subscription = _device_for(director, push_service, "telephone")
    laptop, _ = _device_for(director, push_service, "portable")

    with django_capture_on_commit_callbacks(execute=True):
        _notify([director])

    notification = Notification.objects.get(recipient=director)
    assert notification.push_state == PushState.SENT
    assert [len(push_service.to(name)) for name in ("telephone", "portable")] == [1, 1]
    for device, name in ((phone, "telephone"), (laptop, "portable")):
        request = push_service.to(name)[0]
        assert request.headers["content-encoding"] == "aes128gcm"
        assert request.headers["ttl"] == str(push.PUSH_TTL)
        claims = check_vapid(request.headers, public_key=VAPID_PUBLIC, audience=push_service.origin)
        assert claims["sub"] == "mailto:ent@circonscription.test"
        assert device.decrypt(request.body) == {
            "title": "ENT — Direction (test)",
            "body": "Note de service n° 7 : sortie au musée",
            "url": f"/notifications/{notification.pk}/",
            "tag": f"notification-{notification.pk}",
            "icon": "/static/ent/icons/icon-192.png",
            "badge": "/static/ent/icons/icon-96.png",
        }
    # The other device's keys cannot read it.
    with pytest.raises(Exception):  # noqa: B017 — any decryption failure
        laptop.decrypt(push_service.to("telephone")[0].body)
    assert PushDelivery.objects.filter(notification=notification, state=PushDelivery.State.SENT).count() == 2
    phone_subscription.refresh_from_db()
    assert phone_subscription.last_sent_at is not None

    # The same work again (a retry, a duplicated task, the sweep): nothing more leaves.
    assert tasks.send_push([director.pk]) == 0
    tasks.sweep()
    # Even a notice put back by hand reaches no device twice (one delivery row per notice and device).
    Notification.objects.filter(pk=notification.pk).update(push_state=PushState.PENDING)
    assert push.send_push([director.pk]) == 0
    assert len(push_service.received) == 2


@pytest.mark.parametrize("status", [404, 410])
@time_machine.travel(THURSDAY_10H, tick=False)
def test_a_device_the_push_service_says_is_gone_is_dropped(
    push_service, director, status, django_capture_on_commit_callbacks
):
    _device_for(director, push_service, "ancien")
    _, kept = _device_for(director, push_service, "nouveau")
    push_service.answers["/push/ancien"] = status

    with django_capture_on_commit_callbacks(execute=True):
        _notify([director])

    assert list(PushSubscription.objects.filter(user=director)) == [kept]
    failed = PushDelivery.objects.get(state=PushDelivery.State.FAILED)
    assert (failed.status_code, failed.subscription, failed.endpoint_host) == (status, None, "127.0.0.1")
    assert len(push_service.to("nouveau")) == 1


@time_machine.travel(THURSDAY_10H, tick=False)
def test_a_failing_push_service_keeps_the_device_and_records_the_error(
    push_service, director, django_capture_on_commit_callbacks
):
    _, subscription = _device_for(director, push_service, "en-panne")
    push_service.answers["/push/en-panne"] = 500

    with django_capture_on_commit_callbacks(execute=True):
        _notify([director])

    assert PushSubscription.objects.filter(pk=subscription.pk).exists()
    delivery = PushDelivery.objects.get()
    assert (delivery.state, delivery.status_code) == (PushDelivery.State.FAILED, 500)
    # At most once: not retried on its own (the service may have shown it).
    assert push.send_push([director.pk]) == 0
    assert len(push_service.received) == 1


@time_machine.travel(THURSDAY_10H, tick=False)
def test_a_message_is_pushed_with_who_and_what_never_its_body(
    push_service, director, counsellor, django_capture_on_commit_callbacks
):
    EmailSettings.objects.create(user=director, quiet_hours=False)
    device, _ = _device_for(director, push_service, "telephone")
    with django_capture_on_commit_callbacks(execute=True):
        draft = draft_save(
            actor=counsellor,
            subject="Animation numérique du 14 janvier",
            body="<p>Le code de la salle est 4821.</p>",
            addressing={"to": [f"u:{director.pk}"]},
        )
        message_send(actor=counsellor, message=draft, send_key=uuid.uuid4())
    with time_machine.travel(THURSDAY_10H + dt.timedelta(minutes=1), tick=False):
        from ent.publication import publish_due

        with django_capture_on_commit_callbacks(execute=True):
            publish_due()

    assert len(push_service.to("telephone")) == 1
    shown = device.decrypt(push_service.to("telephone")[0].body)
    assert shown["title"] == "ENT — Messagerie"
    assert counsellor.get_full_name() in shown["body"]
    assert "Animation numérique du 14 janvier" in shown["body"]
    assert "4821" not in push_service.to("telephone")[0].body.decode("latin-1")
    assert "4821" not in str(shown)


@time_machine.travel(THURSDAY_21H, tick=False)
def test_quiet_hours_hold_the_push_until_the_morning(push_service, director, django_capture_on_commit_callbacks):
    _device_for(director, push_service, "telephone")

    with django_capture_on_commit_callbacks(execute=True):
        _notify([director])

    notification = Notification.objects.get(recipient=director)
    assert notification.push_state == PushState.PENDING
    assert notification.push_after == dt.datetime(2026, 3, 13, 7, 0, tzinfo=PARIS)
    tasks.sweep()
    assert push_service.received == []

    with time_machine.travel(dt.datetime(2026, 3, 13, 7, 1, tzinfo=PARIS), tick=False):
        tasks.sweep()
    assert len(push_service.to("telephone")) == 1


@time_machine.travel(THURSDAY_21H, tick=False)
def test_a_notice_read_before_the_morning_is_not_pushed(push_service, director, django_capture_on_commit_callbacks):
    _device_for(director, push_service, "telephone")
    with django_capture_on_commit_callbacks(execute=True):
        _notify([director])
    notification = Notification.objects.get(recipient=director)

    notification_mark_read(user=director, notification=notification)

    notification.refresh_from_db()
    assert notification.push_state == PushState.NONE
    with time_machine.travel(dt.datetime(2026, 3, 13, 7, 1, tzinfo=PARIS), tick=False):
        tasks.sweep()
    assert push_service.received == []


@time_machine.travel(THURSDAY_10H, tick=False)
def test_preferences_choose_which_kinds_are_pushed(push_service, director, django_capture_on_commit_callbacks):
    _device_for(director, push_service, "telephone")
    preferences_save(
        user=director,
        frequencies={IMMEDIATE_KIND: "immediate", DAILY_KIND: "daily"},
        quiet_hours=True,
        push={IMMEDIATE_KIND: False, DAILY_KIND: True},
    )
    assert KindPreference.objects.get(user=director, kind=IMMEDIATE_KIND).push is False

    with django_capture_on_commit_callbacks(execute=True):
        _notify([director], text="Pas sur le téléphone")
        _notify([director], kind=DAILY_KIND, text="Sur le téléphone")

    assert Notification.objects.get(text="Pas sur le téléphone").push_state == PushState.NONE
    assert len(push_service.received) == 1
    assert Notification.objects.get(text="Sur le téléphone").push_state == PushState.SENT


@time_machine.travel(THURSDAY_21H, tick=False)
def test_turning_a_kind_off_drops_its_waiting_pushes(push_service, director, django_capture_on_commit_callbacks):
    _device_for(director, push_service, "telephone")
    with django_capture_on_commit_callbacks(execute=True):
        _notify([director])

    preferences_save(
        user=director, frequencies={IMMEDIATE_KIND: "immediate"}, quiet_hours=True, push={IMMEDIATE_KIND: False}
    )

    assert Notification.objects.get(recipient=director).push_state == PushState.NONE


@time_machine.travel(THURSDAY_10H, tick=False)
def test_people_without_a_device_cost_no_push_task(push_service, director, teacher, monkeypatch):
    queued = []
    monkeypatch.setattr("notifications.services._enqueue_push_on_commit", queued.append)
    _device_for(teacher, push_service, "telephone")

    _notify([director, teacher])

    states = dict(Notification.objects.values_list("recipient", "push_state"))
    assert states == {director.pk: PushState.NONE, teacher.pk: PushState.PENDING}
    assert queued == [[teacher.pk]]


def test_a_subscription_pointing_elsewhere_than_a_push_service_is_refused(push_service, director):
    device = Device()
    for endpoint in ("http://127.0.0.1:1/admin/", "https://intranet.local/push", "file:///etc/passwd"):
        with pytest.raises(ValueError):
            push_subscribe(user=director, endpoint=endpoint, p256dh=device.p256dh, auth=device.auth, label="x")
    with pytest.raises(ValueError):
        push_subscribe(user=director, endpoint=push_service.endpoint("a"), p256dh="AAAA", auth=device.auth, label="x")
    assert not PushSubscription.objects.exists()


def test_the_same_device_subscribed_by_someone_else_now_belongs_to_them(push_service, director, teacher):
    device = Device()
    first = push_subscribe(
        user=director, endpoint=push_service.endpoint("partage"), p256dh=device.p256dh, auth=device.auth, label="a"
    )
    again = push_subscribe(
        user=teacher, endpoint=push_service.endpoint("partage"), p256dh=device.p256dh, auth=device.auth, label="b"
    )
    assert again.pk == first.pk
    assert list(PushSubscription.objects.values_list("user", "label")) == [(teacher.pk, "b")]


# --- Pages ------------------------------------------------------------------------------------


def test_the_profile_lists_the_devices_and_offers_this_one(client, director, push_service):
    _device_for(director, push_service, "telephone")
    client.force_login(director)

    response = client.get(reverse("accounts:profile"))

    html = response.content.decode()
    assert "Recevoir les notifications sur cet appareil" in html
    assert "Chrome sur Android" in html
    assert f'data-ent-push-key="{VAPID_PUBLIC}"' in html
    assert "ent/push.js" in html


def test_subscribing_from_the_browser_records_the_device(client, director, push_service):
    device = Device()
    client.force_login(director)

    response = client.post(
        reverse("notifications:push-subscribe"),
        {"endpoint": push_service.endpoint("x"), "p256dh": device.p256dh, "auth": device.auth},
        HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36",
    )

    assert response.status_code == 201
    subscription = PushSubscription.objects.get()
    assert (subscription.user, subscription.label, subscription.p256dh) == (
        director,
        "Chrome sur Android",
        device.p256dh,
    )
    assert response.json() == {"id": subscription.pk, "label": "Chrome sur Android"}


def test_a_refused_subscription_answers_400_and_saves_nothing(client, director, push_service):
    client.force_login(director)
    response = client.post(reverse("notifications:push-subscribe"), {"endpoint": "https://evil.test/", "p256dh": ""})
    assert response.status_code == 400
    assert "error" in response.json()
    assert not PushSubscription.objects.exists()


def test_anonymous_visitors_cannot_subscribe(db, client, push_service):
    device = Device()
    response = client.post(
        reverse("notifications:push-subscribe"),
        {"endpoint": push_service.endpoint("x"), "p256dh": device.p256dh, "auth": device.auth},
    )
    assert response.status_code == 302
    assert not PushSubscription.objects.exists()


def test_someone_elses_device_answers_404_and_stays(client, director, push_service):
    _, subscription = _device_for(director, push_service, "telephone")
    client.force_login(UserFactory())

    response = client.post(reverse("notifications:push-unsubscribe", args=[subscription.pk]))

    assert response.status_code == 404
    assert PushSubscription.objects.filter(pk=subscription.pk).exists()


def test_removing_my_device(client, director, push_service):
    _, subscription = _device_for(director, push_service, "telephone")
    client.force_login(director)

    response = client.post(reverse("notifications:push-unsubscribe", args=[subscription.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile") + "#appareils"
    assert not PushSubscription.objects.exists()


def test_the_preferences_page_offers_the_device_channel_per_kind(client, director, push_service):
    client.force_login(director)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "sur mes appareils" in page
    data = {"kind_" + kind.key.replace(".", "__"): kind.default_frequency for kind in receivable_by(director)}
    data["push_" + DAILY_KIND.replace(".", "__")] = "on"

    response = client.post(reverse("notifications:preferences"), data)

    assert response.status_code == 302
    # A ticked box is a "yes" for its kind, an unticked one a "no".
    assert KindPreference.objects.get(user=director, kind=DAILY_KIND).push is True
    assert KindPreference.objects.get(user=director, kind=IMMEDIATE_KIND).push is False


@time_machine.travel(THURSDAY_10H, tick=False)
def test_the_admin_lists_devices_and_pushes_without_their_keys(
    client_as, admin_user, director, push_service, django_capture_on_commit_callbacks
):
    device, subscription = _device_for(director, push_service, "telephone")
    with django_capture_on_commit_callbacks(execute=True):
        _notify([director])
    client = client_as(admin_user)

    pages = [
        reverse("admin:notifications_pushsubscription_changelist"),
        reverse("admin:notifications_pushsubscription_change", args=[subscription.pk]),
        reverse("admin:notifications_pushdelivery_changelist"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert device.p256dh not in response.content.decode()
        assert device.auth not in response.content.decode()
    assert "Chrome sur Android" in client.get(pages[0]).content.decode()
    response = client.post(
        reverse("admin:notifications_pushsubscription_delete", args=[subscription.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert PushSubscription.objects.filter(pk=subscription.pk).exists()
