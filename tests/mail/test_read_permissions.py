"""Who may read what: every reading URL answers 404 to whoever has no delivery of the message and
did not send it (and nothing changes), attachments too; Bcc is the sender's alone; the shared
mailbox is the team's; a recalled message shows nothing of its content to its recipients."""

import pytest
from django.urls import reverse

from accounts.models import Role
from audit.models import Event
from mail.models import AbuseReport, Delivery, Folder, Message
from mail.permissions import can_read_message, messages_visible_to
from tests.conftest import ROLES
from tests.factories import SchoolFactory, TeamFactory, make_member, send_mail_to
from tests.uploads import samples
from uploads.services import media_upload

pytestmark = pytest.mark.django_db

GET_URLS = ["mail:message", "mail:thread", "mail:print", "mail:report"]
POST_URLS = ["mail:flag", "mail:mark-unread", "mail:move", "mail:trash", "mail:restore", "mail:handled", "mail:report"]


@pytest.fixture
def outsider_school():
    return SchoolFactory(name="École des Tilleuls")


@pytest.fixture
def sender(outsider_school):
    return make_member(Role.DIRECTOR, outsider_school, first_name="Serge", last_name="Expéditeur")


@pytest.fixture
def recipient(outsider_school):
    return make_member(Role.TEACHER, outsider_school, first_name="Rita", last_name="Destinataire")


@pytest.fixture
def private(sender, recipient):
    """A message between two people of another school: none of the ROLES fixtures may read it."""
    return send_mail_to(sender, [recipient], subject="Entre nous", body="<p>Confidentiel</p>")


def _state():
    rows = Delivery.objects.order_by("pk").values_list(
        "pk", "read_at", "flagged", "folder_id", "trashed_at", "handled_by_id"
    )
    return (
        list(rows),
        AbuseReport.objects.count(),
        Event.objects.count(),
        Folder.objects.count(),
        Message.objects.count(),
    )


@pytest.mark.parametrize("person", ROLES, indirect=True)
@pytest.mark.parametrize("name", GET_URLS)
def test_reading_pages_are_404_to_whoever_was_not_sent_the_message(client_as, person, name, private):
    before = _state()
    response = client_as(person).get(reverse(name, args=[private.pk]))
    if person is None:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 404
        assert "Entre nous" not in response.content.decode()
    assert _state() == before


@pytest.mark.parametrize("person", ROLES, indirect=True)
@pytest.mark.parametrize("name", POST_URLS)
def test_actions_are_404_to_whoever_was_not_sent_the_message(client_as, person, name, private):
    if person is not None:
        Folder.objects.create(owner=person, name="Classement")
    folder = Folder.objects.first()
    before = _state()
    data = {"suivi": "1", "folder": folder.pk if folder else "", "reason": "Abus"}
    response = client_as(person).post(reverse(name, args=[private.pk]), data)
    assert response.status_code == (302 if person is None else 404)
    assert _state() == before


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_a_folder_is_its_owners_only(client_as, person, sender, private):
    folder = Folder.objects.create(owner=sender, name="Projets")
    Delivery.objects.filter(user=sender).update(folder=folder)
    before = _state()
    client = client_as(person)
    for name in ("mail:folder", "mail:folder-rename", "mail:folder-delete"):
        assert client.get(reverse(name, args=[folder.pk])).status_code == (302 if person is None else 404)
    for name in ("mail:folder-rename", "mail:folder-delete"):
        assert client.post(reverse(name, args=[folder.pk]), {"name": "Piraté"}).status_code == (
            302 if person is None else 404
        )
    assert _state() == before
    assert Folder.objects.get(pk=folder.pk).name == "Projets"


def test_moving_to_someone_elses_folder_is_refused(client_as, sender, recipient, private):
    theirs = Folder.objects.create(owner=sender, name="Le sien")
    before = _state()
    response = client_as(recipient).post(reverse("mail:move", args=[private.pk]), {"folder": theirs.pk})
    assert response.status_code == 302
    assert _state() == before


def test_the_recipient_and_the_sender_read_it(client_as, sender, recipient, private):
    for person in (sender, recipient):
        response = client_as(person).get(reverse("mail:message", args=[private.pk]))
        assert response.status_code == 200 and "Confidentiel" in response.content.decode()


def test_drafts_and_scheduled_messages_are_their_senders_only(client_as, sender, recipient, private):
    draft = Message.objects.create(sender=sender, subject="Brouillon secret")
    assert client_as(recipient).get(reverse("mail:message", args=[draft.pk])).status_code == 404
    assert client_as(sender).get(reverse("mail:message", args=[draft.pk])).status_code == 200


def test_the_list_rule_and_the_check_agree(sender, recipient, private, director, inspector):
    others = send_mail_to(inspector, [director], subject="Autre")
    for person in (sender, recipient, director, inspector):
        listed = set(Message.objects.filter(messages_visible_to(person)).values_list("pk", flat=True))
        checked = {m.pk for m in Message.objects.all() if can_read_message(person, Message.objects.get(pk=m.pk))}
        assert listed == checked
    assert set(Message.objects.filter(messages_visible_to(director)).values_list("pk", flat=True)) == {others.pk}


# --- Bcc -------------------------------------------------------------------------------------------


def test_bcc_is_shown_to_the_sender_only(client_as, sender, recipient, outsider_school):
    hidden = make_member(Role.TEACHER, outsider_school, first_name="Bérénice", last_name="Cachée")
    message = send_mail_to(sender, [recipient], bcc=[hidden], subject="Réunion")
    to_html = client_as(recipient).get(reverse("mail:message", args=[message.pk])).content.decode()
    assert "Bérénice" not in to_html and "Copie cachée" not in to_html
    hidden_html = client_as(hidden).get(reverse("mail:message", args=[message.pk])).content.decode()
    assert "Bérénice" not in hidden_html.split("Vous avez reçu ce message en copie cachée")[0].split("<dl")[-1]
    assert "Vous avez reçu ce message en copie cachée" in hidden_html
    sender_html = client_as(sender).get(reverse("mail:message", args=[message.pk])).content.decode()
    assert "Copie cachée" in sender_html and "Bérénice Cachée" in sender_html
    print_html = client_as(recipient).get(reverse("mail:print", args=[message.pk])).content.decode()
    assert "Bérénice" not in print_html


# --- Attachments -------------------------------------------------------------------------------------


@pytest.fixture
def attachment(django_capture_on_commit_callbacks, sender, private):
    with django_capture_on_commit_callbacks(execute=True):
        media = media_upload(
            file=samples.upload("Compte rendu.pdf", samples.pdf_bytes()),
            kind="document",
            uploaded_by=sender,
            holder=private,
        )
    media.refresh_from_db()
    return media


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_attachments_are_served_to_the_messages_readers_only(client_as, person, attachment):
    response = client_as(person).get(attachment.url("file"))
    assert response.status_code in (302, 403, 404)
    assert response.status_code != 200


def test_attachments_are_served_to_the_recipient_until_recalled(client_as, recipient, sender, private, attachment):
    client = client_as(recipient)
    assert client.get(attachment.url("file")).status_code == 200
    assert "Compte rendu.pdf" in client.get(reverse("mail:message", args=[private.pk])).content.decode()
    Message.objects.filter(pk=private.pk).update(recalled_at=private.published_at)
    assert client.get(attachment.url("file")).status_code in (403, 404)
    assert client_as(sender).get(attachment.url("file")).status_code == 200


# --- Recall ----------------------------------------------------------------------------------------------


def test_a_recalled_message_hides_its_content_from_recipients(client_as, sender, recipient, outsider_school, private):
    other = make_member(Role.TEACHER, outsider_school, first_name="Odile", last_name="Autre")
    message = send_mail_to(sender, [recipient, other], subject="Erreur d’envoi", body="<p>Texte rappelé</p>")
    Message.objects.filter(pk=message.pk).update(recalled_at=message.published_at)
    html = client_as(recipient).get(reverse("mail:message", args=[message.pk])).content.decode()
    assert "Message rappelé" in html
    assert "Texte rappelé" not in html and "Erreur d’envoi" not in html and "Odile" not in html
    assert "Répondre" not in html
    inbox = client_as(recipient).get(reverse("mail:inbox")).content.decode()
    assert "Rappelé" in inbox
    sender_html = client_as(sender).get(reverse("mail:message", args=[message.pk])).content.decode()
    assert "Texte rappelé" in sender_html and "Vous avez rappelé ce message" in sender_html


# --- The shared mailbox ---------------------------------------------------------------------------------


def test_the_team_reads_the_shared_box_together_and_says_who_handles(client_as, director, inspector, counsellor):
    team = TeamFactory()
    message = send_mail_to(director, [], shared_box=team, subject="Question à l’équipe")
    box = client_as(counsellor).get(reverse("mail:box", args=["equipe"])).content.decode()
    assert "Question à l’équipe" in box and "À prendre en charge" in box
    assert client_as(inspector).get(reverse("mail:message", args=[message.pk])).status_code == 200
    shared = Delivery.objects.get(message=message, shared_box=team)
    assert shared.read_at is not None  # read for the whole team
    response = client_as(counsellor).post(reverse("mail:handled", args=[message.pk]))
    assert response.status_code == 302
    shared.refresh_from_db()
    assert shared.handled_by == counsellor
    html = client_as(inspector).get(reverse("mail:message", args=[message.pk])).content.decode()
    assert "Pris en charge par Adrian Conseiller" in html


def test_the_shared_box_is_not_filed_nor_trashed_by_one_member(client_as, director, counsellor):
    team = TeamFactory()
    message = send_mail_to(director, [], shared_box=team, subject="Question")
    before = _state()
    client = client_as(counsellor)
    assert client.post(reverse("mail:trash", args=[message.pk])).status_code == 302
    assert _state() == before


def test_people_outside_the_team_do_not_see_the_shared_box(client_as, director, teacher, rased_member):
    team = TeamFactory()
    message = send_mail_to(director, [], shared_box=team, subject="Question")
    for person in (teacher, rased_member):
        assert client_as(person).get(reverse("mail:message", args=[message.pk])).status_code == 404
        assert client_as(person).post(reverse("mail:handled", args=[message.pk])).status_code == 404
    assert Delivery.objects.get(shared_box=team).handled_by is None
