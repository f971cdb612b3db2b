"""Writes of the mailbox side: reading state, filing, the trash, folders, the shared mailbox, reports, retention.

Each function acts on the acting person's own delivery of a message (``delivery_for``: their own
mailbox first, else the team's shared one), so a person never changes another person's mailbox.
The shared mailbox « Équipe de circonscription » is read together: opening a message there marks
it read for the whole team; it is not filed in folders nor put in the trash by one member, and
« Je m'en occupe » says who of the team handles it.
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from audit.services import record
from ent.header import unread_changed
from notifications.services import notifications_mark_read_for, notifications_withdraw

from .. import permissions
from ..lists import lists_changed
from ..models import AbuseReport, Delivery, DeliveryField, Folder, MailAction, Message, MessageStatus

__all__ = [
    "delivery_for",
    "mailboxes_changed",
    "message_open",
    "message_mark_unread",
    "message_flag",
    "message_move",
    "message_trash",
    "message_restore",
    "trash_empty",
    "folder_create",
    "folder_rename",
    "folder_delete",
    "message_handle",
    "message_report",
    "report_dismiss",
    "report_recall",
    "mail_purge",
]

FOLDER_NAME_MAX = Folder._meta.get_field("name").max_length
PURGE_BATCH = 1000


def delivery_for(*, user, message: Message) -> Delivery | None:
    """The person's delivery of ``message``: their own mailbox's first, else the team's shared one."""
    rows = list(Delivery.objects.filter(permissions.deliveries_visible_to(user), message=message).order_by("pk"))
    rows.sort(key=lambda d: (d.user_id is None, d.field == DeliveryField.SENDER))
    return rows[0] if rows else None


def _own_delivery(actor, message: Message, *, file: bool = False) -> Delivery:
    if not permissions.can_read_message(actor, message):
        raise PermissionDenied("Ce message ne vous est pas adressé.")
    delivery = delivery_for(user=actor, message=message)
    if delivery is None:
        raise PermissionDenied("Ce message n’est pas dans votre messagerie.")
    if file and not permissions.can_file_delivery(actor, delivery):
        raise PermissionDenied("Les messages de la boîte partagée ne se classent pas : ils restent à toute l’équipe.")
    return delivery


def mailboxes_changed(mailboxes) -> None:
    """The unread messages of these mailboxes changed: ``(user_id, shared_box_id)`` pairs, one per
    delivery written; their header counts (``ent.header``) and their pages (``mail.lists``) are
    read again."""
    users, team = set(), False
    for user_id, shared_box_id in mailboxes:
        if user_id is not None:
            users.add(user_id)
        if shared_box_id is not None:
            team = True
    unread_changed(users, team=team)
    lists_changed(users, team=team)


def _changed(delivery: Delivery) -> Delivery:
    mailboxes_changed([(delivery.user_id, delivery.shared_box_id)])
    return delivery


@transaction.atomic
def message_open(*, actor, message: Message) -> Delivery | None:
    """The person opens the message: their delivery is read (once: the first reading time stays)."""
    delivery = delivery_for(user=actor, message=message)
    if delivery is not None and delivery.read_at is None:
        delivery.read_at = timezone.now()
        Delivery.objects.filter(pk=delivery.pk, read_at__isnull=True).update(read_at=delivery.read_at)
        notifications_mark_read_for(user=actor, target=message)
        _changed(delivery)
    return delivery


@transaction.atomic
def message_mark_unread(*, actor, message: Message) -> Delivery:
    delivery = _own_delivery(actor, message)
    if delivery.field == DeliveryField.SENDER:
        raise PermissionDenied("Vos propres messages envoyés n’ont pas d’état « non lu ».")
    delivery.read_at = None
    delivery.save(update_fields=["read_at"])
    return _changed(delivery)


@transaction.atomic
def message_flag(*, actor, message: Message, flagged: bool) -> Delivery:
    delivery = _own_delivery(actor, message)
    delivery.flagged = bool(flagged)
    delivery.save(update_fields=["flagged"])
    return delivery


@transaction.atomic
def message_move(*, actor, message: Message, folder: Folder | None) -> Delivery:
    """File the message in one of the person's folders (``None``: back to the inbox or « Envoyés »)."""
    delivery = _own_delivery(actor, message, file=True)
    if folder is not None and not permissions.can_manage_folder(actor, folder):
        raise PermissionDenied("Ce dossier n’est pas le vôtre.")
    was_trashed = delivery.trashed_at is not None
    delivery.folder = folder
    delivery.trashed_at = None
    delivery.save(update_fields=["folder", "trashed_at"])
    return _changed(delivery) if was_trashed else delivery


@transaction.atomic
def message_trash(*, actor, message: Message) -> Delivery:
    delivery = _own_delivery(actor, message, file=True)
    if delivery.trashed_at is None:
        delivery.trashed_at = timezone.now()
        delivery.save(update_fields=["trashed_at"])
        _changed(delivery)
    return delivery


@transaction.atomic
def message_restore(*, actor, message: Message) -> Delivery:
    """Out of the trash, back where it was (its folder, if it still exists; else the inbox)."""
    delivery = _own_delivery(actor, message, file=True)
    delivery.trashed_at = None
    delivery.save(update_fields=["trashed_at"])
    return _changed(delivery)


@transaction.atomic
def trash_empty(*, actor) -> int:
    """Delete the person's trashed deliveries (the message stays for its other recipients). Returns how many."""
    if not permissions.has_mailbox(actor):
        raise PermissionDenied("Vous n’avez pas de messagerie.")
    deleted, _ = Delivery.objects.filter(user=actor, trashed_at__isnull=False).delete()
    lists_changed([actor.pk])  # a batched delete: no signal (mail.lists)
    return deleted


# --- Folders -------------------------------------------------------------------------------------


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Donnez un nom au dossier."})
    if len(name) > FOLDER_NAME_MAX:
        raise ValidationError({"name": f"Le nom d’un dossier a au plus {FOLDER_NAME_MAX} caractères."})
    return name


def _check_parent(actor, parent: Folder | None, folder: Folder | None = None) -> None:
    if parent is None:
        return
    if not permissions.can_manage_folder(actor, parent):
        raise PermissionDenied("Ce dossier n’est pas le vôtre.")
    if parent.parent_id is not None:
        raise ValidationError({"parent": "Un dossier se range dans un dossier principal, pas plus bas."})
    if folder is not None and (parent.pk == folder.pk or folder.children.exists()):
        raise ValidationError({"parent": "Un dossier qui contient des sous-dossiers reste un dossier principal."})


def _save_folder(folder: Folder) -> Folder:
    try:
        with transaction.atomic():
            folder.save()
    except IntegrityError:
        raise ValidationError({"name": "Vous avez déjà un dossier de ce nom à cet endroit."}) from None
    return folder


@transaction.atomic
def folder_create(*, actor, name: str, parent: Folder | None = None) -> Folder:
    if not permissions.has_mailbox(actor):
        raise PermissionDenied("Vous n’avez pas de messagerie.")
    name = _clean_name(name)
    _check_parent(actor, parent)
    if Folder.objects.filter(owner=actor, parent=parent, name__iexact=name).exists():
        raise ValidationError({"name": "Vous avez déjà un dossier de ce nom à cet endroit."})
    return _save_folder(Folder(owner=actor, name=name, parent=parent))


@transaction.atomic
def folder_rename(*, actor, folder: Folder, name: str) -> Folder:
    if not permissions.can_manage_folder(actor, folder):
        raise PermissionDenied("Ce dossier n’est pas le vôtre.")
    name = _clean_name(name)
    if Folder.objects.filter(owner=actor, parent_id=folder.parent_id, name__iexact=name).exclude(pk=folder.pk).exists():
        raise ValidationError({"name": "Vous avez déjà un dossier de ce nom à cet endroit."})
    folder.name = name
    return _save_folder(folder)


@transaction.atomic
def folder_delete(*, actor, folder: Folder) -> int:
    """Delete a folder and its sub-folders; their messages go back to the inbox (or « Envoyés »).

    Returns how many messages went back.
    """
    if not permissions.can_manage_folder(actor, folder):
        raise PermissionDenied("Ce dossier n’est pas le vôtre.")
    ids = [folder.pk, *folder.children.values_list("pk", flat=True)]
    moved = Delivery.objects.filter(user=actor, folder_id__in=ids).update(folder=None)
    folder.delete()
    return moved


# --- The shared mailbox, reports ------------------------------------------------------------------


@transaction.atomic
def message_handle(*, actor, message: Message) -> Delivery:
    """« Je m'en occupe »: this team member handles the message received in the shared mailbox."""
    delivery = (
        Delivery.objects.select_for_update()
        .filter(message=message, shared_box_id__in=sorted(permissions.shared_boxes_of(actor)))
        .exclude(field=DeliveryField.SENDER)
        .first()
    )
    if delivery is None or not permissions.can_handle_delivery(actor, delivery):
        raise PermissionDenied("Ce message n’est pas dans la boîte de l’équipe.")
    if delivery.handled_by_id == actor.pk:
        return delivery
    delivery.handled_by = actor
    delivery.handled_at = timezone.now()
    delivery.read_at = delivery.read_at or delivery.handled_at
    delivery.save(update_fields=["handled_by", "handled_at", "read_at"])
    record(actor=actor, target=message, action=MailAction.HANDLED)
    return _changed(delivery)


@transaction.atomic
def message_report(*, actor, message: Message, reason: str) -> AbuseReport:
    """« Signaler un abus »: a recipient tells the administrators; they see the report, not the message."""
    delivery = delivery_for(user=actor, message=message)
    if not permissions.can_read_message(actor, message) or not permissions.can_report_message(actor, delivery):
        raise PermissionDenied("Vous ne pouvez signaler que les messages que vous avez reçus.")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Dites en quelques mots ce qui pose problème."})
    if AbuseReport.objects.filter(message=message, reporter=actor, status=AbuseReport.Status.OPEN).exists():
        raise ValidationError("Vous avez déjà signalé ce message ; un administrateur va l’examiner.")
    report = AbuseReport.objects.create(message=message, reporter=actor, reason=reason[:2000])
    record(actor=actor, target=message, action=MailAction.REPORTED)
    return report


def _close_report(actor, report: AbuseReport, status: str) -> AbuseReport:
    if not (actor.is_staff or actor.is_superuser):
        raise PermissionDenied("Seuls les administrateurs traitent les signalements.")
    report.status = status
    report.handled_by = actor
    report.handled_at = timezone.now()
    report.save(update_fields=["status", "handled_by", "handled_at"])
    record(
        actor=actor,
        target=report.message,
        action=MailAction.REPORT_HANDLED,
        label=f"Signalement : {report.get_status_display().lower()}",
    )
    return report


@transaction.atomic
def report_dismiss(*, actor, report: AbuseReport) -> AbuseReport:
    """« Classer sans suite »."""
    return _close_report(actor, report, AbuseReport.Status.DISMISSED)


@transaction.atomic
def report_recall(*, actor, report: AbuseReport) -> AbuseReport:
    """« Rappeler le message »: recipients then see « Message rappelé » only and its pending
    notifications are withdrawn, as when its sender recalls it (``message_recall``), but with no
    time limit: an administrator acts on a report whenever it comes. The report is closed."""
    message = Message.objects.select_for_update().get(pk=report.message_id)
    if message.status == MessageStatus.SENT and message.recalled_at is None:
        message.recalled_at = timezone.now()
        message.save(update_fields=["recalled_at", "updated_at"])
        # A recalled message no longer counts as unread: its recipients' counts and pages, as message_recall.
        mailboxes_changed(Delivery.objects.filter(message=message).received().values_list("user_id", "shared_box_id"))
        notifications_withdraw(target=message)
        record(actor=actor, target=message, action=MailAction.RECALLED, label="Message rappelé par un administrateur")
    return _close_report(actor, report, AbuseReport.Status.ACTED)


# --- Retention ----------------------------------------------------------------------------------


def retention_days() -> int:
    return settings.ENT_MAIL_RETENTION_DAYS


def trash_days() -> int:
    return settings.ENT_MAIL_TRASH_DAYS


def _delete_in_batches(queryset) -> int:
    deleted = 0
    while rows := list(queryset.values_list("pk", "user_id", "shared_box_id")[:PURGE_BATCH]):
        with transaction.atomic():
            count, _ = queryset.model.objects.filter(pk__in=[pk for pk, _, _ in rows]).delete()
            mailboxes_changed((user_id, box_id) for _, user_id, box_id in rows)
        deleted += count
    return deleted


def mail_purge(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The retention rule, run daily by ``mail.purge``; idempotent.

    Deletes the deliveries in the trash for more than ``ENT_MAIL_TRASH_DAYS`` and those received
    and left unfiled (the inbox, the shared mailbox) for more than ``ENT_MAIL_RETENTION_DAYS``;
    those filed in a personal folder and the sender's copies (« Envoyés ») stay. Then the sent
    messages left in no mailbox at all (and with no report to examine) go, with their attachments
    (``uploads.access``: media go with their holder). Drafts and scheduled messages are never purged.
    """
    now = now or timezone.now()
    trash = Delivery.objects.filter(trashed_at__lt=now - dt.timedelta(days=trash_days()))
    old = Delivery.objects.filter(
        trashed_at__isnull=True,
        folder__isnull=True,
        delivered_at__lt=now - dt.timedelta(days=retention_days()),
    ).exclude(field=DeliveryField.SENDER)
    counts = {"trash": _delete_in_batches(trash), "inbox": _delete_in_batches(old)}
    orphans = Message.objects.filter(status=MessageStatus.SENT).filter(
        ~Exists(Delivery.objects.filter(message=OuterRef("pk"))),
        ~Exists(AbuseReport.objects.filter(message=OuterRef("pk"), status=AbuseReport.Status.OPEN)),
    )
    counts["messages"] = 0
    while ids := list(orphans.values_list("pk", flat=True)[:PURGE_BATCH]):
        with transaction.atomic():
            # One by one through the ORM's collector: post_delete takes each message's media with it.
            counts["messages"] += Message.objects.filter(pk__in=ids).delete()[1].get("mail.Message", 0)
    return counts
