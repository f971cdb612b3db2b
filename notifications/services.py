"""Writes on notifications. The only module other apps call to tell people about something.

``notify()`` is the one entry point: it writes one row per person in the caller's transaction,
a few queries whatever the audience, and schedules the e-mails after commit.
"""

import base64
import binascii
import logging
from collections.abc import Iterable
from itertools import islice

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Case, Exists, F, OuterRef, Subquery, Value, When
from django.utils import timezone
from django.utils.text import Truncator

from accounts.audiences import Audience, audience_members
from accounts.models import User
from ent.header import unread_changed
from ent.queue import enqueue_each, enqueue_each_on_commit

from . import kinds
from .kinds import Frequency
from .models import (
    EmailSettings,
    EmailState,
    KindPreference,
    Notification,
    PushState,
    PushSubscription,
    effective_frequency,
    effective_push,
)
from .quiet_hours import next_allowed

logger = logging.getLogger(__name__)

# People handled per round trip: one query reads their preferences, then one bulk INSERT (PostgreSQL;
# SQLite splits it further, below its 999-parameter limit).
RECIPIENT_BATCH = 1000
# People per "send immediate e-mails" task: a task stays short, several workers can share a fan-out.
IMMEDIATE_TASK_BATCH = 100
TEXT_MAX = Notification._meta.get_field("text").max_length
URL_MAX = Notification._meta.get_field("url").max_length


def notify(
    *,
    kind: str,
    actor: User | None,
    target: models.Model | None,
    text: str,
    url: str,
    audience: Audience | None = None,
    recipients: Iterable | None = None,
    key: str | None = None,
    exclude_actor: bool = True,
) -> int:
    """Tell the people of ``audience`` and/or ``recipients`` about something. Returns the rows written.

    ``recipients`` is a QuerySet of users, or an iterable of users or user ids. Inactive accounts
    are skipped; so is the actor unless ``exclude_actor=False``. With ``key``, a person already
    notified with that key gets nothing new (so a scheduled reminder can run twice).
    E-mails follow each person's preferences and are enqueued after the caller's commit.
    """
    spec = kinds.get(kind)
    text = " ".join((text or "").split())
    if not text:
        raise ValueError("A notification needs a text.")
    if not url or len(url) > URL_MAX:
        raise ValueError(f"A notification needs a link of at most {URL_MAX} characters.")
    key = key or None
    target_type = target_id = None
    if target is not None:
        if not isinstance(target.pk, int):
            raise TypeError("The target of a notification must be a saved model instance with an integer primary key.")
        target_type, target_id = ContentType.objects.get_for_model(target), target.pk

    ids = _recipient_ids(audience, recipients)
    if exclude_actor and actor is not None:
        ids.discard(actor.pk)
    if not ids:
        return 0

    now = timezone.now()
    common = {
        "kind": kind,
        "actor": actor,
        "target_type": target_type,
        "target_id": target_id,
        "text": Truncator(text).chars(TEXT_MAX),
        "url": url,
        "key": key,
        "created_at": now,
    }
    written = 0
    due_now: list[int] = []
    push_now: list[int] = []
    with transaction.atomic():
        for batch in batched(sorted(ids), RECIPIENT_BATCH):
            rows = []
            for user_id, explicit, quiet, unsubscribed_at, explicit_push, has_device in _delivery_settings(
                batch, kind, key
            ):
                frequency = effective_frequency(
                    explicit=explicit, unsubscribed=unsubscribed_at is not None, default=spec.default_frequency
                )
                allowed = next_allowed(now, quiet_hours=quiet is not False)
                deliver_after = None
                if frequency == Frequency.IMMEDIATE:
                    deliver_after = allowed
                    if deliver_after <= now:
                        due_now.append(user_id)
                push = has_device and effective_push(explicit_push)
                if push and allowed <= now:
                    push_now.append(user_id)
                rows.append(
                    Notification(
                        recipient_id=user_id,
                        email_frequency=frequency,
                        email_state=EmailState.NONE if frequency == Frequency.NEVER else EmailState.PENDING,
                        deliver_after=deliver_after,
                        push_state=PushState.PENDING if push else PushState.NONE,
                        push_after=allowed if push else None,
                        **common,
                    )
                )
            # ignore_conflicts: a concurrent notify() with the same key loses quietly (unique constraint).
            Notification.objects.bulk_create(rows, batch_size=RECIPIENT_BATCH, ignore_conflicts=key is not None)
            written += len(rows)
            unread_changed(row.recipient_id for row in rows)
        if due_now:
            _enqueue_immediate_on_commit(due_now)
        if push_now:
            _enqueue_push_on_commit(push_now)
    return written


def batched(iterable, size: int):
    """``itertools.batched`` (Python 3.12) for Python 3.11: tuples of at most ``size`` items."""
    iterator = iter(iterable)
    while batch := tuple(islice(iterator, size)):
        yield batch


def _recipient_ids(audience: Audience | None, recipients) -> set[int]:
    ids: set[int] = set()
    if audience is not None:
        ids.update(audience_members(audience).order_by().values_list("pk", flat=True))
    if recipients is not None:
        if isinstance(recipients, models.QuerySet):
            ids.update(recipients.order_by().values_list("pk", flat=True))
        else:
            ids.update(getattr(person, "pk", person) for person in recipients)
    return ids


def _delivery_settings(user_ids, kind: str, key: str | None):
    """``(user_id, explicit frequency, quiet hours, unsubscribed_at, explicit push, has a device)``
    of the active people, one query."""
    preference = KindPreference.objects.filter(user=OuterRef("pk"), kind=kind)
    people = User.objects.filter(pk__in=user_ids, is_active=True).annotate(
        explicit=Subquery(preference.values("frequency")[:1]),
        explicit_push=Subquery(preference.values("push")[:1]),
        has_device=Exists(PushSubscription.objects.filter(user=OuterRef("pk"))),
    )
    if key is not None:
        people = people.filter(~Exists(Notification.objects.filter(recipient=OuterRef("pk"), key=key)))
    return people.order_by().values_list(
        "pk",
        "explicit",
        "notification_settings__quiet_hours",
        "notification_settings__unsubscribed_at",
        "explicit_push",
        "has_device",
    )


def _immediate_batches(recipient_ids: Iterable[int]) -> list[tuple[list[int]]]:
    """The arguments of one ``send_immediate`` task per :data:`IMMEDIATE_TASK_BATCH` people."""
    return [(list(batch),) for batch in batched(sorted(set(recipient_ids)), IMMEDIATE_TASK_BATCH)]


def _enqueue_immediate_on_commit(recipient_ids: Iterable[int]) -> None:
    from .tasks import send_immediate

    enqueue_each_on_commit(send_immediate, _immediate_batches(recipient_ids))


def _enqueue_push_on_commit(recipient_ids: Iterable[int]) -> None:
    from .tasks import send_push

    enqueue_each_on_commit(send_push, _immediate_batches(recipient_ids))


def enqueue_push(recipient_ids: Iterable[int]) -> bool:
    """Queue the pushes of these people now (for the sweep). False when the broker is unreachable."""
    from .tasks import send_push

    batches = _immediate_batches(recipient_ids)
    return enqueue_each(send_push, batches) == len(batches)


def enqueue_immediate(recipient_ids: Iterable[int]) -> bool:
    """Queue the immediate e-mails of these people now (for the sweep). Never raises a broker error.

    Returns False when the broker could not be reached (the rows stay "pending" and the periodic
    sweep, ``notifications.sweep``, sends them within minutes).
    """
    from .tasks import send_immediate

    batches = _immediate_batches(recipient_ids)
    return enqueue_each(send_immediate, batches) == len(batches)


def notification_mark_read(*, user: User, notification: Notification) -> None:
    """Mark one of the person's notifications read (an e-mail not sent yet is then not sent)."""
    if notification.recipient_id != user.pk:
        raise PermissionDenied("Cette notification ne vous est pas adressée.")
    now = timezone.now()
    _mark_read(Notification.objects.filter(pk=notification.pk, recipient=user), now, user)
    if notification.read_at is None:
        notification.read_at = now


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the person read. Returns how many changed."""
    return _mark_read(Notification.objects.filter(recipient=user), timezone.now(), user)


def notifications_mark_read_for(*, user: User, target: models.Model) -> int:
    """Mark read the person's notifications about ``target`` (e.g. when they open the object itself)."""
    if user is None or not user.is_authenticated:
        return 0
    queryset = Notification.objects.filter(
        recipient=user, target_type=ContentType.objects.get_for_model(target), target_id=target.pk
    )
    return _mark_read(queryset, timezone.now(), user)


def _mark_read(queryset, now, user=None) -> int:
    """Mark read the unread notifications of ``queryset`` (the person's own, or anyone's without
    ``user``: the demo's): their bells' counts are read again (``ent.header``) if any changed."""
    recipients = (
        [user.pk]
        if user is not None
        else set(queryset.filter(read_at__isnull=True).values_list("recipient_id", flat=True))
    )
    # Read on the site before its e-mail left: the e-mail is no longer worth sending.
    changed = queryset.filter(read_at__isnull=True).update(
        read_at=now,
        email_state=Case(When(email_state=EmailState.PENDING, then=Value(EmailState.NONE)), default=F("email_state")),
        push_state=Case(When(push_state=PushState.PENDING, then=Value(PushState.NONE)), default=F("push_state")),
    )
    if changed:
        unread_changed(recipients)
    return changed


def preferences_save(
    *, user: User, frequencies: dict[str, str], quiet_hours: bool, push: dict[str, bool] | None = None
) -> None:
    """Record the person's choices (kind -> frequency, kind -> pushed to their devices) and re-plan
    the e-mails and pushes still waiting.

    A kind this person cannot receive (``receivers`` of its registration) is refused: nothing is saved."""
    push = push or {}
    for kind in push:
        if kind not in frequencies:
            raise ValueError(f"A push choice for {kind!r} comes with its e-mail frequency.")
    for kind, frequency in frequencies.items():
        if not kinds.get(kind).can_receive(user):
            raise PermissionDenied(f"{user.pk} cannot receive notifications of kind {kind!r}.")
        if frequency not in Frequency.values:
            raise ValueError(f"Unknown frequency {frequency!r} for {kind!r}.")
    now = timezone.now()
    with transaction.atomic():
        settings_row, _ = EmailSettings.objects.select_for_update().get_or_create(user=user)
        settings_row.quiet_hours = quiet_hours
        settings_row.unsubscribed_at = None
        settings_row.save()
        KindPreference.objects.filter(user=user, kind__in=list(frequencies)).delete()
        KindPreference.objects.bulk_create(
            KindPreference(user=user, kind=kind, frequency=frequency, push=push.get(kind))
            for kind, frequency in frequencies.items()
        )
        refused = [kind for kind, wanted in push.items() if not wanted]
        if refused:
            Notification.objects.filter(recipient=user, push_state=PushState.PENDING, kind__in=refused).update(
                push_state=PushState.NONE, push_after=None
            )
        Notification.objects.filter(recipient=user, push_state=PushState.PENDING).update(
            push_after=next_allowed(now, quiet_hours=quiet_hours)
        )
        pending = Notification.objects.filter(recipient=user, email_state=EmailState.PENDING)
        by_frequency: dict[str, list[str]] = {}
        for kind, frequency in frequencies.items():
            by_frequency.setdefault(frequency, []).append(kind)
        for frequency, kind_keys in by_frequency.items():
            waiting = pending.filter(kind__in=kind_keys)
            if frequency == Frequency.NEVER:
                waiting.update(email_state=EmailState.NONE, email_frequency=frequency, deliver_after=None)
            elif frequency == Frequency.IMMEDIATE:
                waiting.update(email_frequency=frequency, deliver_after=next_allowed(now, quiet_hours=quiet_hours))
            else:
                waiting.update(email_frequency=frequency, deliver_after=None)
        if next_allowed(now, quiet_hours=quiet_hours) <= now and Frequency.IMMEDIATE in by_frequency:
            _enqueue_immediate_on_commit([user.pk])
        if next_allowed(now, quiet_hours=quiet_hours) <= now and any(push.values()):
            _enqueue_push_on_commit([user.pk])


def notifications_unsubscribe(*, user: User) -> None:
    """One-click unsubscribe: no more notification e-mails at all (the site still shows them)."""
    now = timezone.now()
    with transaction.atomic():
        settings_row, _ = EmailSettings.objects.select_for_update().get_or_create(user=user)
        if settings_row.unsubscribed_at is None:
            settings_row.unsubscribed_at = now
            settings_row.save(update_fields=["unsubscribed_at", "updated_at"])
        KindPreference.objects.filter(user=user).exclude(frequency=Frequency.NEVER).update(frequency=Frequency.NEVER)
        Notification.objects.filter(recipient=user, email_state=EmailState.PENDING).update(
            email_state=EmailState.NONE, email_frequency=Frequency.NEVER, deliver_after=None
        )
    logger.info("User %s unsubscribed from notification e-mails", user.pk)


def notifications_redeliver(*, actor: User, notifications) -> dict:
    """Put failed e-mails back in the queue (admin action). Immediate ones leave now, or on the next
    allowed morning; digest ones join the next digest. Returns counts for the admin's message."""
    now = timezone.now()
    ids = [getattr(n, "pk", n) for n in notifications]
    counts = {"immediate": 0, "digest": 0}
    due_now: set[int] = set()
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(of=("self",))
            .filter(pk__in=ids, email_state=EmailState.FAILED)
            .values_list("pk", "recipient_id", "email_frequency", "recipient__notification_settings__quiet_hours")
        )
        plans: dict = {}
        for pk, recipient_id, frequency, quiet in rows:
            if frequency == Frequency.IMMEDIATE:
                when = next_allowed(now, quiet_hours=quiet is not False)
                if when <= now:
                    due_now.add(recipient_id)
                counts["immediate"] += 1
            else:
                when = None
                counts["digest"] += 1
            plans.setdefault(when, []).append(pk)
        for when, pks in plans.items():
            Notification.objects.filter(pk__in=pks, email_state=EmailState.FAILED).update(
                email_state=EmailState.PENDING, deliver_after=when, email_claimed_at=None, digest=None, email_error=""
            )
        if due_now:
            _enqueue_immediate_on_commit(due_now)
    logger.info("User %s re-queued %s failed notification e-mails", actor.pk, len(rows))
    return counts


def notifications_withdraw(*, target: models.Model) -> int:
    """Delete the notifications of ``target`` nobody has seen yet: unread, and their e-mail neither
    sent nor being sent (a recalled message). Returns how many were withdrawn."""
    queryset = Notification.objects.filter(
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        read_at__isnull=True,
        emailed_at__isnull=True,
        email_claimed_at__isnull=True,
    )
    with transaction.atomic():
        recipients = set(queryset.values_list("recipient_id", flat=True))
        deleted, _ = queryset.delete()
        unread_changed(recipients)
    return deleted


# --- Devices (Web Push subscriptions) -------------------------------------------------------------

LABEL_MAX = PushSubscription._meta.get_field("label").max_length


def push_subscribe(*, user: User, endpoint: str, p256dh: str, auth: str, label: str) -> PushSubscription:
    """Record this device's subscription for the person (the same device again: updated, dated anew).

    A browser has one subscription per site: signed in as someone else, it now belongs to them.
    ``ValueError`` (in French) for an address that is no known push service or malformed keys."""
    from .push import endpoint_allowed

    if not endpoint_allowed(endpoint) or len(endpoint) > 1000:
        raise ValueError("Ce navigateur propose un service de notification que l’ENT ne connaît pas.")
    if not _is_key(p256dh, 65) or not _is_key(auth, 16):
        raise ValueError("Les clés de l’appareil sont incomplètes : réessayez depuis ce navigateur.")
    label = " ".join((label or "").split())[:LABEL_MAX] or "Appareil sans nom"
    with transaction.atomic():
        subscription, created = PushSubscription.objects.select_for_update().get_or_create(
            endpoint=endpoint, defaults={"user": user, "p256dh": p256dh, "auth": auth, "label": label}
        )
        if not created:
            subscription.user, subscription.p256dh, subscription.auth, subscription.label = user, p256dh, auth, label
            subscription.created_at = timezone.now()
            subscription.last_sent_at = None
            subscription.save()
    logger.info("User %s added push subscription %s", user.pk, subscription.pk)
    return subscription


def push_unsubscribe(*, user: User, subscription: PushSubscription) -> None:
    """Forget one of the person's devices: nothing is pushed to it any more."""
    if subscription.user_id != user.pk:
        raise PermissionDenied("Cet appareil n’est pas le vôtre.")
    PushSubscription.objects.filter(pk=subscription.pk, user=user).delete()
    logger.info("User %s removed push subscription %s", user.pk, subscription.pk)


def _is_key(value: str, length: int) -> bool:
    if not isinstance(value, str) or not value or len(value) > 200:
        return False
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        return False
    return len(raw) == length and (length != 65 or raw[0] == 4)
