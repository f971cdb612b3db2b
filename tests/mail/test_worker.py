"""A message goes through Redis to a real Celery worker: delivered once after « Annuler l’envoi »'s
delay, and its notification e-mail says who wrote and the subject, never the body."""

import uuid

import pytest

from accounts.models import Role
from mail.models import Delivery, Message, MessageStatus
from mail.services import draft_save, message_send
from notifications.models import EmailSettings, EmailState, Notification
from tests.factories import make_member

pytestmark = [pytest.mark.services, pytest.mark.slow]


def test_a_real_worker_delivers_the_message_and_its_email_once(celery_worker_process, counsellor, school):
    director = make_member(Role.DIRECTOR, school, first_name="Delphine", last_name="Directrice")
    EmailSettings.objects.create(user=director, quiet_hours=False)  # whatever the hour of the test run
    draft = draft_save(
        actor=counsellor,
        subject="Animation numérique du 14 janvier",
        body="<p>Le code de la salle est 4821.</p>",
        addressing={"to": [f"d:{school.pk}"]},
    )
    key = uuid.uuid4()
    message = message_send(actor=counsellor, message=draft, send_key=key)
    message_send(actor=counsellor, message=draft, send_key=key)  # a double click: the same message

    def emailed():
        return Notification.objects.filter(
            recipient=director, kind="mail.received", email_state=EmailState.SENT
        ).exists()

    # The countdown task runs after the undo delay (15 s), then the e-mail task.
    celery_worker_process.wait_for(emailed, what="The notification e-mail of the message", timeout=60)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert Delivery.objects.filter(message=message, user=director).count() == 1
    assert Message.objects.filter(subject="Animation numérique du 14 janvier").count() == 1

    mails = [m for m in celery_worker_process.mails() if f"To: {director.email}" in m]
    assert len(mails) == 1
    assert "Animation num" in mails[0]  # the subject (the e-mail may encode its accents)
    assert "4821" not in mails[0]  # never the body
