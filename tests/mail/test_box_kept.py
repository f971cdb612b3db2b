"""A box's page (its side menu and its list) is kept as HTML per person and address
(``mail.views.mailbox._kept_box``, ``ent.fragments``) and shows every change at once: each write to
what it draws bumps the mailbox's version (``mail.lists``: the rows' signals, and the services'
bulk writes)."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from ent.publication import publish_due
from mail import selectors, services
from mail.models import AbuseReport, Delivery, Folder, Message
from mail.views.mailbox import PAGE_SIZE
from tests.factories import MembershipFactory, TeamFactory, send_mail_to
from tests.uploads import samples

pytestmark = pytest.mark.django_db

INBOX = reverse("mail:inbox")
SENT = reverse("mail:box", args=["envoyes"])
DRAFTS = reverse("mail:box", args=["brouillons"])
SCHEDULED = reverse("mail:box", args=["programmes"])
TRASH = reverse("mail:box", args=["corbeille"])
TEAM_BOX = reverse("mail:box", args=["equipe"])


def _kept(client, url=INBOX) -> str:
    """The kept part of a box's page: its side menu, then its list (up to the retention rule)."""
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    return text[text.index('<nav class="fr-sidemenu') : text.index('<p class="fr-text--sm fr-mt-6w ent-muted')]


def _list(client, url=INBOX) -> str:
    text = _kept(client, url)
    return text[text.index("</nav>") :]


def _nav(client, url=INBOX) -> str:
    text = _kept(client, url)
    return text[: text.index("</nav>")]


def _inbox_badge(nav: str) -> str:
    """The inbox's entry of the side menu (its unread count)."""
    start = nav.index(">Boîte de réception")
    return nav[start : nav.index("</a>", start)]


def _send(actor, to, subject, **fields) -> Message:
    """Written, sent and delivered through the services, as the compose page and the worker do."""
    draft = services.draft_save(actor=actor, subject=subject, body="<p>Bonjour</p>", addressing={"to": to}, **fields)
    services.message_send(actor=actor, message=draft, send_key=uuid.uuid4())
    publish_due(now=timezone.now() + dt.timedelta(seconds=30))
    return Message.objects.get(pk=draft.pk)


def _pdf():
    return samples.upload("ordre-du-jour.pdf", samples.pdf_bytes(), "application/pdf")


# --- kept ----------------------------------------------------------------------------------------


def test_a_box_is_drawn_once_then_kept(client_as, director, inspector, monkeypatch):
    send_mail_to(inspector, [director], subject="Conseil d’école")
    calls = []

    def spy(name):
        real = getattr(selectors, name)

        def called(**kwargs):
            calls.append(name)
            return real(**kwargs)

        monkeypatch.setattr(selectors, name, called)

    spy("sidenav")
    spy("box_deliveries")
    client = client_as(director)
    first = _kept(client)
    with CaptureQueriesContext(connection) as log:
        again = _kept(client)
    assert again == first and "Conseil d’école" in again
    assert calls == ["sidenav", "box_deliveries"]  # drawn once
    assert not [q for q in log.captured_queries if "mail_" in q["sql"]]


def test_each_page_of_a_box_is_kept_for_its_address(client_as, director, inspector):
    for number in range(PAGE_SIZE + 1):
        send_mail_to(inspector, [director], subject=f"Message {number:02d}")
    client = client_as(director)
    assert "Message 00" in _list(client, INBOX + "?page=2") and "Message 00" not in _list(client)
    send_mail_to(inspector, [director], subject="Le plus récent")
    assert "Message 01" in _list(client, INBOX + "?page=2")  # one more on page 1 pushed it down


# --- what the inbox draws --------------------------------------------------------------------------


def test_a_message_delivered_shows_in_the_inbox_and_in_the_senders_boxes(client_as, director, inspector):
    reader = client_as(director)
    assert "Aucun message pour le moment" in _list(reader)
    _list(reader)  # kept
    draft = services.draft_save(
        actor=inspector, subject="Évaluations", body="<p>Bonjour</p>", addressing={"to": ["directors"]}
    )
    services.message_send(actor=inspector, message=draft, send_key=uuid.uuid4())
    writer = client_as(inspector)
    assert "Évaluations" in _list(writer, SCHEDULED)  # « Envoyer » waits 15 seconds
    assert "Vous n’avez encore envoyé aucun message" in _list(writer, SENT)
    publish_due(now=timezone.now() + dt.timedelta(seconds=30))
    assert "Évaluations" not in _list(writer, SCHEDULED)
    sent = _list(writer, SENT)
    assert "Évaluations" in sent and "À 1 destinataire" in sent
    inbox = _list(client_as(director))
    assert "Évaluations" in inbox and "Non lu" in inbox and "De Annie Inspectrice" in inbox
    assert "1<span" in _inbox_badge(_nav(client_as(director)))


def test_opening_then_marking_unread_shows_at_once(client_as, director, inspector):
    message = send_mail_to(inspector, [director], subject="Sortie scolaire")
    client = client_as(director)
    assert "Non lu" in _list(client) and "1<span" in _inbox_badge(_nav(client))
    assert client.get(reverse("mail:message", args=[message.pk])).status_code == 200  # services.message_open
    assert "Non lu" not in _list(client) and "<span" not in _inbox_badge(_nav(client))
    client.post(reverse("mail:mark-unread", args=[message.pk]))
    assert "Non lu" in _list(client) and "1<span" in _inbox_badge(_nav(client))


def test_a_flag_shows_at_once(client_as, director, inspector):
    message = send_mail_to(inspector, [director], subject="À relire")
    client = client_as(director)
    assert ">Suivi<" not in _list(client)
    client.post(reverse("mail:flag", args=[message.pk]), {"suivi": "1"})
    assert ">Suivi<" in _list(client)
    services.message_flag(actor=director, message=message, flagged=False)
    assert ">Suivi<" not in _list(client)


def test_filing_in_a_folder_moves_it_between_the_pages_and_their_counts(client_as, director, inspector):
    message = send_mail_to(inspector, [director], subject="Projet d’école")
    folder = Folder.objects.create(owner=director, name="Projets")
    folder_url = reverse("mail:folder", args=[folder.pk])
    client = client_as(director)
    assert "Projet d’école" in _list(client) and "Ce dossier est vide" in _list(client, folder_url)
    client.post(reverse("mail:move", args=[message.pk]), {"folder": folder.pk})
    assert "Projet d’école" not in _list(client)
    assert "Projet d’école" in _list(client, folder_url)
    nav = _nav(client)
    assert "<span" not in _inbox_badge(nav) and 'Projets <span class="fr-badge' in nav  # unread, filed
    services.message_move(actor=director, message=message, folder=None)
    assert "Projet d’école" in _list(client) and "Ce dossier est vide" in _list(client, folder_url)


def test_the_trash_put_in_taken_out_and_emptied(client_as, director, inspector):
    message = send_mail_to(inspector, [director], subject="Ancienne note")
    client = client_as(director)
    assert "La corbeille est vide" in _list(client, TRASH)
    client.post(reverse("mail:trash", args=[message.pk]))
    assert "Ancienne note" not in _list(client) and "Ancienne note" in _list(client, TRASH)
    client.post(reverse("mail:restore", args=[message.pk]))
    assert "Ancienne note" in _list(client) and "La corbeille est vide" in _list(client, TRASH)
    services.message_trash(actor=director, message=message)
    assert "Ancienne note" in _list(client, TRASH)
    client.post(reverse("mail:empty-trash"))  # a batched delete
    assert "La corbeille est vide" in _list(client, TRASH)


def test_folders_made_renamed_and_deleted_show_at_once(client_as, director, inspector):
    message = send_mail_to(inspector, [director], subject="Inscriptions")
    client = client_as(director)
    assert "Aucun dossier pour le moment" in _nav(client)
    client.post(reverse("mail:folders"), {"name": "Rentrée"})
    folder = Folder.objects.get(owner=director)
    assert ">Rentrée" in _nav(client)
    services.message_move(actor=director, message=message, folder=folder)
    folder_url = reverse("mail:folder", args=[folder.pk])
    assert "Rentrée" in _list(client, folder_url)
    client.post(reverse("mail:folder-rename", args=[folder.pk]), {"name": "Rentrée 2026"})
    assert ">Rentrée 2026" in _nav(client) and "Rentrée 2026</h1>" in _list(client, folder_url)
    assert "Inscriptions" not in _list(client)
    client.post(reverse("mail:folder-delete", args=[folder.pk]))  # its messages back to the inbox (an update)
    assert "Aucun dossier pour le moment" in _nav(client) and "Inscriptions" in _list(client)


def test_a_message_purged_leaves_the_inbox(client_as, director, inspector, settings):
    send_mail_to(inspector, [director], subject="Très ancien", delivered_at=timezone.now() - dt.timedelta(days=3))
    client = client_as(director)
    assert "Très ancien" in _list(client)
    services.mail_purge(now=timezone.now() + dt.timedelta(days=settings.ENT_MAIL_RETENTION_DAYS))
    assert "Très ancien" not in _list(client)


# --- recalled ------------------------------------------------------------------------------------


def test_a_recalled_message_shows_recalled_to_its_recipient_and_its_sender(client_as, director, inspector):
    message = _send(inspector, ["directors"], "Envoyé par erreur")
    reader = client_as(director)
    assert "Rappelé" not in _list(reader) and "1<span" in _inbox_badge(_nav(reader))
    services.message_recall(actor=inspector, message=message)
    assert "Rappelé" in _list(reader) and "<span" not in _inbox_badge(_nav(reader))
    writer = client_as(inspector)
    assert "Rappelé" in _list(writer, SENT)


def test_a_message_recalled_by_an_administrator_shows_recalled_and_is_no_longer_unread(
    client_as, director, inspector, admin_user
):
    message = send_mail_to(inspector, [director], subject="Propos déplacés")
    client = client_as(director)
    assert "Rappelé" not in _list(client)
    assert '1<span class="fr-sr-only"> non lu' in client.get(reverse("news:index")).content.decode()  # the menu
    report = services.message_report(actor=director, message=message, reason="Insultant")
    services.report_recall(actor=admin_user, report=report)
    assert AbuseReport.objects.get().status == AbuseReport.Status.ACTED
    assert "Rappelé" in _list(client) and "<span" not in _inbox_badge(_nav(client))
    assert " non lu" not in client.get(reverse("news:index")).content.decode()  # the header's count too


# --- drafts and scheduled messages ---------------------------------------------------------------


def test_a_draft_typed_given_a_file_and_deleted_shows_at_once(client_as, inspector):
    client = client_as(inspector)
    assert "Aucun brouillon" in _list(client, DRAFTS)
    draft = services.draft_save(actor=inspector, subject="Brouillon du jour")
    assert "Brouillon du jour" in _list(client, DRAFTS)
    services.draft_save(actor=inspector, message=draft, subject="Brouillon relu")
    assert "Brouillon relu" in _list(client, DRAFTS)
    assert "avec pièce jointe" not in _list(client, DRAFTS)
    services.attachments_add(actor=inspector, message=draft, files={"document": [_pdf()]})
    assert "avec pièce jointe" in _list(client, DRAFTS)
    media = services.message_attachments(draft).get()
    services.attachments_remove(actor=inspector, message=draft, media_ids=[media.pk])
    assert "avec pièce jointe" not in _list(client, DRAFTS)
    services.draft_delete(actor=inspector, message=draft)
    assert "Aucun brouillon" in _list(client, DRAFTS)


def test_a_forward_shows_in_the_drafts_with_its_files(client_as, director, inspector):
    original = services.draft_save(
        actor=inspector, subject="Calendrier", body="<p>Ci-joint</p>", addressing={"to": ["directors"]}
    )
    services.attachments_add(actor=inspector, message=original, files={"document": [_pdf()]})
    services.message_send(actor=inspector, message=original, send_key=uuid.uuid4())
    publish_due(now=timezone.now() + dt.timedelta(seconds=30))
    client = client_as(director)
    assert "Aucun brouillon" in _list(client, DRAFTS)
    services.draft_for_forward(actor=director, message=Message.objects.get(pk=original.pk))
    drafts = _list(client, DRAFTS)
    assert "TR : Calendrier" in drafts and "avec pièce jointe" in drafts


def test_a_scheduled_message_shows_then_goes_back_to_the_drafts(client_as, inspector):
    draft = services.draft_save(
        actor=inspector, subject="Pour lundi", body="<p>Bonjour</p>", addressing={"to": ["directors"]}
    )
    client = client_as(inspector)
    assert "Pour lundi" in _list(client, DRAFTS) and "Aucun message programmé" in _list(client, SCHEDULED)
    when = timezone.now() + dt.timedelta(days=2)
    services.message_send(actor=inspector, message=draft, send_key=uuid.uuid4(), scheduled_at=when)
    assert "Départ prévu le" in _list(client, SCHEDULED) and "Aucun brouillon" in _list(client, DRAFTS)
    services.message_cancel_schedule(actor=inspector, message=draft)
    assert "Aucun message programmé" in _list(client, SCHEDULED) and "Pour lundi" in _list(client, DRAFTS)


# --- the team's shared mailbox, and who sees what -------------------------------------------------


@pytest.fixture
def team(db):
    return TeamFactory()


def test_the_team_box_is_the_same_for_every_member(client_as, team, counsellor, inspector, teacher):
    message = send_mail_to(teacher, [], shared_box=team, subject="Besoin d’aide en CP")
    theirs = client_as(inspector)
    text = _list(theirs, TEAM_BOX)
    assert "À prendre en charge" in text and "Non lu" in text
    assert 'Équipe de circonscription <span class="fr-badge' in _nav(theirs)
    services.message_open(actor=counsellor, message=message)  # read for the whole team
    assert "Non lu" not in _list(client_as(inspector), TEAM_BOX)
    services.message_flag(actor=counsellor, message=message, flagged=True)
    assert ">Suivi<" in _list(client_as(inspector), TEAM_BOX)
    services.message_handle(actor=counsellor, message=message)
    assert "Pris en charge par Adrian Conseiller" in _list(client_as(inspector), TEAM_BOX)


def test_a_message_written_for_the_team_shows_in_its_box(client_as, team, counsellor, inspector):
    client = client_as(counsellor)
    assert "Aucun message pour le moment" in _list(client, TEAM_BOX)
    _send(inspector, ["directors"], "Au nom de l’équipe", sent_as=team)  # the team's own copy
    text = _list(client_as(counsellor), TEAM_BOX)
    assert "Au nom de l’équipe" in text and "au nom de Équipe de circonscription" in text


def test_a_structure_renamed_shows_in_au_nom_de(client_as, team, inspector):
    _send(inspector, ["directors"], "Note de service", sent_as=team)
    client = client_as(inspector)
    assert "au nom de Équipe de circonscription" in _list(client, SENT)
    team.name = "Équipe de la circonscription de Mirebeau"
    team.save()
    assert "au nom de Équipe de la circonscription de Mirebeau" in _list(client, SENT)


def test_each_person_is_served_their_own_box(client_as, director, teacher, inspector, counsellor):
    send_mail_to(inspector, [director], subject="Pour la directrice")
    send_mail_to(inspector, [teacher], subject="Pour l’enseignant")
    assert "Pour la directrice" in _list(client_as(director))
    text = _list(client_as(teacher))
    assert "Pour l’enseignant" in text and "Pour la directrice" not in text
    assert "Équipe de circonscription" in _nav(client_as(counsellor))
    client = client_as(teacher)
    assert "Équipe de circonscription" not in _nav(client)
    assert client.get(TEAM_BOX).status_code == 404


def test_joining_the_team_shows_its_box_at_once(client_as, teacher, team):
    client = client_as(teacher)
    assert "Équipe de circonscription" not in _nav(client)
    MembershipFactory(role=Role.CPC, structure=team, user=teacher)
    assert "Équipe de circonscription" in _nav(client)
    assert client.get(TEAM_BOX).status_code == 200


def test_a_delivery_changed_in_the_admin_or_a_factory_shows(client_as, director, inspector):
    """Whatever saves a delivery (here, a plain ``save()``, as the admin or a factory would) bumps its
    mailbox's version: ``post_save`` of ``Delivery``."""
    message = send_mail_to(inspector, [director], subject="Réunion")
    client = client_as(director)
    assert ">Suivi<" not in _list(client)
    delivery = Delivery.objects.get(message=message, user=director)
    delivery.flagged = True
    delivery.save()
    assert ">Suivi<" in _list(client)


def test_a_correspondent_renamed_or_deleted_shows_at_once(client_as, team, counsellor, inspector, teacher):
    send_mail_to(inspector, [counsellor], subject="De l’inspectrice")
    message = send_mail_to(teacher, [], shared_box=team, subject="Pour l’équipe")
    services.message_handle(actor=inspector, message=message)
    client = client_as(counsellor)
    assert "De Annie Inspectrice" in _list(client)
    assert "Pris en charge par Annie Inspectrice" in _list(client, TEAM_BOX)
    inspector.last_name = "Martin"
    inspector.save()
    assert "De Annie Martin" in _list(client)
    assert "Pris en charge par Annie Martin" in _list(client, TEAM_BOX)
    inspector.delete()
    assert "Compte supprimé" in _list(client)
