"""Filing one's mail: read state, flag, folders (nested one level), trash and restore, emptying
the trash, search without accents or case, « Signaler un abus », XSS in what others typed."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mail import services
from mail.models import AbuseReport, Delivery, Folder, Message
from mail.text import search_key
from tests.factories import send_mail_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def message(inspector, director):
    return send_mail_to(inspector, [director], subject="Réunion des directeurs", body="<p>Le café est offert.</p>")


def _delivery(message, user):
    return Delivery.objects.get(message=message, user=user)


def test_flag_unread_move_trash_restore(client_as, director, message):
    client = client_as(director)
    folder = Folder.objects.create(owner=director, name="Réunions")
    client.get(reverse("mail:message", args=[message.pk]))
    assert client.post(reverse("mail:flag", args=[message.pk]), {"suivi": "1"}).status_code == 302
    assert _delivery(message, director).flagged
    client.post(reverse("mail:mark-unread", args=[message.pk]))
    assert _delivery(message, director).read_at is None
    client.post(reverse("mail:move", args=[message.pk]), {"folder": folder.pk})
    assert _delivery(message, director).folder == folder
    assert "Réunion des directeurs" in client.get(reverse("mail:folder", args=[folder.pk])).content.decode()
    assert "Réunion des directeurs" not in client.get(reverse("mail:inbox")).content.decode()
    client.post(reverse("mail:trash", args=[message.pk]))
    assert _delivery(message, director).trashed_at is not None
    assert "Réunion des directeurs" in client.get(reverse("mail:box", args=["corbeille"])).content.decode()
    assert "Réunion des directeurs" not in client.get(reverse("mail:folder", args=[folder.pk])).content.decode()
    client.post(reverse("mail:restore", args=[message.pk]))
    restored = _delivery(message, director)
    assert restored.trashed_at is None and restored.folder == folder


def test_emptying_the_trash_asks_first_and_keeps_the_message_for_others(client_as, director, inspector, message):
    client = client_as(director)
    client.post(reverse("mail:trash", args=[message.pk]))
    page = client.get(reverse("mail:empty-trash"))
    assert page.status_code == 200 and "1 message sera supprimé" in page.content.decode()
    assert Delivery.objects.filter(user=director).exists()  # asking changed nothing
    client.post(reverse("mail:empty-trash"))
    assert not Delivery.objects.filter(user=director).exists()
    assert Message.objects.filter(pk=message.pk).exists()
    assert client_as(inspector).get(reverse("mail:message", args=[message.pk])).status_code == 200
    assert client_as(director).get(reverse("mail:message", args=[message.pk])).status_code == 404


def test_folders_nest_one_level_and_deleting_one_brings_its_mail_back(client_as, director, message):
    client = client_as(director)
    client.post(reverse("mail:folders"), {"name": "Projets"})
    top = Folder.objects.get(owner=director, name="Projets")
    client.post(reverse("mail:folders"), {"name": "Chorale", "parent": top.pk})
    child = Folder.objects.get(owner=director, name="Chorale")
    assert child.parent == top
    with pytest.raises(ValidationError):
        services.folder_create(actor=director, name="Trop bas", parent=child)
    response = client.post(reverse("mail:folders"), {"name": "projets"})
    assert response.status_code == 200 and "Vous avez déjà un dossier de ce nom" in response.content.decode()
    assert 'value="projets"' in response.content.decode()  # what was typed is kept
    client.post(reverse("mail:folder-rename", args=[child.pk]), {"name": "Chorale 2027"})
    child.refresh_from_db()
    assert child.name == "Chorale 2027"
    services.message_move(actor=director, message=message, folder=child)
    client.post(reverse("mail:folder-delete", args=[top.pk]))
    assert not Folder.objects.filter(owner=director).exists()
    delivery = _delivery(message, director)
    assert delivery.folder is None and delivery.trashed_at is None


def test_the_sidenav_counts_unread_per_box_and_folder(client_as, director, inspector):
    folder = Folder.objects.create(owner=director, name="Classés")
    sub = Folder.objects.create(owner=director, name="Sous-classés", parent=folder)
    send_mail_to(inspector, [director], subject="Un")
    filed = send_mail_to(inspector, [director], subject="Deux")
    Delivery.objects.filter(message=filed, user=director).update(folder=sub)
    html = client_as(director).get(reverse("mail:inbox")).content.decode()
    assert (
        'Boîte de réception <span class="fr-badge fr-badge--sm fr-badge--info fr-ml-1v">1<span class="fr-sr-only"> non lu</span>'
        in html
    )
    assert (
        'Sous-classés <span class="fr-badge fr-badge--sm fr-badge--info fr-ml-1v">1<span class="fr-sr-only"> non lu</span>'
        in html
    )


def test_search_ignores_accents_and_case_and_stays_in_ones_mailbox(client_as, director, teacher, inspector, message):
    send_mail_to(inspector, [teacher], subject="Réunion des enseignants")
    assert search_key("Réunion  des DIRECTEURS") == "reunion des directeurs"
    client = client_as(director)
    for query in ("reunion", "RÉUNION directeurs", "cafe", "inspectrice"):
        html = client.get(reverse("mail:search"), {"q": query}).content.decode()
        assert "Réunion des directeurs" in html, query
        assert "Réunion des enseignants" not in html, query
    html = client.get(reverse("mail:search"), {"q": "piscine"}).content.decode()
    assert "Aucun message ne contient « piscine »" in html


def test_a_recipient_reports_abuse_once_with_a_reason(client_as, director, inspector, message):
    client = client_as(director)
    response = client.post(reverse("mail:report", args=[message.pk]), {"reason": ""})
    assert response.status_code == 200 and not AbuseReport.objects.exists()
    client.post(reverse("mail:report", args=[message.pk]), {"reason": "Propos déplacés"})
    assert AbuseReport.objects.get().reason == "Propos déplacés"
    response = client.post(reverse("mail:report", args=[message.pk]), {"reason": "Encore"})
    assert "Vous avez déjà signalé ce message" in response.content.decode()
    assert AbuseReport.objects.count() == 1
    # The sender has nothing to report of their own message.
    assert client_as(inspector).get(reverse("mail:report", args=[message.pk])).status_code == 404


def test_read_receipt_is_told_before_opening(client_as, director, inspector):
    send_mail_to(inspector, [director], subject="À lire", read_receipt=True)
    html = client_as(director).get(reverse("mail:inbox")).content.decode()
    assert "Accusé de lecture demandé" in html


XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_what_others_typed_is_escaped(client_as, director, inspector):
    message = send_mail_to(inspector, [director], subject=XSS, body=f"<p>Bonjour</p>{XSS}")
    Folder.objects.create(owner=director, name=XSS)
    client = client_as(director)
    for url in (
        reverse("mail:inbox"),
        reverse("mail:message", args=[message.pk]),
        reverse("mail:thread", args=[message.pk]),
        reverse("mail:print", args=[message.pk]),
        reverse("mail:folders"),
        reverse("accounts:home"),
        reverse("mail:search") + "?q=alert",
    ):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<img src=x onerror" not in html and '<img src="x" onerror' not in html, url
