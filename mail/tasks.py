"""Celery tasks of the messaging (each idempotent, with an explicit name)."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="mail.purge")
def purge() -> dict:
    """The daily retention run (``CELERY_BEAT_SCHEDULE``): see ``services.mail_purge``."""
    from .services import mail_purge

    counts = mail_purge()
    logger.info("Messagerie purge: %s", counts)
    return counts


@shared_task(name="mail.deliver_message")
def deliver_message(message_id: int) -> bool:
    """Deliver a message once its undo delay is over (queued with that countdown by ``message_send``).

    Through ``ent.publication.publish_if_due``: locked, checked again; False when not yet due
    (scheduled later, or Celery eager ran it at once), already sent, or back to a draft.
    """
    from ent.publication import publish_if_due

    from .models import Message

    return publish_if_due(Message, message_id)
