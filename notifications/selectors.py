"""Reads on notifications, for a given person."""

from django.db.models import QuerySet

from . import kinds
from .models import EmailSettings, KindPreference, Notification, PushSubscription, effective_frequency, effective_push
from .permissions import notifications_visible_to

# The bell shows "plus de 99": counting stops there, so the query costs the same for everyone.
UNREAD_CAP = 99


def notification_list(*, user) -> QuerySet[Notification]:
    return (
        Notification.objects.filter(notifications_visible_to(user))
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )


def notification_for(*, user, pk: int) -> Notification | None:
    """The person's own notification, or None (someone else's is as good as missing: 404)."""
    return Notification.objects.filter(notifications_visible_to(user), pk=pk).first()


def unread_count(*, user, cap: int = UNREAD_CAP) -> int:
    """Unread notifications, up to ``cap + 1``: one query on a partial index, whatever the volume."""
    if user is None or not user.is_authenticated:
        return 0
    return unread_queryset(user=user, cap=cap).count()


def unread_queryset(*, user, cap: int = UNREAD_CAP):
    """The person's unread notifications, at most ``cap + 1`` of them (for counting)."""
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).order_by()[: cap + 1]


def unread_count_for_request(request) -> int:
    """:func:`unread_count` for the person making the request, read once per request with the
    menu's unread messages (``ent.header``: one query for both), for the bell and the panel."""
    from ent.header import counts_for_request

    return counts_for_request(request)[0]


def latest_unread(*, user, limit: int = 5) -> list[Notification]:
    return list(notification_list(user=user).filter(read_at__isnull=True)[:limit])


def email_preferences(*, user) -> dict:
    """``{"quiet_hours": bool, "unsubscribed": bool, "frequencies": {kind key: frequency},
    "push": {kind key: bool}}`` for every registered kind (explicit choice, or the default). Two queries."""
    row = EmailSettings.objects.filter(user=user).first()
    unsubscribed = row is not None and row.unsubscribed_at is not None
    rows = list(KindPreference.objects.filter(user=user).values_list("kind", "frequency", "push"))
    explicit = {kind: frequency for kind, frequency, _ in rows}
    explicit_push = {kind: push for kind, _, push in rows}
    return {
        "push": {kind.key: effective_push(explicit_push.get(kind.key)) for kind in kinds.all_kinds()},
        "quiet_hours": row.quiet_hours if row is not None else True,
        "unsubscribed": unsubscribed,
        "frequencies": {
            kind.key: effective_frequency(
                explicit=explicit.get(kind.key), unsubscribed=unsubscribed, default=kind.default_frequency
            )
            for kind in kinds.all_kinds()
        },
    }


def push_devices(*, user) -> QuerySet[PushSubscription]:
    """The person's devices that receive their notifications, newest first."""
    return PushSubscription.objects.filter(user=user).order_by("-created_at", "-pk")
