"""Web Push: notifications shown on a person's devices (``pywebpush``, VAPID, RFC 8291 aes128gcm).

Sending follows the e-mails' rule, at most once (see docs/architecture/notifications.md):

1. **claim** the notification: a conditional UPDATE ``push_state`` pending → sent (only one worker
   wins it, however many copies of the task run);
2. for each of the person's devices, **record** a :class:`~notifications.models.PushDelivery`
   (unique per notice and device) before handing the message to the push service;
3. a push service answering 404 or 410 says the device is gone: its subscription is deleted.

The payload says who and what (the kind's app, the notification's one-line text, the link that
opens it): never a private body, which a notification's text does not hold either.
"""

import base64
import datetime as dt
import fnmatch
import json
import logging
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.db import IntegrityError, transaction
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush

from . import kinds
from .models import Notification, PushDelivery, PushState, PushSubscription

logger = logging.getLogger(__name__)

# At most this many notifications pushed per task run; the sweep picks up the rest.
PUSH_PER_RUN = 500
# Seconds a push service keeps a message for a device that is offline.
PUSH_TTL = 24 * 60 * 60
# Seconds to wait for a push service.
PUSH_TIMEOUT = 10
GONE = {404, 410}
BODY_MAX = 200


# --- VAPID keys --------------------------------------------------------------------------------


def _dev_key_file() -> Path:
    return Path(settings.ENT_VAPID_DEV_KEY_FILE)


def _private_key_text() -> str:
    """The VAPID private key (base64url raw or DER, or PEM): the setting, else the development key
    generated once under ``var/`` (production refuses to start without the setting: ent.E003)."""
    if settings.ENT_VAPID_PRIVATE_KEY:
        return settings.ENT_VAPID_PRIVATE_KEY
    path = _dev_key_file()
    if not path.exists():
        vapid = Vapid02()
        vapid.generate_keys()
        raw = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_b64(raw) + "\n")
        path.chmod(0o600)
        logger.info("Generated a development VAPID key in %s", path)
    return path.read_text().strip()


@cache
def _vapid_for(private_key: str) -> Vapid02:
    if "BEGIN" in private_key:
        return Vapid02.from_pem(private_key.encode())
    return Vapid02.from_string(private_key)


def vapid() -> Vapid02:
    return _vapid_for(_private_key_text())


def vapid_public_key() -> str:
    """The applicationServerKey the browser subscribes with: base64url of the uncompressed point."""
    point = vapid().public_key.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return _b64(point)


def vapid_subject() -> str:
    return settings.ENT_VAPID_SUBJECT or f"mailto:{settings.SERVER_EMAIL.rpartition('<')[2].rstrip('>')}"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


# --- Which push services ----------------------------------------------------------------------


def endpoint_allowed(endpoint: str) -> bool:
    """Is this a push service's address (``ENT_PUSH_SERVICES``)? The workers POST to it: an address
    of the person's choosing would let them make the server call anything."""
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError:
        return False
    if not parts.hostname or parts.username or parts.password:
        return False
    origin = f"{parts.scheme}://{parts.hostname}" + (f":{port}" if port else "")
    return any(fnmatch.fnmatchcase(origin, pattern) for pattern in settings.ENT_PUSH_SERVICES)


# --- The message --------------------------------------------------------------------------------


def payload(notification: Notification) -> dict:
    """What the device shows: who and what, and where a tap leads (the notification's own link,
    which marks it read). The text is the notification's one line, never a message's body."""
    kind = kinds.describe(notification.kind)
    text = notification.text
    if len(text) > BODY_MAX:
        text = text[: BODY_MAX - 1] + "…"
    return {
        "title": f"ENT — {kind.app_name}",
        "body": text,
        "url": reverse("notifications:open", args=[notification.pk]),
        "tag": f"notification-{notification.pk}",
        "icon": static("ent/icons/icon-192.png"),
        "badge": static("ent/icons/icon-96.png"),
    }


def _session() -> requests.Session:
    session = requests.Session()
    session.max_redirects = 0  # a push service answers; it does not send the server elsewhere
    session.trust_env = False
    return session


def send_push(recipient_ids, *, now: dt.datetime | None = None) -> int:
    """Push these people's due notifications to their devices. Returns how many messages left."""
    now = now or timezone.now()
    candidates = list(
        Notification.objects.due_push(now)
        .filter(recipient_id__in=list(recipient_ids), read_at__isnull=True)
        .order_by("recipient_id", "created_at", "pk")
        .values_list("pk", "recipient_id")[:PUSH_PER_RUN]
    )
    if not candidates:
        return 0
    devices: dict[int, list[PushSubscription]] = {}
    for subscription in PushSubscription.objects.filter(user_id__in={r for _, r in candidates}).order_by("pk"):
        devices.setdefault(subscription.user_id, []).append(subscription)
    sent = 0
    key, claims_sub = vapid(), vapid_subject()
    with _session() as session:
        for pk, recipient_id in candidates:
            claimed = (
                Notification.objects.due_push(now).filter(pk=pk, read_at__isnull=True).update(push_state=PushState.SENT)
            )
            if not claimed:
                continue  # another worker has it, or it was read meanwhile
            notification = Notification.objects.get(pk=pk)
            data = json.dumps(payload(notification), ensure_ascii=False)
            for subscription in devices.get(recipient_id, []):
                if subscription.pk is None:
                    continue  # gone during this run
                if _push_one(notification, subscription, data, key, claims_sub, session):
                    sent += 1
    return sent


def _push_one(notification, subscription, data, key, claims_sub, session) -> bool:
    host = (urlsplit(subscription.endpoint).hostname or "")[:255]
    try:
        with transaction.atomic():
            delivery = PushDelivery.objects.create(
                notification=notification, subscription=subscription, endpoint_host=host
            )
    except IntegrityError:
        return False  # already pushed to this device
    if not endpoint_allowed(subscription.endpoint):
        _fail(delivery, None, "Adresse hors des services de notification autorisés")
        return False
    try:
        webpush(
            subscription_info={
                "endpoint": subscription.endpoint,
                "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
            },
            data=data,
            vapid_private_key=key,
            vapid_claims={"sub": claims_sub},
            ttl=PUSH_TTL,
            timeout=PUSH_TIMEOUT,
            headers={"Urgency": "normal", "Topic": f"n{notification.pk}"[:32]},
            requests_session=session,
        )
    except WebPushException as exc:
        status = getattr(exc.response, "status_code", None)
        _fail(delivery, status, str(exc).splitlines()[0])
        if status in GONE:
            logger.info("Push subscription %s is gone (%s): deleted", subscription.pk, status)
            PushSubscription.objects.filter(pk=subscription.pk).delete()
            subscription.pk = None
        return False
    except (requests.RequestException, OSError, ValueError) as exc:
        _fail(delivery, None, f"{type(exc).__name__}: {exc}")
        return False
    PushSubscription.objects.filter(pk=subscription.pk).update(last_sent_at=timezone.now())
    return True


def _fail(delivery: PushDelivery, status: int | None, error: str) -> None:
    logger.warning("Push of notification %s failed (%s): %s", delivery.notification_id, status, error)
    PushDelivery.objects.filter(pk=delivery.pk).update(
        state=PushDelivery.State.FAILED, status_code=status, error=error[:255]
    )


def due_push_recipients(*, now: dt.datetime, limit: int = 5000) -> list[int]:
    return sorted(
        set(
            Notification.objects.due_push(now)
            .filter(read_at__isnull=True)
            .order_by()
            .values_list("recipient_id", flat=True)[:limit]
        )
    )
