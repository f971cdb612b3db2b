"""Retention: the inbox and the shared mailbox are purged after ENT_MAIL_RETENTION_DAYS, the trash
after ENT_MAIL_TRASH_DAYS; what is filed in a folder, the sender's copies and drafts stay; a message
left in no mailbox goes, with its attachments. Time is frozen and moved with time_machine."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from mail.models import AbuseReport, Delivery, Folder, Message
from mail.services import mail_purge
from mail.tasks import purge
from tests.factories import TeamFactory, send_mail_to
from tests.uploads import samples
from uploads.models import MediaFile
from uploads.services import media_upload

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)


def test_the_defaults_are_three_years_and_thirty_days():
    assert settings.ENT_MAIL_RETENTION_DAYS == 1095
    assert settings.ENT_MAIL_TRASH_DAYS == 30
    assert settings.CELERY_BEAT_SCHEDULE["mail-purge"]["task"] == "mail.purge"


def test_purge_keeps_what_is_filed_and_deletes_what_is_left(
    inspector, director, teacher, django_capture_on_commit_callbacks
):
    with time_machine.travel(START, tick=False):
        team = TeamFactory()
        left = send_mail_to(inspector, [director], subject="Laissé")
        filed = send_mail_to(inspector, [director], subject="Classé")
        trashed = send_mail_to(inspector, [teacher], subject="Jeté")
        shared = send_mail_to(director, [], shared_box=team, subject="À l’équipe")
        draft = Message.objects.create(sender=inspector, subject="Brouillon")
        with django_capture_on_commit_callbacks(execute=True):
            media = media_upload(
                file=samples.upload("Note.pdf", samples.pdf_bytes()),
                kind="document",
                uploaded_by=inspector,
                holder=left,
            )
        folder = Folder.objects.create(owner=director, name="Gardés")
        Delivery.objects.filter(message=filed, user=director).update(folder=folder)

    with time_machine.travel(START + dt.timedelta(days=10), tick=False):
        Delivery.objects.filter(message=trashed, user=teacher).update(trashed_at=timezone.now())
        # The senders also throw away their copies of « Laissé » and « Jeté ».
        Delivery.objects.filter(message__in=[left, trashed], field="sender").update(trashed_at=timezone.now())

    with time_machine.travel(START + dt.timedelta(days=39), tick=False):
        assert mail_purge() == {"trash": 0, "inbox": 0, "messages": 0}

    with time_machine.travel(START + dt.timedelta(days=41), tick=False):
        counts = mail_purge()
    assert counts == {"trash": 3, "inbox": 0, "messages": 1}  # « Jeté » is in no mailbox any more
    assert not Message.objects.filter(pk=trashed.pk).exists()
    assert Delivery.objects.filter(message=left, user=director).exists()

    with time_machine.travel(START + dt.timedelta(days=1094), tick=False):
        assert mail_purge()["inbox"] == 0

    with time_machine.travel(START + dt.timedelta(days=1096), tick=False):
        counts = purge()  # the beat task itself
    assert counts["inbox"] == 2  # the director's « Laissé », the team's shared copy
    assert not Message.objects.filter(pk=left.pk).exists()
    assert not MediaFile.objects.filter(pk=media.pk).exists()  # attachments go with their message
    assert Delivery.objects.filter(message=filed, user=director, folder=folder).exists()
    assert Message.objects.filter(pk=filed.pk).exists()
    assert Message.objects.filter(pk=draft.pk).exists()
    assert Message.objects.filter(pk=shared.pk).exists()  # the director's sender copy keeps it
    assert not Delivery.objects.filter(message=shared, shared_box=team).exists()
    with time_machine.travel(START + dt.timedelta(days=1097), tick=False):
        assert mail_purge() == {"trash": 0, "inbox": 0, "messages": 0}  # idempotent


def test_a_message_under_report_is_kept_for_the_administrators(inspector, director):
    with time_machine.travel(START, tick=False):
        message = send_mail_to(inspector, [director], subject="Signalé")
        AbuseReport.objects.create(message=message, reporter=director, reason="Abus")
        Delivery.objects.filter(message=message).update(trashed_at=timezone.now())
    with time_machine.travel(START + dt.timedelta(days=31), tick=False):
        counts = mail_purge()
    assert counts["trash"] == 2 and counts["messages"] == 0
    assert Message.objects.filter(pk=message.pk).exists()


def test_the_rule_is_shown_in_the_mailbox(client_as, director):
    html = client_as(director).get(reverse("mail:inbox")).content.decode()
    assert (
        "Les messages de la boîte de réception sont supprimés après 3 ans, ceux de la corbeille après 30 jours ; "
        "classez-les dans un dossier pour les garder." in html
    )


def test_the_rule_follows_the_settings(client_as, director, settings):
    settings.ENT_MAIL_RETENTION_DAYS = 365
    settings.ENT_MAIL_TRASH_DAYS = 1
    html = client_as(director).get(reverse("mail:inbox")).content.decode()
    assert "supprimés après 1 an, ceux de la corbeille après 1 jour ;" in html
