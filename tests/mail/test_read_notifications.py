"""« Nouveau message »: the kind ``mail.received`` (immediate by default, for everyone with a
mailbox) and its e-mail, which says who wrote and the subject, never the body, and links to the site."""

import datetime as dt

import pytest
import time_machine
from django.core import mail as outbox
from django.urls import reverse

from notifications import kinds
from notifications.services import notify
from tests.factories import send_mail_to

pytestmark = pytest.mark.django_db


def test_the_kind_is_immediate_for_everyone_with_a_mailbox(director, teacher, rased_member, admin_user):
    kind = kinds.get("mail.received")
    assert kind.default_frequency == kinds.Frequency.IMMEDIATE
    assert kind.app_name == "Messagerie"
    assert all(kind.can_receive(person) for person in (director, teacher, rased_member, admin_user))


def test_the_email_names_the_sender_and_subject_never_the_body(
    inspector, director, settings, django_capture_on_commit_callbacks
):
    settings.ENT_SITE_URL = "https://ent.example.fr"
    message = send_mail_to(
        inspector, [director], subject="Conseil des maîtres", body="<p>CORPS-CONFIDENTIEL du message</p>"
    )
    url = reverse("mail:message", args=[message.pk])
    # On a Tuesday morning, outside quiet hours: the e-mail leaves at once.
    with (
        time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        notify(
            kind="mail.received",
            actor=inspector,
            target=message,
            text=f"{inspector.get_full_name()} vous a écrit : {message.subject}",
            url=url,
            recipients=[director],
            key=f"mail.received:{message.pk}",
        )
    sent = [m for m in outbox.outbox if director.email in m.to]
    assert len(sent) == 1
    email = sent[0]
    texts = [email.subject, email.body, *(content for content, _ in email.alternatives)]
    assert all("CORPS-CONFIDENTIEL" not in text for text in texts)
    assert "Annie Inspectrice vous a écrit : Conseil des maîtres" in email.body
    # The link opens the notification on the site, which leads to the message.
    notification = director.notifications.get()
    assert notification.url == url
    assert (
        f"Voir sur l’ENT : https://ent.example.fr{reverse('notifications:open', args=[notification.pk])}" in email.body
    )


def test_opening_the_message_marks_its_notification_read(client_as, inspector, director):
    message = send_mail_to(inspector, [director], subject="À lire")
    notify(
        kind="mail.received",
        actor=inspector,
        target=message,
        text="Annie Inspectrice vous a écrit : À lire",
        url=reverse("mail:message", args=[message.pk]),
        recipients=[director],
    )
    client_as(director).get(reverse("mail:message", args=[message.pk]))
    assert not director.notifications.filter(read_at__isnull=True).exists()
