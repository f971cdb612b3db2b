"""Reads of the mailbox side: boxes and folders, unread counts, a message and its thread, search, print.

Every list reads one page of rows in one query (sender, school and attachment mark joined or
annotated), whatever the size of the mailbox; counts come from one grouped query on the partial
index of unread deliveries. Everything is filtered by ``permissions.deliveries_visible_to`` /
``messages_visible_to``: a person reads their own mailbox and, in the district team, the shared one.
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from ent.lists import Cut, first_of
from uploads.models import MediaFile

from . import permissions, recipients
from .models import Delivery, DeliveryField, Folder, Message, MessageStatus
from .text import search_key

INBOX = "reception"
SENT = "envoyes"
DRAFTS = "brouillons"
SCHEDULED = "programmes"
TRASH = "corbeille"
TEAM = "equipe"
BOX_LABELS = {
    INBOX: "Boîte de réception",
    SENT: "Envoyés",
    DRAFTS: "Brouillons",
    SCHEDULED: "Programmés",
    TRASH: "Corbeille",
    TEAM: "Équipe de circonscription",
}
# The boxes with their own URL (the inbox is the messaging's home page).
BOX_SLUGS = (SENT, DRAFTS, SCHEDULED, TRASH, TEAM)
# « À : … » shows this many recipients, then « et N autres ».
ADDRESS_LIMIT = 8


def _has_attachments(message_ref: str):
    return Exists(
        MediaFile.objects.filter(
            holder_content_type=ContentType.objects.get_for_model(Message), holder_object_id=OuterRef(message_ref)
        )
    )


def _delivery_rows(queryset) -> QuerySet[Delivery]:
    return (
        queryset.select_related("message__sender", "message__sent_as", "handled_by")
        .annotate(has_attachments=_has_attachments("message_id"))
        .order_by("-delivered_at", "-pk")
    )


def box_deliveries(*, user, box: str, folder: Folder | None = None) -> QuerySet[Delivery]:
    """The deliveries listed in one box (inbox, sent, trash, the team's) or one of the person's folders."""
    own = Delivery.objects.filter(user_id=user.pk)
    if folder is not None:
        rows = own.filter(folder=folder, trashed_at__isnull=True)
    elif box == INBOX:
        rows = own.filter(folder__isnull=True, trashed_at__isnull=True).exclude(field=DeliveryField.SENDER)
    elif box == SENT:
        rows = own.filter(field=DeliveryField.SENDER, folder__isnull=True, trashed_at__isnull=True)
    elif box == TRASH:
        rows = own.filter(trashed_at__isnull=False)
    elif box == TEAM:
        shared = permissions.shared_boxes_of(user)
        rows = Delivery.objects.filter(shared_box_id__in=sorted(shared), trashed_at__isnull=True)
    else:
        raise ValueError(f"Not a box of deliveries: {box!r}")
    return _delivery_rows(rows)


def box_messages(*, user, box: str) -> QuerySet[Message]:
    """The person's own drafts (last edited first) or scheduled messages (next to leave first)."""
    mine = Message.objects.filter(sender_id=user.pk).annotate(has_attachments=_has_attachments("pk"))
    if box == DRAFTS:
        return mine.drafts().select_related("sent_as").order_by("-updated_at", "-pk")
    if box == SCHEDULED:
        return mine.scheduled().select_related("sent_as").order_by("published_at", "pk")
    raise ValueError(f"Not a box of messages: {box!r}")


def unread_count(user) -> int:
    """The unread messages of the person's mailboxes: one COUNT on the partial index of unread deliveries."""
    messages = unread_queryset(user)
    return 0 if messages is None else messages.count()


def unread_queryset(user):
    """The unread deliveries of the person's mailboxes, or ``None`` for a person without a mailbox."""
    if not permissions.has_mailbox(user):
        return None
    return Delivery.objects.unread().filter(permissions.deliveries_visible_to(user))


@dataclass
class FolderEntry:
    folder: Folder
    unread: int = 0
    children: list = field(default_factory=list)

    @property
    def key(self) -> str:
        """The box key of the folder's page (``box`` in the mailbox's templates)."""
        return f"dossier-{self.folder.pk}"


@dataclass
class Sidenav:
    """The boxes and folders of the mailbox's side menu, with their unread counts."""

    unread: dict
    folders: list
    team: bool

    @property
    def flat_folders(self) -> list[Folder]:
        """Every folder, a main one before its sub-folders (for « Déplacer vers »)."""
        return [f for entry in self.folders for f in (entry.folder, *(c.folder for c in entry.children))]


def sidenav(*, user) -> Sidenav:
    """Two queries whatever the mailbox holds: the person's folders, and the unread counts grouped."""
    folders = list(Folder.objects.filter(permissions.folders_visible_to(user)).order_by("name", "pk"))
    counts = (
        Delivery.objects.unread()
        .filter(permissions.deliveries_visible_to(user))
        .values("folder_id", "shared_box_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    unread = {INBOX: 0, TEAM: 0}
    by_folder: dict[int, int] = {}
    for row in counts:
        if row["shared_box_id"] is not None:
            unread[TEAM] += row["n"]
        elif row["folder_id"] is None:
            unread[INBOX] += row["n"]
        else:
            by_folder[row["folder_id"]] = row["n"]
    entries = {f.pk: FolderEntry(f, by_folder.get(f.pk, 0)) for f in folders}
    top = []
    for folder in folders:
        if folder.parent_id is None:
            top.append(entries[folder.pk])
        elif folder.parent_id in entries:
            entries[folder.parent_id].children.append(entries[folder.pk])
    return Sidenav(unread=unread, folders=top, team=permissions.can_read_shared_box(user))


def folder_of(*, user, pk) -> Folder | None:
    return Folder.objects.filter(permissions.folders_visible_to(user), pk=pk).select_related("parent").first()


def message_for(*, user, pk) -> Message | None:
    """The message, if this person may open it (its sender, or someone it reached); else None (→ 404)."""
    message = Message.objects.select_related("sender", "sent_as").filter(pk=pk).first()
    if message is None or not permissions.can_read_message(user, message):
        return None
    if message.status != MessageStatus.SENT and not permissions.is_sender(user, message):
        return None
    return message


def attachments_of(message: Message) -> list[MediaFile]:
    return list(MediaFile.objects.attached_to(message).order_by("created_at", "pk"))


# --- « À : Tous les directeurs, École Jules-Ferry… » -------------------------------------------------


@dataclass(frozen=True)
class Addressed:
    """One field of the addressing as the sender chose it, cut after :data:`ADDRESS_LIMIT` labels."""

    shown: list
    hidden: list

    @property
    def others(self) -> int:
        return len(self.hidden)

    def __bool__(self):
        return bool(self.shown)


def addressing_of(*, user, message: Message) -> dict[str, Addressed]:
    """``{"to": …, "cc": …, "bcc": …}``: the labels of the tokens as chosen (``mail.recipients.labels``:
    two queries at most), « Tous les directeurs » rather than 250 names.

    Blind copies only for the sender; nothing of the recipients for others once recalled.
    """
    fields = ["to", "cc"]
    if permissions.can_see_bcc(user, message):
        fields.append("bcc")
    if not permissions.can_see_content(user, message):
        fields = []
    addressing = message.addressing or {}
    tokens = {name: [str(t) for t in addressing.get(name, []) if t] for name in fields}
    found = recipients.labels(t for name in fields for t in tokens[name])
    result = {}
    for name in fields:
        texts = [found[t].text for t in tokens[name] if t in found]
        result[name] = Addressed(shown=texts[:ADDRESS_LIMIT], hidden=texts[ADDRESS_LIMIT:])
    return result


# --- A conversation -----------------------------------------------------------------------------


def thread_of(*, user, message: Message) -> QuerySet[Message]:
    """The messages of the conversation this person may read, in the order they were sent."""
    root = message.thread_id or message.pk
    mine = Delivery.objects.filter(permissions.deliveries_visible_to(user), message_id=OuterRef("pk"))
    return (
        Message.objects.sent()
        .filter(Q(thread_id=root) | Q(pk=root))
        .filter(permissions.messages_visible_to(user))
        .select_related("sender", "sent_as")
        .annotate(has_attachments=_has_attachments("pk"), unread=Exists(mine.filter(read_at__isnull=True).received()))
        .order_by("published_at", "pk")
    )


def thread_size(*, user, message: Message) -> int:
    root = message.thread_id or message.pk
    return (
        Message.objects.sent()
        .filter(Q(thread_id=root) | Q(pk=root))
        .filter(permissions.messages_visible_to(user))
        .count()
    )


# --- Search -------------------------------------------------------------------------------------


def search(*, user, query: str) -> QuerySet[Delivery]:
    """The person's deliveries whose subject, body or sender contain every word of ``query``.

    Accent- and case-insensitive: ``query`` goes through ``mail.text.search_key``, as
    ``Message.search_text`` did when the message was written. Includes « Envoyés », folders, the
    trash and the team's mailbox; not drafts.
    """
    words = search_key(query).split()
    if not words:
        return Delivery.objects.none()
    condition = Q()
    for word in words:
        condition &= Q(message__search_text__contains=word)
    return _delivery_rows(Delivery.objects.filter(permissions.deliveries_visible_to(user)).filter(condition))


# --- Accueil ----------------------------------------------------------------------------------------


def latest_unread(*, user, limit: int = 5) -> Cut:
    """The last unread messages of the person's mailboxes and how many there are (one query)."""
    rows = (
        Delivery.objects.unread()
        .filter(permissions.deliveries_visible_to(user))
        .select_related("message__sender", "message__sent_as")
        .order_by("-delivered_at", "-pk")
    )
    return first_of(rows, limit)
