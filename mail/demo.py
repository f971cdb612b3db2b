"""Demo data for the messagerie: a school year of exchanges in every demo login's mailbox.

Called by ``manage.py seed_demo`` after the accounts. Every message is written, sent, delivered,
opened, replied to, recalled and handled through ``mail.services``, as the people would, so that
deliveries, notifications and the audit trail are what the site makes; each at its own date
(:func:`ent.demo_history.written_at` for the notifications and audit events; the messages' and
deliveries' own dates are set here). A message is keyed by its sender and subject: running the
demo again changes nothing.

The exchanges: a director asks the digital counsellor about a project and gets an answer (a
conversation); the IEN writes to all the directors with a read receipt and the year's calendar
attached, and most have read it; a teacher writes to the district team's shared mailbox, which a
counsellor handles; the EPS counsellor schedules a message to every team; a director keeps a
draft; the secretary recalls a message sent by mistake.
"""

import datetime as dt
import io
import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.audiences import directors_of
from accounts.models import Structure, User
from ent.demo_history import written_at

from .lists import lists_changed
from .models import Delivery, DeliveryField, Message, MessageStatus
from .services import (
    attachments_add,
    draft_for_reply,
    draft_save,
    message_deliver,
    message_handle,
    message_open,
    message_recall,
    message_send,
)

IEN = "ien@demo.ent.fr"
CPC_NUM = "cpc.numerique@demo.ent.fr"
CPC_EPS = "cpc.eps@demo.ent.fr"
SECRETARY = "secretariat@demo.ent.fr"
DIRECTOR = "directeur@demo.ent.fr"
TEACHER = "enseignant@demo.ent.fr"
RASED = "rased@demo.ent.fr"


def _exists(sender, subject) -> bool:
    return Message.objects.filter(sender=sender, subject=subject).exists()


def _calendar_pdf() -> SimpleUploadedFile:
    """A one-page PDF « calendrier des conseils d’école », drawn here (no file shipped)."""
    page = Image.new("RGB", (1240, 1754), "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle((80, 80, 1160, 220), outline=(0, 0, 145), width=6)
    draw.text((110, 130), "Calendrier des conseils d'ecole 2026-2027", fill=(0, 0, 145))
    for row, line in enumerate(
        ["1er trimestre : avant le 14 novembre", "2e trimestre : fevrier", "3e trimestre : juin"]
    ):
        draw.text((110, 300 + row * 80), line, fill="black")
    buffer = io.BytesIO()
    page.save(buffer, "PDF")
    return SimpleUploadedFile("calendrier-conseils-ecole.pdf", buffer.getvalue(), content_type="application/pdf")


def _send(sender, draft, at: dt.datetime) -> Message:
    """Send ``draft`` and deliver it as if at ``at`` (the 15 seconds of « Annuler l’envoi » gone)."""
    with written_at(at):
        message = message_send(actor=sender, message=draft, send_key=uuid.uuid4())
        message = message_deliver(Message.objects.select_for_update().get(pk=message.pk))
    Message.objects.filter(pk=message.pk).update(published_at=at, created_at=at - dt.timedelta(minutes=20))
    Delivery.objects.filter(message=message).update(delivered_at=at)
    Delivery.objects.filter(message=message, field=DeliveryField.SENDER, user__isnull=False).update(read_at=at)
    _dated(message)
    message.refresh_from_db()
    return message


def _dated(message) -> None:
    """Dates written by ``update()``: the pages listing these deliveries are drawn again (``mail.lists``)."""
    mailboxes = list(Delivery.objects.filter(message=message).values_list("user_id", "shared_box_id"))
    lists_changed([user_id for user_id, _ in mailboxes], team=any(box_id is not None for _, box_id in mailboxes))


def _open(person, message, at: dt.datetime) -> None:
    with written_at(at):
        message_open(actor=person, message=message)
    Delivery.objects.filter(message=message, user=person).update(read_at=at)
    lists_changed([person.pk])


def _conversation(director, cpc, now):
    subject = "Projet « Robotique au cycle 3 » : prêt de robots Thymio"
    if _exists(director, subject):
        return
    asked = now - dt.timedelta(days=12, hours=2)
    draft = draft_save(
        actor=director,
        subject=subject,
        body=(
            "<p>Bonjour Adrian,</p><p>Notre classe de CM1-CM2 aimerait participer au projet de robotique. "
            "Est-il possible d’emprunter la mallette de robots Thymio en janvier, pour six semaines ?</p>"
            "<p>Merci d’avance,</p>"
        ),
        addressing={"to": [f"u:{cpc.pk}"]},
    )
    question = _send(director, draft, asked)
    _open(cpc, question, asked + dt.timedelta(hours=3))
    reply = draft_for_reply(actor=cpc, message=question)
    reply = draft_save(
        actor=cpc,
        message=reply,
        subject=reply.subject,
        body=(
            "<p>Bonjour Didier,</p><p>Bien sûr : la mallette est libre du <strong>5 janvier au 13 février</strong>. "
            "Je vous l’apporte lors de ma visite du 5 janvier et nous ferons une première séance ensemble.</p>"
            "<p>Bien cordialement,</p>"
        ),
        addressing=reply.addressing,
    )
    answer = _send(cpc, reply, asked + dt.timedelta(hours=3, minutes=30))
    _open(director, answer, asked + dt.timedelta(hours=20))


def _ien_to_directors(ien, now):
    subject = "Conseils d’école du premier trimestre : calendrier et compte rendu"
    if _exists(ien, subject):
        return
    sent = now - dt.timedelta(days=6, hours=5)
    draft = draft_save(
        actor=ien,
        subject=subject,
        body=(
            "<p>Mesdames et Messieurs les directeurs,</p>"
            "<p>Les conseils d’école du premier trimestre doivent se tenir <strong>avant le 14 novembre</strong>. "
            "Vous trouverez ci-joint le calendrier de l’année. Merci de m’adresser le compte rendu dans les "
            "quinze jours qui suivent la réunion.</p><p>Annie Jussaume, IEN</p>"
        ),
        addressing={"to": ["directors"]},
        read_receipt=True,
        no_reply=False,
    )
    attachments_add(actor=ien, message=draft, files={"document": [_calendar_pdf()]})
    message = _send(ien, draft, sent)
    # Most directors have read it; the demo director among them, a few others not yet.
    directors = list(directors_of(Structure.objects.schools()).order_by("pk"))
    for index, person in enumerate(directors):
        if person.email == DIRECTOR or index % 5 != 4:
            _open(person, message, sent + dt.timedelta(hours=1 + index % 48))


def _teacher_to_team(teacher, cpc, now):
    subject = "Demande d’accompagnement : ENT et cahier multimédia en CE1"
    if _exists(teacher, subject):
        return
    sent = now - dt.timedelta(days=3, hours=4)
    draft = draft_save(
        actor=teacher,
        subject=subject,
        body=(
            "<p>Bonjour,</p><p>Je souhaite démarrer un cahier multimédia avec mes CE1 autour des lectures à "
            "voix haute. Un conseiller pourrait-il m’accompagner pour la première séance ?</p><p>Élise Bonnin</p>"
        ),
        addressing={"to": ["team"]},
    )
    message = _send(teacher, draft, sent)
    with written_at(sent + dt.timedelta(hours=5)):
        message_handle(actor=cpc, message=message)


def _scheduled(cpc_eps, now):
    subject = "Rencontres sportives de printemps : inscriptions ouvertes"
    if _exists(cpc_eps, subject):
        return
    draft = draft_save(
        actor=cpc_eps,
        subject=subject,
        body=(
            "<p>Bonjour à toutes et à tous,</p><p>Les inscriptions aux rencontres d’athlétisme et d’orientation "
            "du printemps sont ouvertes jusqu’au 15 mars. Les fiches d’inscription sont dans l’actualité du jour.</p>"
            "<p>Claire Brousse, CPC EPS</p>"
        ),
        addressing={"to": ["teams"]},
    )
    at = (now + dt.timedelta(days=3)).replace(hour=7, minute=30, second=0, microsecond=0)
    message_send(actor=cpc_eps, message=draft, send_key=uuid.uuid4(), scheduled_at=at)


def _draft(director, now):
    subject = "Sortie au Futuroscope : transport"
    if _exists(director, subject):
        return
    draft_save(
        actor=director,
        subject=subject,
        body="<p>Bonjour,</p><p>Pour la sortie du 12 mai, le car pourrait-il partir à 8 h 15 au lieu de 8 h 30 ?</p>",
        addressing={"to": ["team"]},
    )


def _recalled(secretary, now):
    subject = "Réunion de directeurs : salle modifiée"
    if _exists(secretary, subject):
        return
    draft = draft_save(
        actor=secretary,
        subject=subject,
        body="<p>La réunion de jeudi aura lieu en salle 4 de la mairie de Lencloître.</p>",
        addressing={"to": ["directors"]},
    )
    sent = now - dt.timedelta(minutes=25)
    message = _send(secretary, draft, sent)
    with written_at(sent + dt.timedelta(minutes=5)):
        message_recall(actor=secretary, message=message)


@transaction.atomic
def seed(command):
    people = {u.email: u for u in User.objects.filter(email__in=[IEN, CPC_NUM, CPC_EPS, SECRETARY, DIRECTOR, TEACHER])}
    if len(people) < 6:
        command.stdout.write("  messagerie : comptes de démonstration absents, rien à faire")
        return
    now = timezone.now()
    _conversation(people[DIRECTOR], people[CPC_NUM], now)
    _ien_to_directors(people[IEN], now)
    _teacher_to_team(people[TEACHER], people[CPC_NUM], now)
    _scheduled(people[CPC_EPS], now)
    _draft(people[DIRECTOR], now)
    _recalled(people[SECRETARY], now)
    sent = Message.objects.filter(status=MessageStatus.SENT).count()
    command.stdout.write(
        f"  messagerie : {sent} messages envoyés, {Delivery.objects.received().count()} remis, "
        f"{Message.objects.scheduled().count()} programmé(s), {Message.objects.drafts().count()} brouillon(s)"
    )
