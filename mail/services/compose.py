"""Writes of the composing side: drafts, sending (undo, scheduled), delivery, recall, receipts, favoris.

A message is written as a **draft** (:func:`draft_save`, called by the form and by its autosave
every few seconds), then **sent** (:func:`message_send`): the recipients are checked against
``mail.permissions`` (a refused one is named, the draft stays as typed), the message becomes
« programmé » for ``ENT_MAIL_UNDO_SECONDS`` (« Annuler l’envoi »: :func:`message_undo`) or until the
chosen time (« Envoi différé »: :func:`message_cancel_schedule`), and ``mail.deliver_message`` is
queued after commit with that countdown. A ``send_key`` (a UUID the form carries) makes a second
POST of the same form (double click, replay) a no-op.

:func:`message_deliver` is registered with ``ent.publication``: the beat task ``ent.publish_due``
and the countdown task both reach it through ``publication.publish_if_due`` (row locked, checked
again: a message already sent is skipped), so it runs once. It resolves the tokens to people
(``mail.recipients.resolve``), writes their deliveries in bulk (1,000 rows per INSERT) with the
sender's copy, marks the message sent and notifies the recipients (who wrote, the subject — never
the body), all in one transaction.

Forwarding keeps the attachments by **copying** them (:func:`_copy_attachments`): each file of the
forwarded message is duplicated under a new random name and attached to the new message, so that
its recipients see them through the new message's own rule, and deleting either message leaves the
other's files whole (uploads deletes a holder's files with it).
"""

import os
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape, linebreaks

from accounts.audiences import members_of
from audit.services import record
from ent.dates import format_datetime
from ent.queue import enqueue_on_commit
from notifications.services import notifications_withdraw, notify
from privacy.models import Channel
from privacy.services import check_publication, media_declare
from uploads.models import MediaFile, human_size
from uploads.services import media_delete, media_errors_on, media_upload

from .. import permissions
from ..lists import lists_changed
from ..models import ContactList, Delivery, DeliveryField, MailAction, MailSettings, Message, MessageStatus
from ..recipients import FIELDS, clean_addressing, clean_tokens, label_list, resolve
from ..text import search_key
from .mailbox import mailboxes_changed

__all__ = [
    "attachments_add",
    "attachments_remove",
    "contact_list_create",
    "contact_list_delete",
    "contact_list_rename",
    "contact_list_warnings",
    "draft_delete",
    "draft_for_forward",
    "draft_for_reply",
    "draft_save",
    "mail_settings_save",
    "message_attachments",
    "message_cancel_schedule",
    "message_deliver",
    "message_recall",
    "message_remind",
    "message_send",
    "message_undo",
    "receipts_counts",
    "reply_sender_ids",
    "signature_of",
    "unread_deliveries",
    "signature_html",
]

BATCH = 1000
REPLY_PREFIX = "RE : "
FORWARD_PREFIX = "TR : "


def _search_text(message: Message) -> str:
    sender = message.sender.get_full_name() if message.sender_id else ""
    return search_key(message.subject, str(message.body or ""), sender)


def _locked(message: Message) -> Message:
    return Message.objects.select_for_update().get(pk=message.pk)


# --- Drafts ------------------------------------------------------------------------------------


@transaction.atomic
def draft_save(
    *,
    actor,
    message: Message | None = None,
    subject: str = "",
    body: str = "",
    addressing: dict | None = None,
    no_reply: bool = False,
    read_receipt: bool = False,
    parent: Message | None = None,
    forwarded_from: Message | None = None,
    sent_as=None,
) -> Message:
    """Create or update the person's draft with what they typed (the form's save and its autosave).

    Recipients are kept as typed, even those the person may not write to: the refusal comes at
    sending, and nothing typed is lost.
    """
    if not permissions.can_compose(actor):
        raise PermissionDenied("Vous ne pouvez pas écrire de message.")
    if message is None or message.pk is None:
        message = Message(sender=actor, status=MessageStatus.DRAFT)
        if parent is not None:
            message.parent = parent
            message.thread_id = parent.thread_id or parent.pk
        message.forwarded_from = forwarded_from
        message.sent_as = sent_as
    else:
        message = _locked(message)
        if not permissions.can_edit_draft(actor, message):
            raise PermissionDenied("Ce message n’est plus un brouillon : il a été envoyé ou programmé.")
    message.subject = (subject or "").strip()[: Message._meta.get_field("subject").max_length]
    message.body = body or ""
    message.addressing = clean_addressing(addressing)
    message.no_reply = bool(no_reply)
    message.read_receipt = bool(read_receipt)
    message.search_text = _search_text(message)
    message.save()
    message.refresh_from_db(fields=["body"])  # as sanitised
    return message


@transaction.atomic
def draft_delete(*, actor, message: Message) -> None:
    message = _locked(message)
    if not permissions.can_edit_draft(actor, message):
        raise PermissionDenied("Ce message n’est plus un brouillon.")
    message.delete()  # its attachments go with it (uploads' holder rule)


# --- Attachments -------------------------------------------------------------------------------


def message_attachments(message: Message):
    if message.pk is None:
        return MediaFile.objects.none()
    return MediaFile.objects.attached_to(message).order_by("created_at", "pk")


def _max_bytes() -> int:
    return settings.ENT_MAIL_MAX_ATTACHMENTS_BYTES


@transaction.atomic
def attachments_add(
    *,
    actor,
    message: Message,
    files: dict,
    alt_text: str = "",
    transcript: str = "",
    no_identifiable_pupil: bool = False,
) -> list[MediaFile]:
    """Attach uploaded files to a draft. ``files``: ``{kind: [file, …]}`` (documents, images, audio);
    ``alt_text`` describes the images, ``transcript`` is what the recordings say.
    ``no_identifiable_pupil``: the new images and recordings show no pupil (privacy, declared now).

    The total of a message's attachments is bounded by ``ENT_MAIL_MAX_ATTACHMENTS_BYTES``
    (French message on the field ``documents``).
    """
    message = _locked(message)
    if not permissions.can_edit_draft(actor, message):
        raise PermissionDenied("Ce message n’est plus un brouillon.")
    new = [(kind, f) for kind, chosen in files.items() for f in chosen or ()]
    if not new:
        return []
    already = message_attachments(message).aggregate(total=Sum("size"))["total"] or 0
    total = already + sum(f.size for _kind, f in new)
    if total > _max_bytes():
        raise ValidationError(
            {
                "documents": ValidationError(
                    "Les pièces jointes dépasseraient %(max)s au total (%(total)s) : retirez-en, ou partagez "
                    "un lien vers le document.",
                    code="too_big",
                    params={"max": human_size(_max_bytes()), "total": human_size(total)},
                )
            }
        )
    field_of = {MediaFile.Kind.DOCUMENT: "documents", MediaFile.Kind.IMAGE: "images", MediaFile.Kind.AUDIO: "audio"}
    media = []
    for kind, f in new:
        with media_errors_on(file=field_of[kind], alt_text="images_alt", image_name="les images"):
            media.append(
                media_upload(
                    file=f, kind=kind, uploaded_by=actor, alt_text=alt_text, transcript=transcript, holder=message
                )
            )
        if no_identifiable_pupil and kind != MediaFile.Kind.DOCUMENT:
            media_declare(actor=actor, media=media[-1], no_identifiable_pupil=True)
    Message.objects.filter(pk=message.pk).update(attachments_size=total)
    lists_changed([message.sender_id])  # « Brouillons » marks a draft's attachments (an update: no signal)
    return media


@transaction.atomic
def attachments_remove(*, actor, message: Message, media_ids) -> int:
    message = _locked(message)
    if not permissions.can_edit_draft(actor, message):
        raise PermissionDenied("Ce message n’est plus un brouillon.")
    removed = 0
    for media in message_attachments(message).filter(pk__in=list(media_ids)):
        media_delete(media=media)
        removed += 1
    total = message_attachments(message).aggregate(total=Sum("size"))["total"] or 0
    Message.objects.filter(pk=message.pk).update(attachments_size=total)
    lists_changed([message.sender_id])
    return removed


FILE_FIELDS = ("original", "display_webp", "display_jpeg", "thumb_webp", "thumb_jpeg", "audio", "file")


def _copy_attachments(source: Message, target: Message) -> int:
    """Copy each file of ``source`` onto ``target`` (new rows, new random names, same bytes)."""
    copied = 0
    for media in message_attachments(source):
        clone = MediaFile(
            **{
                f.name: getattr(media, f.name)
                for f in MediaFile._meta.concrete_fields
                if f.name not in ("id", "public_id", "created_at", *FILE_FIELDS)
            }
        )
        clone.public_id = uuid.uuid4()
        clone.holder_content_type = media.holder_content_type
        clone.holder_object_id = target.pk
        for name in FILE_FIELDS:
            stored = getattr(media, name)
            if stored and stored.name:
                directory = os.path.dirname(stored.name)
                extension = os.path.splitext(stored.name)[1]
                with default_storage.open(stored.name, "rb") as handle:
                    new_name = default_storage.save(
                        f"{directory}/{uuid.uuid4().hex}{extension}", ContentFile(handle.read())
                    )
                setattr(clone, name, new_name)
        clone.save()
        copied += 1
    return copied


# --- Sending -----------------------------------------------------------------------------------


def reply_sender_ids(actor, message: Message) -> set[int]:
    """People one may answer whatever one's scope: the sender of the message one replies to."""
    parent = message.parent
    if parent is not None and parent.sender_id and permissions.can_read_message(actor, parent):
        return {parent.sender_id}
    return set()


@transaction.atomic
def message_send(*, actor, message: Message, send_key, scheduled_at=None) -> Message:
    """« Envoyer » (in ``ENT_MAIL_UNDO_SECONDS``) or « Envoi différé » (at ``scheduled_at``).

    Idempotent on ``send_key``: a second call with the same key returns the message already on its
    way. Refusals (``ValidationError``, French) leave the draft as it was typed.
    """
    already = Message.objects.filter(send_key=send_key).first() if send_key else None
    if already is not None:
        if already.sender_id != actor.pk:
            raise PermissionDenied("Ce message ne vous appartient pas.")
        return already
    message = _locked(message)
    if not permissions.can_edit_draft(actor, message):
        if message.send_key and message.status != MessageStatus.DRAFT and message.sender_id == actor.pk:
            return message  # already on its way (sent from another tab)
        raise PermissionDenied("Ce message n’est plus un brouillon.")
    addressing = clean_addressing(message.addressing)
    if not any(addressing[f] for f in FIELDS):
        raise ValidationError({"to": "Choisissez au moins un·e destinataire."})
    error = permissions.recipients_error(actor, addressing, also_people=reply_sender_ids(actor, message))
    if error is not None:
        raise ValidationError({"to": error})
    if not message.subject:
        raise ValidationError({"subject": "Donnez un objet à votre message."})
    check_publication(message_attachments(message), reach=Channel.ENT, publisher="mail.message_send")
    now = timezone.now()
    if scheduled_at is not None:
        if scheduled_at <= now + timedelta(minutes=1):
            raise ValidationError({"scheduled_at": "Choisissez une date et une heure à venir."})
        message.published_at = scheduled_at
        message.undo_until = None
        action, label = MailAction.SCHEDULED, f"Envoi programmé le {format_datetime(scheduled_at)}"
    else:
        message.undo_until = message.published_at = now + timedelta(seconds=settings.ENT_MAIL_UNDO_SECONDS)
        action, label = MailAction.SENT, "Envoyé (annulable quelques secondes)"
    message.status = MessageStatus.SCHEDULED
    message.send_key = send_key
    message.addressing = addressing
    try:
        with transaction.atomic():
            message.save(update_fields=["status", "published_at", "undo_until", "send_key", "addressing", "updated_at"])
    except IntegrityError:
        # The same key committed meanwhile by a concurrent request: that one sends it.
        return Message.objects.get(send_key=send_key)
    record(actor=actor, target=message, action=action, label=label)
    from ..tasks import deliver_message

    countdown = max(0.0, (message.published_at - now).total_seconds())
    enqueue_on_commit(deliver_message, message.pk, countdown=countdown)
    return message


def _back_to_draft(message: Message) -> None:
    message.status = MessageStatus.DRAFT
    message.published_at = message.undo_until = None
    message.send_key = None
    message.save(update_fields=["status", "published_at", "undo_until", "send_key", "updated_at"])


@transaction.atomic
def message_undo(*, actor, message: Message) -> Message:
    """« Annuler l’envoi »: back to a draft, while the message waits."""
    message = _locked(message)
    if not permissions.can_undo_send(actor, message):
        raise PermissionDenied("Trop tard : le message est parti.")
    _back_to_draft(message)
    record(actor=actor, target=message, action=MailAction.CANCELLED, label="Envoi annulé (remis en brouillon)")
    return message


@transaction.atomic
def message_cancel_schedule(*, actor, message: Message) -> Message:
    """Cancel an « envoi différé »: back to a draft."""
    message = _locked(message)
    if not permissions.can_cancel_schedule(actor, message):
        raise PermissionDenied("Ce message n’est plus programmé : il est parti.")
    _back_to_draft(message)
    record(actor=actor, target=message, action=MailAction.CANCELLED, label="Envoi programmé annulé")
    return message


def message_deliver(message: Message) -> Message:
    """Deliver a due, locked, scheduled message (``ent.publication``'s service). Once: a sent one is skipped."""
    if message.status != MessageStatus.SCHEDULED:
        return message
    with transaction.atomic():
        now = timezone.now()
        sender = message.sender
        resolution = resolve(message.addressing, sender=sender)
        rows = [
            Delivery(
                message=message,
                user_id=r.user_id,
                field=r.field,
                via=r.via,
                school_id=r.school_id,
                delivered_at=now,
            )
            for r in resolution.people
        ]
        if resolution.shared_box is not None:
            box_id, field, via = resolution.shared_box
            if box_id != message.sent_as_id:
                rows.append(Delivery(message=message, shared_box_id=box_id, field=field, via=via, delivered_at=now))
        if sender is not None:
            rows.append(
                Delivery(message=message, user=sender, field=DeliveryField.SENDER, delivered_at=now, read_at=now)
            )
        if message.sent_as_id:
            rows.append(
                Delivery(
                    message=message, shared_box_id=message.sent_as_id, field=DeliveryField.SENDER, delivered_at=now
                )
            )
        Delivery.objects.bulk_create(rows, batch_size=BATCH)
        mailboxes_changed((row.user_id, row.shared_box_id) for row in rows if row.field != DeliveryField.SENDER)
        message.status = MessageStatus.SENT
        message.published_at = now
        message.undo_until = None
        message.recipient_count = len(resolution.people) + (1 if resolution.shared_box else 0)
        if message.thread_id is None:
            message.thread_id = message.pk  # a first message is its own conversation
        message.save(update_fields=["status", "published_at", "undo_until", "recipient_count", "thread", "updated_at"])
        record(
            actor=None,
            target=message,
            action=MailAction.SENT,
            label=f"Distribué à {message.recipient_count} destinataire{'s' if message.recipient_count > 1 else ''}",
        )
        recipients = [r.user_id for r in resolution.people]
        if resolution.shared_box is not None and resolution.shared_box[0] != message.sent_as_id:
            recipients += list(members_of([resolution.shared_box[0]]).values_list("pk", flat=True))
        who = sender.get_full_name() if sender else "Quelqu’un"
        notify(
            kind="mail.received",
            actor=sender,
            target=message,
            recipients=recipients,
            text=f"{who} vous a écrit : {message.subject or '(sans objet)'}",
            url=reverse("mail:message", args=[message.pk]),
            key=f"mail.received:{message.pk}",
        )
    return message


# --- After sending -----------------------------------------------------------------------------


@transaction.atomic
def message_recall(*, actor, message: Message) -> Message:
    """« Rappeler »: within the recall delay a sent message is marked recalled and its pending
    notifications withdrawn; a scheduled one turns back into a draft."""
    message = _locked(message)
    if not permissions.can_recall(actor, message):
        raise PermissionDenied("Ce message ne peut plus être rappelé.")
    if message.status == MessageStatus.SCHEDULED:
        _back_to_draft(message)
        record(actor=actor, target=message, action=MailAction.RECALLED, label="Envoi programmé rappelé (brouillon)")
        return message
    message.recalled_at = timezone.now()
    message.save(update_fields=["recalled_at", "updated_at"])
    mailboxes_changed(Delivery.objects.filter(message=message).received().values_list("user_id", "shared_box_id"))
    withdrawn = notifications_withdraw(target=message)
    record(
        actor=actor,
        target=message,
        action=MailAction.RECALLED,
        label=f"Message rappelé ({withdrawn} notification{'s' if withdrawn > 1 else ''} retirée{'s' if withdrawn > 1 else ''})",
    )
    return message


def unread_deliveries(message: Message):
    return Delivery.objects.filter(message=message, user__isnull=False, read_at__isnull=True).exclude(
        field=DeliveryField.SENDER
    )


@transaction.atomic
def message_remind(*, actor, message: Message) -> int:
    """« Relancer »: tell the people who have not read it yet, once a day. Returns how many."""
    message = _locked(message)
    if not permissions.can_remind(actor, message):
        raise PermissionDenied("Vous avez déjà relancé aujourd’hui : vous pourrez relancer demain.")
    now = timezone.now()
    ids = list(unread_deliveries(message).values_list("user_id", flat=True))
    message.last_reminded_at = now
    message.save(update_fields=["last_reminded_at", "updated_at"])
    written = notify(
        kind="mail.reminder",
        actor=actor,
        target=message,
        recipients=ids,
        text=f"{actor.get_full_name()} vous rappelle son message : {message.subject or '(sans objet)'}",
        url=reverse("mail:message", args=[message.pk]),
        key=f"mail.reminder:{message.pk}:{timezone.localdate(now).isoformat()}",
    )
    record(actor=actor, target=message, action=MailAction.REMINDED, label=f"Relance de {len(ids)} personne(s)")
    return written


# --- Reply and forward -------------------------------------------------------------------------


def _quoted(message: Message) -> str:
    who = escape(message.sender.get_full_name()) if message.sender_id else "Quelqu’un"
    when = format_datetime(message.published_at) if message.published_at else ""
    return f"<p></p><p>{escape(when)}, {who} a écrit :</p><blockquote>{message.body.html}</blockquote>"


def _shared_box_delivery(actor, message: Message):
    boxes = permissions.shared_boxes_of(actor)
    if not boxes:
        return None
    return Delivery.objects.filter(message=message, shared_box_id__in=boxes).exclude(field=DeliveryField.SENDER).first()


def _own_delivery(actor, message: Message):
    return Delivery.objects.filter(message=message, user=actor).first()


def _prefixed(prefix: str, subject: str) -> str:
    subject = subject or "(sans objet)"
    if subject.upper().startswith(prefix.strip().upper()):
        return subject[: Message._meta.get_field("subject").max_length]
    return (prefix + subject)[: Message._meta.get_field("subject").max_length]


@transaction.atomic
def draft_for_reply(*, actor, message: Message, reply_all: bool = False) -> Message:
    """A draft answering ``message``: to its sender only, or to everyone visible (« Répondre à tous »).

    Blind copies are never added; one's own address is left out; a reply read from the team's shared
    mailbox is sent on behalf of the team (``sent_as``). Keeps ``parent`` and ``thread``.
    """
    if not permissions.can_reply(actor, message):
        raise PermissionDenied("On ne peut pas répondre à ce message.")
    own = _own_delivery(actor, message)
    shared = None if own is not None else _shared_box_delivery(actor, message)
    me = f"u:{actor.pk}"
    if message.sent_as_id and message.sender_id != actor.pk:
        to = ["team"]
    elif message.sender_id and message.sender_id != actor.pk:
        to = [f"u:{message.sender_id}"]
    else:
        to = list(message.addressing.get("to", []))  # answering one's own message: its recipients again
    cc = []
    if reply_all and not (own is not None and own.field == DeliveryField.BCC):
        scope_ok = set(clean_tokens(message.addressing.get("to", []) + message.addressing.get("cc", [])))
        refused = set(permissions.refused_recipients(actor, sorted(scope_ok)))
        labels_by_token = {lab.token: lab.text for lab in label_list(sorted(scope_ok))}
        keep = [t for t in sorted(scope_ok) if labels_by_token.get(t) not in refused]
        to += [t for t in message.addressing.get("to", []) if t in keep]
        cc = [t for t in message.addressing.get("cc", []) if t in keep]
    if shared is not None:
        to = [t for t in to if t != "team"]
    addressing = {"to": [t for t in to if t != me], "cc": [t for t in cc if t != me], "bcc": []}
    return draft_save(
        actor=actor,
        subject=_prefixed(REPLY_PREFIX, message.subject),
        body=signature_html(actor) + _quoted(message),
        addressing=addressing,
        parent=message,
        sent_as=shared.shared_box if shared is not None else None,
    )


@transaction.atomic
def draft_for_forward(*, actor, message: Message) -> Message:
    """A draft forwarding ``message`` with copies of its attachments (no recipient yet)."""
    if not permissions.can_forward(actor, message):
        raise PermissionDenied("On ne peut pas transférer ce message.")
    draft = draft_save(
        actor=actor,
        subject=_prefixed(FORWARD_PREFIX, message.subject),
        body=signature_html(actor) + "<p>Message transféré :</p>" + _quoted(message),
        addressing={},
        forwarded_from=message,
    )
    _copy_attachments(message, draft)
    total = message_attachments(draft).aggregate(total=Sum("size"))["total"] or 0
    Message.objects.filter(pk=draft.pk).update(attachments_size=total)
    draft.attachments_size = total
    return draft


# --- Signature and favoris ---------------------------------------------------------------------


def signature_of(user) -> str:
    return MailSettings.objects.filter(user=user).values_list("signature", flat=True).first() or ""


def signature_html(user) -> str:
    """The body a new message starts with: an empty line, then the person's signature."""
    signature = signature_of(user)
    if not signature:
        return ""
    return "<p></p><p>-- </p>" + linebreaks(escape(signature))


@transaction.atomic
def mail_settings_save(*, actor, signature: str) -> MailSettings:
    settings_row, _ = MailSettings.objects.get_or_create(user=actor)
    settings_row.signature = (signature or "").strip()[:1000]
    settings_row.save(update_fields=["signature"])
    return settings_row


def _list_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Donnez un nom à la liste."})
    return name[:80]


def _unique_name(actor, name, exclude=None):
    others = ContactList.objects.filter(owner=actor, name__iexact=name)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if others.exists():
        raise ValidationError({"name": "Vous avez déjà une liste de ce nom."})


@transaction.atomic
def contact_list_create(*, actor, name: str, entries) -> ContactList:
    """Save the current recipients as a « favoris » list."""
    if not permissions.can_compose(actor):
        raise PermissionDenied("Vous ne pouvez pas écrire de message.")
    name = _list_name(name)
    entries = clean_tokens(entries)
    if not entries:
        raise ValidationError({"name": "Choisissez d’abord des destinataires à enregistrer dans la liste."})
    _unique_name(actor, name)
    return ContactList.objects.create(owner=actor, name=name, entries=entries)


@transaction.atomic
def contact_list_rename(*, actor, contact_list: ContactList, name: str) -> ContactList:
    if not permissions.can_manage_contact_list(actor, contact_list):
        raise PermissionDenied("Cette liste ne vous appartient pas.")
    name = _list_name(name)
    _unique_name(actor, name, exclude=contact_list)
    contact_list.name = name
    contact_list.save(update_fields=["name", "updated_at"])
    return contact_list


@transaction.atomic
def contact_list_delete(*, actor, contact_list: ContactList) -> None:
    if not permissions.can_manage_contact_list(actor, contact_list):
        raise PermissionDenied("Cette liste ne vous appartient pas.")
    contact_list.delete()


def contact_list_warnings(*, actor, contact_lists) -> dict[int, list[str]]:
    """Per list, the French names of its entries that can no longer be reached (gone, deactivated,
    or out of the person's scope now). A few queries whatever the number of lists."""
    contact_lists = list(contact_lists)
    tokens = sorted({t for cl in contact_lists for t in cl.entries})
    refused = set(permissions.refused_recipients(actor, tokens)) if tokens else set()
    names = {lab.token: lab for lab in label_list(tokens)}
    warnings = {}
    for cl in contact_lists:
        lost = []
        for token in cl.entries:
            lab = names.get(token)
            if lab is None or not lab.exists or not lab.reachable or lab.text in refused:
                lost.append(lab.text if lab else token)
        warnings[cl.pk] = lost
    return warnings


def receipts_counts(message: Message) -> dict:
    """Read counts per person and per school: « 12 / 40 lus », « lu dans 27 / 34 écoles ». Two queries."""
    received = Delivery.objects.filter(message=message, user__isnull=False).exclude(field=DeliveryField.SENDER)
    people = received.aggregate(total=Count("pk"), read=Count("pk", filter=Q(read_at__isnull=False)))
    schools = (
        received.filter(school__isnull=False)
        .values("school_id")
        .annotate(read=Count("pk", filter=Q(read_at__isnull=False)))
        .order_by()
    )
    rows = list(schools.values_list("school_id", "read"))
    return {
        "people_total": people["total"] or 0,
        "people_read": people["read"] or 0,
        "schools_total": len(rows),
        "schools_read": sum(1 for _sid, read in rows if read),
    }
