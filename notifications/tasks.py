"""Celery tasks of the notifications (queue "email"). Each is idempotent: a second run sends nothing
that the first one sent, because every e-mail is claimed in the database before it leaves."""

import datetime as dt
import logging

from celery import shared_task
from django.utils import timezone

from ent.queue import enqueue_each

from . import delivery, push
from .kinds import Frequency

logger = logging.getLogger(__name__)

DIGEST_TASK_BATCH = 50


@shared_task(name="notifications.send_immediate")
def send_immediate(recipient_ids: list[int]) -> int:
    """E-mail these people's due "immediate" notifications.

    If the mail server cannot be reached, nothing is claimed and the sweep tries again in a few
    minutes (that is the retry: no Celery retry is needed, and none could send twice).
    """
    try:
        return delivery.send_immediate(recipient_ids)
    except delivery.MailServerUnavailable as exc:
        logger.warning("Mail server unavailable, immediate e-mails left for the sweep: %s", exc)
        return 0


@shared_task(name="notifications.send_push")
def send_push(recipient_ids: list[int]) -> int:
    """Push these people's due notifications to their devices, once per notice and device."""
    return push.send_push(recipient_ids)


@shared_task(name="notifications.send_digests")
def send_digests(frequency: str) -> int:
    """Scheduled (daily 07:00, weekly Monday 07:00): fan out one task per batch of people."""
    if frequency not in (Frequency.DAILY, Frequency.WEEKLY):
        raise ValueError(f"No digest for frequency {frequency!r}")
    now = timezone.now()
    recipient_ids = delivery.digest_recipients(frequency, now=now)
    # A batch not queued (broker gone mid-run) is logged; its rows wait, pending, for the next digest.
    enqueue_each(
        send_digest_batch,
        [
            (frequency, recipient_ids[start : start + DIGEST_TASK_BATCH], now.isoformat())
            for start in range(0, len(recipient_ids), DIGEST_TASK_BATCH)
        ],
    )
    return len(recipient_ids)


@shared_task(
    name="notifications.send_digest_batch",
    autoretry_for=(delivery.MailServerUnavailable,),
    retry_backoff=60,
    retry_backoff_max=1800,
    max_retries=8,
)
def send_digest_batch(frequency: str, recipient_ids: list[int], cutoff: str) -> int:
    """One digest each for these people, of what waited up to ``cutoff``. Retried (safely: nothing
    is claimed before the connection opens) while the mail server is unreachable."""
    return delivery.send_digests(frequency, recipient_ids, cutoff=dt.datetime.fromisoformat(cutoff))


@shared_task(name="notifications.sweep")
def sweep() -> int:
    """Every 5 minutes: deliver the immediate e-mails that are due but were never queued (broker
    down at notify time) or were held by the quiet hours, and fail the interrupted sends."""
    now = timezone.now()
    delivery.release_stale_claims(now=now)
    _sweep_push(now)
    recipient_ids = delivery.due_immediate_recipients(now=now)
    if not recipient_ids:
        return 0
    from .services import enqueue_immediate

    if not enqueue_immediate(recipient_ids):
        # Still no broker: send from this worker, within the time this run has.
        return send_immediate(recipient_ids)
    return len(recipient_ids)


def _sweep_push(now) -> None:
    """Pushes due but never queued (broker down at notify time) or held by the quiet hours."""
    recipient_ids = push.due_push_recipients(now=now)
    if not recipient_ids:
        return
    from .services import enqueue_push

    if not enqueue_push(recipient_ids):
        push.send_push(recipient_ids)
