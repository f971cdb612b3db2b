"""The mailbox's pages as a recipient, a sender and a team member see them."""

import pytest
from django.urls import reverse

from accounts.models import Role
from mail.models import Delivery, Message
from tests.factories import make_member, send_mail_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def message(inspector, director, teacher):
    return send_mail_to(inspector, [director], cc=[teacher], subject="Conseil d’école", body="<p>Ordre du jour</p>")


def test_inbox_lists_unread_in_bold_with_a_word(client_as, director, message):
    response = client_as(director).get(reverse("mail:inbox"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>Conseil d’école</strong>" in html
    assert "Non lu" in html
    assert "Annie Inspectrice" in html
    assert "Les messages de la boîte de réception sont supprimés après 3 ans" in html


def test_opening_marks_read_and_shows_headers(client_as, director, teacher, message):
    response = client_as(director).get(reverse("mail:message", args=[message.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ordre du jour" in html
    assert "Delphine Directrice" in html and "Thomas Enseignant" in html
    assert Delivery.objects.get(message=message, user=director).read_at is not None
    assert Delivery.objects.get(message=message, user=teacher).read_at is None


def test_nav_counter_says_how_many_unread(client_as, director, message):
    html = client_as(director).get(reverse("accounts:home")).content.decode()
    assert (
        'Messagerie <span class="fr-badge fr-badge--sm fr-badge--info fr-ml-1v">1<span class="fr-sr-only"> non lu</span>'
        in html
    )


def test_every_box_answers(client_as, inspector, message):
    client = client_as(inspector)
    for box in ("envoyes", "brouillons", "programmes", "corbeille", "equipe"):
        assert client.get(reverse("mail:box", args=[box])).status_code == 200, box
    assert "Conseil d’école" in client.get(reverse("mail:box", args=["envoyes"])).content.decode()


def test_team_box_is_404_outside_the_team(client_as, director):
    assert client_as(director).get(reverse("mail:box", args=["equipe"])).status_code == 404


def test_recipients_read_as_addressed_with_et_n_autres(client_as, inspector, director, school):
    people = [make_member(Role.TEACHER, school, last_name=f"Personne{i:02d}") for i in range(12)]
    tokens = {"to": ["directors", f"d:{school.pk}"] + [f"u:{p.pk}" for p in people], "cc": [], "bcc": []}
    message = send_mail_to(inspector, [director], tokens=tokens, subject="À tous")
    html = client_as(director).get(reverse("mail:message", args=[message.pk])).content.decode()
    assert "Tous les directeurs" in html
    assert f"Direction : {school.name}" in html
    assert "et 6 autres" in html  # 14 labels, 8 shown


def test_a_thread_groups_the_replies_in_order(client_as, inspector, director):
    first = send_mail_to(inspector, [director], subject="Projet chorale")
    Message.objects.filter(pk=first.pk).update(thread=first)
    reply = send_mail_to(director, [inspector], subject="Re: Projet chorale", thread=first, parent=first)
    again = send_mail_to(inspector, [director], subject="Re: Re: Projet chorale", thread=first, parent=reply)
    send_mail_to(inspector, [director], subject="Autre sujet")
    client = client_as(director)
    page = client.get(reverse("mail:message", args=[reply.pk])).content.decode()
    assert "Voir la conversation (3 messages)" in page
    html = client.get(reverse("mail:thread", args=[again.pk])).content.decode()
    positions = [html.index(f'id="message-{m.pk}"') for m in (first, reply, again)]
    assert positions == sorted(positions)
    assert "Autre sujet" not in html


def test_the_print_view_has_the_message_and_no_menus(client_as, director, message):
    html = client_as(director).get(reverse("mail:print", args=[message.pk])).content.decode()
    assert "Ordre du jour" in html and "Conseil d’école" in html
    assert "navigation-principale" not in html


def test_lists_are_paginated(client_as, inspector, director):
    for i in range(30):
        send_mail_to(inspector, [director], subject=f"Note {i:02d}")
    client = client_as(director)
    first = client.get(reverse("mail:inbox")).content.decode()
    second = client.get(reverse("mail:inbox"), {"page": 2}).content.decode()
    assert "Note 29" in first and "Note 04" not in first
    assert "Note 04" in second and "Note 29" not in second


def test_drafts_link_to_the_writing_page(client_as, inspector):
    draft = Message.objects.create(sender=inspector, subject="À finir")
    html = client_as(inspector).get(reverse("mail:box", args=["brouillons"])).content.decode()
    assert "À finir" in html
    assert f'href="{reverse("mail:draft", args=[draft.pk])}"' in html


def test_the_sender_may_recall_from_the_message_page_and_recipients_then_see_it_recalled(
    client_as, inspector, director, message
):
    html = client_as(inspector).get(reverse("mail:message", args=[message.pk])).content.decode()
    assert reverse("mail:recall", args=[message.pk]) in html
    assert (
        reverse("mail:recall", args=[message.pk])
        not in client_as(director).get(reverse("mail:message", args=[message.pk])).content.decode()
    )
    client_as(inspector).post(reverse("mail:recall", args=[message.pk]))
    html = client_as(director).get(reverse("mail:message", args=[message.pk])).content.decode()
    assert "Message rappelé" in html and "Ordre du jour" not in html


def test_reply_links_go_to_the_writing_page(client_as, director, message):
    html = client_as(director).get(reverse("mail:message", args=[message.pk])).content.decode()
    compose = reverse("mail:compose")
    for query in (f"reponse={message.pk}", f"reponse_tous={message.pk}", f"transfert={message.pk}"):
        assert f'href="{compose}?{query}"' in html
