"""A push goes through Redis to a real Celery worker process, which sends it to a push service on
loopback: the test decrypts it with the device's keys. Needs PostgreSQL and Redis (``services``)."""

import pytest

from notifications import tasks
from notifications.models import EmailSettings, Notification, PushDelivery, PushState, PushSubscription
from notifications.services import notify, push_subscribe

from .conftest import IMMEDIATE_KIND
from .push_service import Device, PushService, check_vapid
from .test_push import VAPID_KEY, VAPID_PUBLIC

pytestmark = [pytest.mark.services, pytest.mark.slow]


@pytest.fixture
def push_service(monkeypatch, settings):
    """Started before the worker, which reads the push services and the VAPID key from its environment."""
    service = PushService()
    for name, value in {
        "ENT_PUSH_SERVICES": service.origin,
        "ENT_VAPID_PRIVATE_KEY": VAPID_KEY,
        "ENT_VAPID_SUBJECT": "mailto:ent@circonscription.test",
    }.items():
        monkeypatch.setenv(name, value)
        setattr(settings, name, [value] if name == "ENT_PUSH_SERVICES" else value)
    yield service
    service.close()


def test_a_real_worker_pushes_each_notice_once_and_drops_a_gone_device(push_service, celery_worker_process, director):
    EmailSettings.objects.create(user=director, quiet_hours=False)  # whatever the hour of the test run
    phone = Device()
    push_subscribe(
        user=director, endpoint=push_service.endpoint("telephone"), p256dh=phone.p256dh, auth=phone.auth, label="a"
    )
    old = Device()
    push_subscribe(user=director, endpoint=push_service.endpoint("ancien"), p256dh=old.p256dh, auth=old.auth, label="b")
    push_service.answers["/push/ancien"] = 410

    notify(
        kind=IMMEDIATE_KIND, actor=None, target=None, text="Conseil des maîtres jeudi", url="/", recipients=[director]
    )
    celery_worker_process.wait_for(
        lambda: PushDelivery.objects.count() == 2 and not PushSubscription.objects.filter(label="b").exists(),
        what="The pushes",
    )

    # The same work queued again: nothing more leaves. A later notice tells when the worker is through.
    tasks.send_push.delay([director.pk])
    tasks.sweep.delay()
    notify(kind=IMMEDIATE_KIND, actor=None, target=None, text="Note suivante", url="/", recipients=[director])
    celery_worker_process.wait_for(lambda: len(push_service.to("telephone")) >= 2, what="The later push")

    first, later = push_service.to("telephone")
    assert phone.decrypt(first.body)["body"] == "Conseil des maîtres jeudi"
    assert phone.decrypt(later.body)["body"] == "Note suivante"
    check_vapid(first.headers, public_key=VAPID_PUBLIC, audience=push_service.origin)
    assert len(push_service.to("ancien")) == 1
    assert list(PushSubscription.objects.values_list("label", flat=True)) == ["a"]
    assert set(Notification.objects.values_list("push_state", flat=True)) == {PushState.SENT}
