import datetime as dt

import time_machine
from django.core import mail
from django.urls import reverse

from notifications.kinds import Frequency
from notifications.models import EmailState, Notification
from notifications.quiet_hours import PARIS

from .conftest import IMMEDIATE_KIND
from .factories import NotificationFactory

THURSDAY_10H = dt.datetime(2026, 3, 12, 10, 0, tzinfo=PARIS)


def test_admin_lists_and_filters_notifications(admin_user, teacher, client_as):
    NotificationFactory(recipient=teacher, kind=IMMEDIATE_KIND, text="Visible", email_state=EmailState.FAILED)
    NotificationFactory(recipient=teacher, text="Autre", read_at=THURSDAY_10H)
    client = client_as(admin_user)
    url = reverse("admin:notifications_notification_changelist")

    response = client.get(url, {"type": IMMEDIATE_KIND, "lue": "non", "email_state": "failed"})

    assert response.status_code == 200
    assert "Visible" in response.text
    assert "Autre" not in response.text
    assert "Direction (test) — Information aux directeurs (test)" in response.text
    for model in ("digest", "emailsettings", "kindpreference"):
        assert client.get(reverse(f"admin:notifications_{model}_changelist")).status_code == 200


@time_machine.travel(THURSDAY_10H, tick=False)
def test_admin_action_redelivers_failed_emails(admin_user, director, client_as, django_capture_on_commit_callbacks):
    failed = NotificationFactory(
        recipient=director,
        kind=IMMEDIATE_KIND,
        email_frequency=Frequency.IMMEDIATE,
        email_state=EmailState.FAILED,
        email_error="SMTPServerDisconnected",
    )
    sent = NotificationFactory(
        recipient=director, kind=IMMEDIATE_KIND, email_frequency=Frequency.IMMEDIATE, email_state=EmailState.SENT
    )
    client = client_as(admin_user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:notifications_notification_changelist"),
            {"action": "redeliver_failed", "_selected_action": [failed.pk, sent.pk]},
            follow=True,
        )

    assert "1 e-mail(s) remis en file" in response.text
    assert len(mail.outbox) == 1  # the failed one only; the sent one is not sent again
    assert Notification.objects.get(pk=failed.pk).email_state == EmailState.SENT
    assert Notification.objects.get(pk=failed.pk).email_error == ""


def test_admin_is_closed_to_non_staff(teacher, client_as):
    response = client_as(teacher).get(reverse("admin:notifications_notification_changelist"))
    assert response.status_code == 302
