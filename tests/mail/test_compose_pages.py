"""The composing pages: write, autosave, send (confirmation above 50 people, refusals keep the
draft), undo, scheduled send, recall, receipts (query count pinned), « Relancer », suggestions,
favoris, signature; every page of another person's message is a 404 and changes nothing."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from ent.publication import publish_due
from mail import services
from mail.models import ContactList, Delivery, MailSettings, Message, MessageStatus
from notifications.models import Notification
from tests.factories import MembershipFactory, SchoolFactory, TeamFactory, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return TeamFactory()


@pytest.fixture
def ien(team):
    return make_member(Role.IEN, team, first_name="Annie", last_name="Inspectrice", last_login=timezone.now())


@pytest.fixture
def school():
    return SchoolFactory(name="École Jules-Ferry")


@pytest.fixture
def director(school):
    return make_member(Role.DIRECTOR, school, first_name="Delphine", last_name="Directrice", last_login=timezone.now())


@pytest.fixture
def teacher(school):
    return make_member(Role.TEACHER, school, first_name="Élodie", last_name="Lefèvre", last_login=timezone.now())


def post_compose(client, url, **data):
    payload = {"subject": "Réunion", "body": "<p>Bonjour à tous</p>", "send_key": str(uuid.uuid4())}
    payload.update(data)
    return client.post(url, payload)


def test_compose_page_for_every_role_with_a_place(client_as, ien, director, teacher):
    for person in (ien, director, teacher):
        response = client_as(person).get(reverse("mail:compose"))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Ajouter des destinataires" in html and 'role="status"' in html and "mail-compose.js" in html
        assert ("Ne pas répondre" in html) is (person == ien)


def test_compose_refused_to_someone_without_a_place(client_as, db):
    from tests.factories import UserFactory

    assert client_as(UserFactory()).get(reverse("mail:compose")).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("mail:compose"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_prefill_with_a_token(client_as, teacher, school):
    response = client_as(teacher).get(reverse("mail:compose"), {"a": f"d:{school.pk}"})
    assert "Direction : École Jules-Ferry" in response.content.decode()


def test_send_then_undo_then_send_again(client_as, ien, director):
    client = client_as(ien)
    response = post_compose(client, reverse("mail:compose"), to=[f"u:{director.pk}"], action="send")
    message = Message.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("mail:undo", args=[message.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Annuler l’envoi" in page and "data-mail-countdown" in page
    response = client.post(reverse("mail:undo", args=[message.pk]))
    assert response["Location"] == reverse("mail:draft", args=[message.pk])
    message.refresh_from_db()
    assert message.status == MessageStatus.DRAFT
    publish_due(now=timezone.now() + timedelta(minutes=1))
    assert not Delivery.objects.exists()
    post_compose(client, reverse("mail:draft", args=[message.pk]), to=[f"u:{director.pk}"], action="send")
    publish_due(now=timezone.now() + timedelta(minutes=1))
    assert Delivery.objects.filter(user=director).count() == 1


def test_replayed_post_sends_once(client_as, ien, director):
    client = client_as(ien)
    key = str(uuid.uuid4())
    post_compose(client, reverse("mail:compose"), to=[f"u:{director.pk}"], action="send", send_key=key)
    message = Message.objects.get()
    again = post_compose(
        client, reverse("mail:draft", args=[message.pk]), to=[f"u:{director.pk}"], action="send", send_key=key
    )
    assert again.status_code == 302 and again["Location"] == reverse("mail:undo", args=[message.pk])
    assert Message.objects.count() == 1


def test_refused_recipient_keeps_the_draft_and_says_who(client_as, teacher):
    client = client_as(teacher)
    response = post_compose(client, reverse("mail:compose"), to=["district"], subject="Kermesse", action="send")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vous ne pouvez pas écrire à : Toute la circonscription." in html
    message = Message.objects.get()
    assert message.status == MessageStatus.DRAFT and message.subject == "Kermesse"
    assert 'value="Kermesse"' in html and not Delivery.objects.exists()


def test_confirmation_above_fifty_people_and_unactivated_accounts(client_as, ien, settings):
    settings.ENT_MAIL_CONFIRM_ABOVE = 5
    school = SchoolFactory()
    for _ in range(6):
        MembershipFactory(structure=school, role=Role.TEACHER)
    client = client_as(ien)
    response = post_compose(client, reverse("mail:compose"), to=[f"s:{school.pk}"], action="send")
    html = response.content.decode()
    assert response.status_code == 200 and "6 personnes" in html and "pas encore activé" in html
    message = Message.objects.get()
    assert message.status == MessageStatus.DRAFT
    response = post_compose(
        client, reverse("mail:draft", args=[message.pk]), to=[f"s:{school.pk}"], action="send", confirmed="on"
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == MessageStatus.SCHEDULED


def test_xss_payloads_are_escaped_on_the_page(client_as, ien, director):
    client = client_as(ien)
    post_compose(
        client,
        reverse("mail:compose"),
        to=[f"u:{director.pk}"],
        subject="<script>alert(1)</script>",
        body="<p>Hi<script>alert(2)</script><img src=x onerror=alert(3)></p>",
        action="save",
    )
    message = Message.objects.get()
    html = client.get(reverse("mail:draft", args=[message.pk])).content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "alert(2)" not in html and "onerror" not in html


def test_autosave_creates_then_updates_the_draft(client_as, director):
    client = client_as(director)
    response = client.post(reverse("mail:draft-autosave"), {"subject": "Sortie", "body": "<p>Premier jet</p>"})
    assert response.status_code == 200
    answer = response.json()
    assert answer["status"].startswith("Brouillon enregistré à ") and " h" in answer["status"]
    draft = Message.objects.get(pk=answer["draft"])
    client.post(reverse("mail:draft-autosave"), {"draft": draft.pk, "subject": "Sortie au musée"})
    draft.refresh_from_db()
    assert draft.subject == "Sortie au musée" and Message.objects.count() == 1


def test_someone_elses_draft_is_404_and_unchanged(client_as, director, teacher):
    draft = services.draft_save(actor=director, subject="Privé", addressing={"to": [f"u:{teacher.pk}"]})
    client = client_as(teacher)
    for url in (reverse("mail:draft", args=[draft.pk]), reverse("mail:send", args=[draft.pk])):
        assert client.post(url, {"subject": "pirate", "action": "send"}).status_code == 404
    assert client.post(reverse("mail:draft-autosave"), {"draft": draft.pk, "subject": "pirate"}).status_code == 404
    for name in ("undo", "cancel-schedule", "recall", "remind"):
        assert client.post(reverse(f"mail:{name}", args=[draft.pk])).status_code == 404
    assert client.get(reverse("mail:receipts", args=[draft.pk])).status_code == 404
    draft.refresh_from_db()
    assert draft.subject == "Privé" and draft.status == MessageStatus.DRAFT


def test_recipient_search_suggestions(client_as, ien, teacher):
    response = client_as(ien).get(reverse("mail:recipient-search"), {"query": "lefevre"})
    html = response.content.decode()
    assert 'role="option"' in html and f'data-token="u:{teacher.pk}"' in html and "Élodie Lefèvre" in html


def test_search_without_javascript_then_add(client_as, ien, teacher):
    client = client_as(ien)
    response = post_compose(client, reverse("mail:compose"), query="Lefèvre", action="search")
    assert response.status_code == 200 and f'value="u:{teacher.pk}"' in response.content.decode()
    message = Message.objects.get()
    response = post_compose(
        client, reverse("mail:draft", args=[message.pk]), picked=[f"u:{teacher.pk}"], add_to="cc", action="add"
    )
    message.refresh_from_db()
    assert message.addressing["cc"] == [f"u:{teacher.pk}"]
    post_compose(client, reverse("mail:draft", args=[message.pk]), cc=[f"u:{teacher.pk}"], remove=f"cc:u:{teacher.pk}")
    message.refresh_from_db()
    assert message.addressing["cc"] == []


def test_scheduled_send_and_its_cancellation(client_as, ien, director):
    client = client_as(ien)
    at = timezone.localtime(timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    post_compose(client, reverse("mail:compose"), to=[f"u:{director.pk}"], scheduled_at=at, action="send")
    message = Message.objects.get()
    assert message.status == MessageStatus.SCHEDULED and message.undo_until is None
    page = client.get(reverse("mail:undo", args=[message.pk])).content.decode()
    assert "Annuler l’envoi programmé" in page
    client.post(reverse("mail:cancel-schedule", args=[message.pk]))
    message.refresh_from_db()
    assert message.status == MessageStatus.DRAFT


def _sent(ien, tokens, **fields):
    draft = services.draft_save(actor=ien, subject="Enquête", addressing={"to": tokens}, **fields)
    message = services.message_send(actor=ien, message=draft, send_key=uuid.uuid4())
    publish_due(now=timezone.now() + timedelta(minutes=1))
    message.refresh_from_db()
    return message


def test_receipts_page_counts_and_query_count_is_flat(client_as, ien, assert_flat_queries):
    schools = []

    def make_rows(count):
        for _ in range(count):
            school = SchoolFactory()
            schools.append(school)
            MembershipFactory(structure=school, role=Role.DIRECTOR)

    make_rows(3)
    message = _sent(ien, ["directors"], read_receipt=True)
    first = Delivery.objects.filter(message=message, field="to").order_by("pk").first()
    first.read_at = timezone.now()
    first.save(update_fields=["read_at"])
    client = client_as(ien)
    html = client.get(reverse("mail:receipts", args=[message.pk])).content.decode()
    assert "1 / 3 lu" in html and "lu dans 1 / 3 écoles" in html

    def more(count):
        make_rows(count)
        new = Delivery.objects.bulk_create(
            [Delivery(message=message, user=s.memberships.get().user, school=s, field="to") for s in schools[-count:]]
        )
        assert new

    assert_flat_queries(
        client,
        reverse("mail:receipts", args=[message.pk]),
        more,
        rows=2,
        queries=6,
        shown=lambda r: r.content.decode().count("<tr>") - 1,
        expect=(5, 23),
    )


def test_remind_once_a_day(client_as, ien, director):
    message = _sent(ien, [f"u:{director.pk}"], read_receipt=True)
    client = client_as(ien)
    client.post(reverse("mail:remind", args=[message.pk]))
    client.post(reverse("mail:remind", args=[message.pk]))
    assert Notification.objects.filter(kind="mail.reminder", recipient=director).count() == 1
    html = client.get(reverse("mail:receipts", args=[message.pk])).content.decode()
    assert "vous pourrez relancer de nouveau le" in html


def test_recall_page_action(client_as, ien, director):
    message = _sent(ien, [f"u:{director.pk}"])
    response = client_as(ien).post(reverse("mail:recall", args=[message.pk]))
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.is_recalled and not Notification.objects.filter(kind="mail.received").exists()


def test_reply_link_creates_a_draft_to_the_sender(client_as, ien, director):
    message = _sent(ien, ["directors"])
    response = client_as(director).get(reverse("mail:compose"), {"reponse": message.pk})
    draft = Message.objects.get(parent=message)
    assert response["Location"] == reverse("mail:draft", args=[draft.pk])
    assert draft.addressing["to"] == [f"u:{ien.pk}"]


def test_reply_to_a_message_one_cannot_read_is_404(client_as, ien, director, teacher):
    message = _sent(ien, [f"u:{director.pk}"])
    assert client_as(teacher).get(reverse("mail:compose"), {"reponse": message.pk}).status_code == 404
    assert not Message.objects.filter(parent=message).exists()


def test_favoris_from_the_compose_page_and_their_page(client_as, director, teacher):
    client = client_as(director)
    post_compose(
        client, reverse("mail:compose"), to=[f"u:{teacher.pk}", "team"], list_name="Équipe", action="list-save"
    )
    fav = ContactList.objects.get(owner=director)
    assert fav.entries == [f"u:{teacher.pk}", "team"]
    html = client.get(reverse("mail:contact-lists")).content.decode()
    assert "Élodie Lefèvre" in html and "Équipe de circonscription" in html
    client.post(reverse("mail:contact-lists"), {"contact_list": fav.pk, "action": "rename", "name": "Mon équipe"})
    fav.refresh_from_db()
    assert fav.name == "Mon équipe"
    other = client_as(teacher)
    assert other.post(reverse("mail:contact-lists"), {"contact_list": fav.pk, "action": "delete"}).status_code == 404
    assert ContactList.objects.filter(pk=fav.pk).exists()


def test_signature_settings(client_as, director):
    client = client_as(director)
    client.post(reverse("mail:settings"), {"signature": "Delphine Directrice"})
    assert MailSettings.objects.get(user=director).signature == "Delphine Directrice"
    assert "Delphine Directrice" in client.get(reverse("mail:compose")).content.decode()


REFUSED_FOR_SCHOOLS = ["district", "directors", "teams", "s:other", "d:other", "u:other"]


@pytest.mark.parametrize("role", ["director", "teacher", "rased_member"])
@pytest.mark.parametrize("kind", REFUSED_FOR_SCHOOLS)
def test_refused_recipients_answer_200_and_nothing_is_sent(client_as, school, role, kind):
    from audit.models import Event
    from tests.factories import RasedFactory

    TeamFactory()
    other = SchoolFactory(name="École des Tilleuls")
    other_teacher = make_member(Role.TEACHER, other, first_name="Olivier", last_name="Ailleurs")
    structure = RasedFactory() if role == "rased_member" else school
    actor = make_member(
        getattr(Role, {"director": "DIRECTOR", "teacher": "TEACHER", "rased_member": "RASED"}[role]),
        structure,
        last_login=timezone.now(),
    )
    token = {"s:other": f"s:{other.pk}", "d:other": f"d:{other.pk}", "u:other": f"u:{other_teacher.pk}"}.get(kind, kind)
    events = Event.objects.count()
    response = post_compose(client_as(actor), reverse("mail:compose"), to=[token], action="send")
    assert response.status_code == 200 and "Vous ne pouvez pas écrire à" in response.content.decode()
    message = Message.objects.get()
    assert message.status == MessageStatus.DRAFT and message.send_key is None and message.addressing["to"] == [token]
    assert not Delivery.objects.exists() and not Notification.objects.exists() and Event.objects.count() == events
