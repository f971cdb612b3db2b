"""Background processing of uploads, on the ``media`` queue (``CELERY_TASK_ROUTES``)."""

import logging
from datetime import timedelta

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from ent.queue import requeue

from . import processing, services
from .models import MediaFile

logger = logging.getLogger(__name__)

# Storage and database hiccups are worth another try; a refused file or a bug is not.
TRANSIENT_ERRORS = (OSError, OperationalError, InterfaceError)
MAX_ATTEMPTS = 5  # Runs started, including runs killed by the hard time limit or a lost worker.


@shared_task(
    bind=True,
    name="uploads.process_media",
    max_retries=4,
    # A 15-minute recording decodes and encodes in well under a minute; leave room for slow disks.
    soft_time_limit=600,
    time_limit=660,
)
def process_media(self, media_id: int) -> None:
    """Check, convert and store one upload. A ready, failed or deleted item is left alone."""
    media = services.media_start_attempt(media_id=media_id, max_attempts=MAX_ATTEMPTS)
    if media is None:
        return
    try:
        with default_storage.open(media.original.name, "rb") as original:
            data = original.read()
        result = processing.process(media.kind, data)
        services.media_record_result(media=media, result=result)
    except processing.Rejected as refusal:
        services.media_record_failure(media_id=media_id, reason=refusal.message, keep_original=False)
    except FileNotFoundError:
        logger.error("Media %s: original file %s is missing", media_id, media.original.name)
        services.media_record_failure(
            media_id=media_id, reason="Le fichier envoyé est introuvable : envoyez-le de nouveau.", keep_original=False
        )
    except SoftTimeLimitExceeded:
        logger.warning("Media %s: processing took too long", media_id)
        services.media_record_failure(
            media_id=media_id,
            reason="Le traitement a pris trop de temps. Un administrateur peut le relancer.",
            keep_original=True,
        )
    except TRANSIENT_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            logger.exception("Media %s: giving up after %s retries", media_id, self.request.retries)
            services.media_record_failure(media_id=media_id, reason=services.TECHNICAL_FAILURE, keep_original=True)
            return
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc
    except Exception:
        logger.exception("Media %s: unexpected error while processing", media_id)
        services.media_record_failure(media_id=media_id, reason=services.TECHNICAL_FAILURE, keep_original=True)


@shared_task(name="uploads.purge_media")
def purge_media() -> None:
    """Periodic housekeeping (``CELERY_BEAT_SCHEDULE``): see ``services.media_purge``."""
    counts = services.media_purge()
    logger.info("Media purge: %s", counts)


@shared_task(name="uploads.sweep")
def sweep() -> int:
    """Every 5 minutes: queue again the items still pending ``ENT_QUEUE_STUCK_AFTER`` after their upload.

    Their task was never queued (broker down at the upload), its message was lost, or its worker
    was killed. Each item is queued again at most once per delay; ``process_media`` counts its runs
    and fails the item (original kept, an administrator may re-process it) after ``MAX_ATTEMPTS``.
    """
    stuck_after = settings.ENT_QUEUE_STUCK_AFTER
    stuck = (
        MediaFile.objects.filter(
            status=MediaFile.Status.PENDING, created_at__lt=timezone.now() - timedelta(seconds=stuck_after)
        )
        .exclude(original="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    queued = requeue(process_media, stuck, every=stuck_after)
    if queued:
        logger.info("Media sweep: %s pending item(s) queued again", queued)
    return queued
