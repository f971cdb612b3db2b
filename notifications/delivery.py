"""E-mail delivery of notifications, at most once each (run by the tasks in ``tasks.py``).

Every e-mail follows the same three steps, each committed on its own:

1. **claim**: a conditional UPDATE moves the rows from "pending" to "sending". Only one worker
   can win it, however many copies of a task run (PostgreSQL re-checks the WHERE clause on the
   locked row; the candidates are read with ``select_for_update(skip_locked=True)``).
2. **send**: the message is handed to the mail server.
3. **record**: "sent" (``emailed_at``), or "failed" with the error.

A failure while opening the connection to the mail server happens before any claim: the rows
stay "pending" and the sweep tries again. A failure during or after the hand-over is ambiguous
(the server may have accepted the message), so the rows become "failed" and are never retried
on their own: an administrator may re-deliver them. A worker dying between 1 and 3 leaves rows
in "sending"; the sweep marks them "failed" after ``stale_claim()``. Hence at most once.
"""

import datetime as dt
import logging
import smtplib
from contextlib import contextmanager

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from . import kinds
from .kinds import Frequency
from .models import Digest, EmailState, Notification
from .quiet_hours import PARIS, WORKING_DAYS
from .tokens import unsubscribe_url

logger = logging.getLogger(__name__)


# Longer than the longest task (CELERY_TASK_TIME_LIMIT): a claim older than ENT_EMAIL_CLAIM_STALE_AFTER
# seconds (15 minutes by default) belongs to a dead worker.
def stale_claim() -> dt.timedelta:
    return dt.timedelta(seconds=settings.ENT_EMAIL_CLAIM_STALE_AFTER)


# At most this many immediate e-mails per task run; the sweep picks up the rest.
IMMEDIATE_PER_RUN = 500
# A digest lists at most this many notifications; it links to the site for the others.
DIGEST_SHOWN = 100
# Errors meaning "this one message was refused": the connection is still good for the next ones.
REFUSED = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


class MailServerUnavailable(Exception):
    """The connection to the mail server could not be opened: nothing was sent or claimed."""


@contextmanager
def mail_connection():
    connection = get_connection()
    try:
        connection.open()
    except (OSError, smtplib.SMTPException) as exc:
        raise MailServerUnavailable(str(exc)) from exc
    try:
        yield connection
    finally:
        try:
            connection.close()
        except Exception:  # the messages are already handed over; a failing QUIT changes nothing
            logger.warning("Error while closing the mail connection", exc_info=True)


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:255]


# --- Immediate e-mails ------------------------------------------------------------------------


def send_immediate(recipient_ids, *, now: dt.datetime | None = None) -> int:
    """E-mail these people's due immediate notifications, one e-mail each. Returns how many were sent."""
    now = now or timezone.now()
    candidates = list(
        Notification.objects.due_immediate(now)
        .filter(recipient_id__in=list(recipient_ids), read_at__isnull=True)
        .order_by("recipient_id", "created_at", "pk")
        .values_list("pk", flat=True)[:IMMEDIATE_PER_RUN]
    )
    if not candidates:
        return 0
    sent = 0
    with mail_connection() as connection:
        for pk in candidates:
            claimed = (
                Notification.objects.due_immediate(now)
                .filter(pk=pk, read_at__isnull=True)
                .update(email_state=EmailState.SENDING, email_claimed_at=timezone.now())
            )
            if not claimed:
                continue  # another worker has it, or it was read or re-planned meanwhile
            notification = Notification.objects.select_related("recipient", "actor").get(pk=pk)
            try:
                message = build_immediate_message(notification)
                message.connection = connection
                message.send()
            except REFUSED as exc:
                _record_failure(Notification.objects.filter(pk=pk), exc)
                continue
            except Exception as exc:
                # The connection is probably broken: stop; the rest stays "pending" for the sweep.
                _record_failure(Notification.objects.filter(pk=pk), exc)
                break
            Notification.objects.filter(pk=pk, email_state=EmailState.SENDING).update(
                email_state=EmailState.SENT, emailed_at=timezone.now()
            )
            sent += 1
    return sent


def _record_failure(queryset, exc: BaseException) -> None:
    logger.error("Notification e-mail failed, not retried (it may have left): %s", _error_text(exc), exc_info=exc)
    queryset.filter(email_state=EmailState.SENDING).update(email_state=EmailState.FAILED, email_error=_error_text(exc))


def build_immediate_message(notification: Notification) -> EmailMultiAlternatives:
    user = notification.recipient
    kind = kinds.describe(notification.kind)
    context = {
        **_common_context(user),
        "notification": notification,
        "kind": kind,
        "link": _absolute(reverse("notifications:open", args=[notification.pk])),
    }
    subject = f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{kind.app_name} : {notification.text}"
    return _message(user, subject, "notifications/email/immediate", context)


# --- Digests ----------------------------------------------------------------------------------


def digest_recipients(frequency: str, *, now: dt.datetime) -> list[int]:
    """The people with notifications waiting for this digest, now.

    On Saturday and Sunday the daily digest skips people who keep the right to disconnect (the
    default): their Monday digest gathers the weekend.
    """
    queryset = Notification.objects.pending_digest(frequency).filter(created_at__lte=now)
    if frequency == Frequency.DAILY and now.astimezone(PARIS).weekday() not in WORKING_DAYS:
        queryset = queryset.filter(recipient__notification_settings__quiet_hours=False)
    return sorted(set(queryset.order_by().values_list("recipient_id", flat=True)))


def send_digests(frequency: str, recipient_ids, *, cutoff: dt.datetime) -> int:
    """Send each of these people one digest of their notifications waiting up to ``cutoff``."""
    sent = 0
    with mail_connection() as connection:
        for recipient_id in recipient_ids:
            digest = _claim_digest(recipient_id, frequency, cutoff)
            if digest is None:
                continue
            rows = Notification.objects.filter(digest=digest, email_state=EmailState.SENDING)
            try:
                message = build_digest_message(digest)
                message.connection = connection
                message.send()
            except REFUSED as exc:
                _fail_digest(digest, rows, exc)
                continue
            except Exception as exc:
                # The connection is probably broken: stop; the others wait for the next digest run.
                _fail_digest(digest, rows, exc)
                break
            now = timezone.now()
            rows.update(email_state=EmailState.SENT, emailed_at=now)
            Digest.objects.filter(pk=digest.pk).update(state=Digest.State.SENT, sent_at=now)
            sent += 1
    return sent


def _claim_digest(recipient_id: int, frequency: str, cutoff: dt.datetime) -> Digest | None:
    """Claim the person's waiting notifications for a new digest, or None if there is nothing to send."""
    with transaction.atomic():
        waiting = Notification.objects.pending_digest(frequency).filter(
            recipient_id=recipient_id, created_at__lte=cutoff
        )
        waiting.filter(read_at__isnull=False).update(email_state=EmailState.NONE)
        ids = list(waiting.select_for_update(skip_locked=True).order_by().values_list("pk", flat=True))
        if not ids:
            return None
        digest = Digest.objects.create(recipient_id=recipient_id, frequency=frequency)
        claimed = (
            Notification.objects.pending_digest(frequency)
            .filter(pk__in=ids, read_at__isnull=True)
            .update(email_state=EmailState.SENDING, email_claimed_at=timezone.now(), digest=digest)
        )
        if not claimed:
            digest.delete()
            return None
    return digest


def _fail_digest(digest: Digest, rows, exc: BaseException) -> None:
    _record_failure(rows, exc)
    Digest.objects.filter(pk=digest.pk).update(state=Digest.State.FAILED, error=_error_text(exc))


def build_digest_message(digest: Digest) -> EmailMultiAlternatives:
    user = digest.recipient
    notifications = list(
        Notification.objects.filter(digest=digest).select_related("actor").order_by("created_at", "pk")
    )
    shown = notifications[:DIGEST_SHOWN]
    groups: dict[str, list] = {}
    for notification in shown:
        kind = kinds.describe(notification.kind)
        groups.setdefault(kind.app_name, []).append(
            {
                "notification": notification,
                "kind": kind,
                "link": _absolute(reverse("notifications:open", args=[notification.pk])),
            }
        )
    count = len(notifications)
    weekly = digest.frequency == Frequency.WEEKLY
    context = {
        **_common_context(user),
        "digest": digest,
        "weekly": weekly,
        "count": count,
        "groups": sorted(groups.items(), key=lambda item: item[0].casefold()),
        "hidden": count - len(shown),
        "list_url": _absolute(reverse("notifications:list")),
    }
    period = "de la semaine" if weekly else "du jour"
    plural = "s" if count > 1 else ""
    subject = f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Votre résumé {period} : {count} nouveauté{plural}"
    return _message(user, subject, "notifications/email/digest", context)


# --- Shared -----------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.ENT_SITE_URL + path


def _common_context(user) -> dict:
    return {
        "user": user,
        "site_url": settings.ENT_SITE_URL,
        "preferences_url": _absolute(reverse("notifications:preferences")),
        "unsubscribe_url": unsubscribe_url(user),
    }


def _message(user, subject: str, template: str, context: dict) -> EmailMultiAlternatives:
    subject = " ".join(subject.split())
    if len(subject) > 150:
        subject = subject[:149] + "…"
    with translation.override(settings.LANGUAGE_CODE), timezone.override(PARIS):
        text = render_to_string(f"{template}.txt", context)
        html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


# --- Sweep ------------------------------------------------------------------------------------


def release_stale_claims(*, now: dt.datetime) -> int:
    """Sends interrupted by a dead worker: mark them failed (never re-sent on their own)."""
    limit = now - stale_claim()
    error = (
        "Envoi interrompu (processus arrêté) : l’e-mail est peut-être parti ; renvoi possible depuis l’administration."
    )
    count = Notification.objects.filter(email_state=EmailState.SENDING, email_claimed_at__lt=limit).update(
        email_state=EmailState.FAILED, email_error=error
    )
    Digest.objects.filter(state=Digest.State.SENDING, created_at__lt=limit).update(
        state=Digest.State.FAILED, error=error
    )
    if count:
        logger.warning("%s notification e-mails were interrupted and marked failed", count)
    return count


def due_immediate_recipients(*, now: dt.datetime, limit: int = 5000) -> list[int]:
    return sorted(
        set(
            Notification.objects.due_immediate(now)
            .filter(read_at__isnull=True)
            .order_by()
            .values_list("recipient_id", flat=True)[:limit]
        )
    )
