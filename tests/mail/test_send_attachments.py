"""Attachments of a message: uploaded onto the draft (kept when sending fails), bounded in total
(French message), copied when the message is forwarded (the copies are the new message's own)."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from ent.publication import publish_due
from mail import services
from mail.models import Message, MessageStatus
from tests.factories import SchoolFactory, TeamFactory, make_member
from tests.uploads import samples
from uploads.models import MediaFile

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    team = TeamFactory()
    school = SchoolFactory()
    return {
        "ien": make_member(Role.IEN, team, last_login=timezone.now()),
        "director": make_member(Role.DIRECTOR, school, last_login=timezone.now()),
        "teacher": make_member(Role.TEACHER, school, last_login=timezone.now()),
    }


def pdf(name="compte-rendu.pdf"):
    return samples.upload(name, samples.pdf_bytes(), "application/pdf")


def test_attachment_kept_on_the_draft_when_sending_fails(client_as, people):
    client = client_as(people["teacher"])
    response = client.post(
        reverse("mail:compose"),
        {"subject": "Sortie", "to": ["district"], "documents": pdf(), "action": "send", "send_key": str(uuid.uuid4())},
    )
    assert response.status_code == 200 and "Vous ne pouvez pas écrire à" in response.content.decode()
    draft = Message.objects.get()
    assert draft.status == MessageStatus.DRAFT
    assert MediaFile.objects.attached_to(draft).count() == 1
    assert "compte-rendu.pdf" in response.content.decode()


def test_total_size_is_bounded_with_a_french_message(people, settings):
    settings.ENT_MAIL_MAX_ATTACHMENTS_BYTES = 100
    draft = services.draft_save(actor=people["ien"], subject="Gros fichier")
    with pytest.raises(ValidationError) as caught:
        services.attachments_add(actor=people["ien"], message=draft, files={"document": [pdf()]})
    assert "dépasseraient" in " ".join(caught.value.message_dict["documents"])
    assert not MediaFile.objects.exists()


def test_forward_copies_the_attachments(people):
    ien = people["ien"]
    draft = services.draft_save(actor=ien, subject="Compte rendu", addressing={"to": [f"u:{people['director'].pk}"]})
    services.attachments_add(actor=ien, message=draft, files={"document": [pdf()]})
    message = services.message_send(actor=ien, message=draft, send_key=uuid.uuid4())
    publish_due(now=timezone.now() + timedelta(minutes=1))
    message.refresh_from_db()
    forward = services.draft_for_forward(actor=people["director"], message=message)
    assert forward.subject == "TR : Compte rendu" and forward.forwarded_from == message
    original = MediaFile.objects.attached_to(message).get()
    copy = MediaFile.objects.attached_to(forward).get()
    assert copy.pk != original.pk and copy.public_id != original.public_id
    assert copy.original_name == original.original_name and copy.size == original.size
    for name in ("original", "file"):
        if getattr(original, name):
            assert getattr(copy, name).name != getattr(original, name).name
    services.draft_delete(actor=people["director"], message=forward)
    assert MediaFile.objects.filter(pk=original.pk).exists()


def test_a_photo_is_sent_once_declared_without_pupil_and_refused_before(client_as, people):
    client = client_as(people["teacher"])
    post = {
        "subject": "Photos de la sortie",
        "to": ["team"],
        "images": samples.jpeg_upload("sortie.jpg"),
        "images_alt": "Le car devant l’école",
        "action": "send",
        "send_key": str(uuid.uuid4()),
    }
    response = client.post(reverse("mail:compose"), post)
    page = response.content.decode()
    assert response.status_code == 200 and "indiquez les élèves visibles ou entendus" in page
    draft = Message.objects.get()
    assert draft.status == MessageStatus.DRAFT
    image = MediaFile.objects.attached_to(draft).get()
    assert reverse("privacy:media-declare", args=[image.public_id]) in page

    response = client.post(
        reverse("mail:compose"),
        {**post, "images": samples.jpeg_upload("car.jpg"), "media_no_pupil": "on", "send_key": str(uuid.uuid4())},
    )
    assert response.status_code in (200, 302)
    sent = Message.objects.exclude(pk=draft.pk).get()
    assert sent.status == MessageStatus.SCHEDULED
