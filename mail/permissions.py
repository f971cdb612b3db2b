"""Every "may this person…" question about the messaging. Views and templates ask these, never a role.

Two sections, one per side of the messaging: who may write to whom (the composing side), then who
may read what (the mailbox side).
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.audiences import members_of
from accounts.models import Structure, User
from accounts.partners import partner_schools
from accounts.permissions import acts_for_district
from accounts.roles import viewer
from ent.predicates import NOTHING, Predicate, pair, where

from .models import Delivery, DeliveryField, Folder, Message, MessageStatus

# =============================================================================================
# Writing: who may write to whom, and what the sender may do with a message (the composing side)
# =============================================================================================
#
# The district team (and administrators) write to anyone: a person, a school (its members or its
# direction), every director, every team, the RASED, the whole district, the team's shared box.
# A director or a teacher (and a RASED member) writes to the district team (its shared mailbox,
# or each member, or one member by name), to the people of their own structures, to the RASED, and
# to the direction or the people of a school they share a project with (``accounts.partners``);
# never to the groups of the whole district. A refused recipient is named in a French message.


@dataclass(frozen=True)
class WriteScope:
    """The recipients a person may choose, computed once per request (a few queries)."""

    everything: bool = False
    groups: frozenset = frozenset()
    structure_ids: frozenset = frozenset()  # ``s:<id>`` allowed
    direction_ids: frozenset = frozenset()  # ``d:<id>`` allowed

    def allows_group(self, token: str) -> bool:
        return self.everything or token in self.groups

    def allows_structure(self, pk: int) -> bool:
        return self.everything or pk in self.structure_ids

    def allows_direction(self, pk: int) -> bool:
        return self.everything or pk in self.direction_ids

    def structures_q(self) -> Q:
        """The structures to suggest (``s:`` or ``d:``), on ``Structure``."""
        if self.everything:
            return Q()
        return Q(pk__in=sorted(self.structure_ids | self.direction_ids))

    def people(self):
        """The active people this person may write to by name (a queryset)."""
        if self.everything:
            return User.objects.filter(is_active=True)
        if not self.structure_ids:
            return User.objects.none()
        return members_of(sorted(self.structure_ids))


NO_SCOPE = WriteScope()


def can_compose(user) -> bool:
    """Whoever has a place in the district writes messages (the district team, schools, the RASED)."""
    v = viewer(user)
    return v.is_authenticated and (v.is_superuser or v.has_membership)


def write_scope(user) -> WriteScope:
    """This person's :class:`WriteScope`, kept on the user object for the request."""
    if not can_compose(user):
        return NO_SCOPE
    cached = getattr(user, "_mail_write_scope", None)
    if cached is not None:
        return cached
    if acts_for_district(user):
        scope = WriteScope(everything=True)
    else:
        own = viewer(user).structure_ids
        shared = set(
            Structure.objects.filter(kind__in=[Structure.Kind.DISTRICT_TEAM, Structure.Kind.RASED]).values_list(
                "pk", flat=True
            )
        )
        partners = frozenset(partner_schools(own))
        scope = WriteScope(
            groups=frozenset({"team", "rased"}),
            structure_ids=frozenset(own) | partners | frozenset(shared),
            direction_ids=(frozenset(own) | partners) - frozenset(shared),
        )
    user._mail_write_scope = scope
    return scope


def refused_recipients(user, tokens, *, also_people=()) -> list[str]:
    """The French labels of the tokens this person may not write to (unknown or gone ones included).

    ``also_people``: ids of people allowed whatever the scope (the sender of a message one answers).
    Three queries at most, whatever the number of tokens.
    """
    from .recipients import DIRECTION, PERSON, STRUCTURE, labels, parse

    tokens = list(tokens)
    scope = write_scope(user)
    names = labels(tokens)
    person_ids = {parse(t).pk for t in tokens if t.startswith(f"{PERSON}:")}
    allowed_people = set()
    if person_ids:
        allowed_people = set(scope.people().filter(pk__in=person_ids).values_list("pk", flat=True))
        allowed_people |= set(
            User.objects.filter(pk__in=person_ids & set(also_people), is_active=True).values_list("pk", flat=True)
        )
    refused = []
    for token in tokens:
        parsed = parse(token)
        label = names.get(token)
        if parsed is None or label is None or not label.exists:
            refused.append(label.text if label else token)
        elif parsed.kind == PERSON:
            if parsed.pk not in allowed_people:
                refused.append(label.text if label.reachable else f"{label.text} (compte désactivé)")
        elif parsed.kind == STRUCTURE:
            if not scope.allows_structure(parsed.pk):
                refused.append(label.text)
        elif parsed.kind == DIRECTION:
            if not scope.allows_direction(parsed.pk):
                refused.append(label.text)
        elif not scope.allows_group(parsed.kind):
            refused.append(label.text)
    return refused


def recipients_error(user, addressing: dict, *, also_people=()) -> ValidationError | None:
    """The French refusal naming every recipient this person may not write to, or None."""
    from .recipients import all_tokens

    if not can_compose(user):
        return ValidationError("Vous ne pouvez pas écrire de message.", code="forbidden")
    refused = refused_recipients(user, all_tokens(addressing), also_people=also_people)
    if not refused:
        return None
    if len(refused) == 1:
        return ValidationError(f"Vous ne pouvez pas écrire à : {refused[0]}.", code="recipient_refused")
    return ValidationError(
        "Vous ne pouvez pas écrire à ces destinataires : " + ", ".join(refused) + ".", code="recipient_refused"
    )


def can_use_no_reply(user) -> bool:
    """« Ne pas répondre » is for the district's announcements."""
    return acts_for_district(user)


def can_write_to(user, token: str) -> bool:
    return can_compose(user) and not refused_recipients(user, [token])


def can_edit_draft(user, message: Message) -> bool:
    """Edit, autosave, send or delete a draft: its author, while it is a draft."""
    return can_compose(user) and is_sender(user, message) and message.status == MessageStatus.DRAFT


def can_undo_send(user, message: Message, now=None) -> bool:
    """« Annuler l’envoi »: its sender, during the seconds it waits (``undo_until``)."""
    now = now or timezone.now()
    return (
        is_sender(user, message)
        and message.status == MessageStatus.SCHEDULED
        and message.undo_until is not None
        and now < message.undo_until
    )


def can_cancel_schedule(user, message: Message, now=None) -> bool:
    """Cancel an « envoi différé » (back to a draft): its sender, until it leaves."""
    now = now or timezone.now()
    return (
        is_sender(user, message)
        and message.status == MessageStatus.SCHEDULED
        and message.published_at is not None
        and message.published_at > now
    )


def recall_deadline(message: Message):
    if message.published_at is None:
        return None
    return message.published_at + timedelta(minutes=settings.ENT_MAIL_RECALL_MINUTES)


def can_recall(user, message: Message, now=None) -> bool:
    """« Rappeler »: its sender, within ``ENT_MAIL_RECALL_MINUTES`` of its sending, once."""
    now = now or timezone.now()
    if not is_sender(user, message) or message.is_recalled:
        return False
    if message.status == MessageStatus.SCHEDULED:
        return True  # recalling a scheduled message turns it back into a draft
    return message.status == MessageStatus.SENT and now <= recall_deadline(message)


def can_view_receipts(user, message: Message) -> bool:
    """The read receipts of a message: its sender, when they asked for them."""
    return is_sender(user, message) and message.read_receipt and message.status == MessageStatus.SENT


def remind_available_at(message: Message):
    """When « Relancer » is possible again (once a day), None if now."""
    if message.last_reminded_at is None:
        return None
    return message.last_reminded_at + timedelta(days=1)


def can_remind(user, message: Message, now=None) -> bool:
    """« Relancer » the unread: the sender of a message with receipts, not recalled, once a day."""
    now = now or timezone.now()
    if not can_view_receipts(user, message) or message.is_recalled:
        return False
    again = remind_available_at(message)
    return again is None or now >= again


def can_reply(user, message: Message) -> bool:
    """Reply: whoever may read its content, unless the sender chose « Ne pas répondre »."""
    if not can_compose(user) or message.status != MessageStatus.SENT or not can_see_content(user, message):
        return False
    return is_sender(user, message) or not message.no_reply


def can_forward(user, message: Message) -> bool:
    return can_compose(user) and message.status == MessageStatus.SENT and can_see_content(user, message)


def can_manage_contact_list(user, contact_list) -> bool:
    return can_compose(user) and contact_list.owner_id == user.pk


def contact_lists_visible_to(user) -> Q:
    return Q(owner_id=user.pk) if can_compose(user) else Q(pk__in=[])


# =============================================================================================
# Reading: mailboxes, messages, attachments (the mailbox side)
# =============================================================================================
#
# A person's mailboxes are their own (``Delivery.user``) and, for the current members of the
# district team, the team's shared one (``Delivery.shared_box`` = the team structure, read
# together: « Équipe de circonscription »). A message is readable by its sender and by whoever has
# one of its deliveries in their mailboxes; every message URL answers 404 to anyone else. A
# recalled message still opens for its recipients, showing « Message rappelé » only: its content,
# other recipients and attachments are hidden from them (not from its sender).


def has_mailbox(user) -> bool:
    """Every signed-in, active person has a mailbox (they can be written to by name)."""
    return viewer(user).is_authenticated


def shared_boxes_of(user) -> frozenset:
    """The shared mailboxes this person reads: the district team's, for its current members."""
    return viewer(user).team_structure_ids


def can_read_shared_box(user) -> bool:
    return bool(shared_boxes_of(user))


def deliveries_visible_to(user) -> Q:
    """The deliveries in this person's mailboxes (their own and the team's shared one), on ``Delivery``."""
    if not has_mailbox(user):
        return Q(pk__in=[])
    shared = shared_boxes_of(user)
    own = Q(user_id=user.pk)
    return own | Q(shared_box_id__in=sorted(shared)) if shared else own


def _received_by(user) -> Predicate:
    """Some delivery of the message is in this person's mailboxes (one subquery, or one query)."""

    def q(prefix: str) -> Q:
        deliveries = Delivery.objects.filter(deliveries_visible_to(user), message_id=OuterRef("pk"))
        if not prefix:
            return Q(Exists(deliveries))
        return Q(**{f"{prefix}pk__in": Delivery.objects.filter(deliveries_visible_to(user)).values("message_id")})

    def check(message) -> bool:
        return Delivery.objects.filter(deliveries_visible_to(user), message_id=message.pk).exists()

    return pair(q=q, check=check)


def message_readers(user) -> Predicate:
    """The one rule for "may open this message": its sender, or a delivery of it in their mailboxes.

    Read by :func:`messages_visible_to` (lists) and :func:`can_read_message` (one message), both
    remembered on the object for the request (attachments ask again for each file).
    """
    if not has_mailbox(user):
        return NOTHING
    return (where(sender_id=user.pk) | _received_by(user)).remembered("_mail_readers", user.pk)


def messages_visible_to(user) -> Q:
    return message_readers(user).q()


def can_read_message(user, message: Message) -> bool:
    return message_readers(user).check(message)


def is_sender(user, message: Message) -> bool:
    return user.is_authenticated and message.sender_id is not None and message.sender_id == user.pk


def can_see_content(user, message: Message) -> bool:
    """Body, other recipients and attachments: hidden from recipients once the message is recalled."""
    return can_read_message(user, message) and (is_sender(user, message) or not message.is_recalled)


def can_view_attachments(user, message: Message) -> bool:
    """The rule of the files attached to a message (``uploads.access.register_holder``)."""
    return can_see_content(user, message)


def can_see_bcc(user, message: Message) -> bool:
    """Blind copies are shown to the sender only."""
    return is_sender(user, message)


def can_report_message(user, delivery: Delivery | None) -> bool:
    """« Signaler un abus »: a recipient, of a message received (not one's own copy)."""
    return delivery is not None and delivery.field != DeliveryField.SENDER


def can_handle_delivery(user, delivery: Delivery | None) -> bool:
    """« Je m'en occupe »: a team member, for a message received in the team's shared mailbox."""
    return (
        delivery is not None
        and delivery.shared_box_id is not None
        and delivery.field != DeliveryField.SENDER
        and delivery.shared_box_id in shared_boxes_of(user)
    )


def can_file_delivery(user, delivery: Delivery | None) -> bool:
    """Move to a folder, put in the trash, restore: one's own mailbox only (the shared one stays whole)."""
    return delivery is not None and delivery.user_id is not None and delivery.user_id == user.pk


def can_manage_folder(user, folder: Folder) -> bool:
    return has_mailbox(user) and folder.owner_id == user.pk


def folders_visible_to(user) -> Q:
    return Q(owner_id=user.pk) if has_mailbox(user) else Q(pk__in=[])


def can_open_draft(user, message: Message) -> bool:
    return is_sender(user, message) and message.status == MessageStatus.DRAFT
