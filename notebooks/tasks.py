"""The common book, made in the background on the ``media`` queue."""

import logging
import tempfile
from pathlib import Path

from celery import shared_task
from django.conf import settings
from django.core.files import File

from ent.queue import requeue

from . import services
from .models import BookExport

logger = logging.getLogger(__name__)


@shared_task(name="notebooks.export_book", queue="media", soft_time_limit=600, time_limit=660)
def export_book(export_id: int) -> None:
    """Make the book of an export (idempotent: a ready, running or vanished export is left alone)."""
    export = services.book_export_start(export_id=export_id)
    if export is None:
        return
    from . import export as book_export

    def progress(done: int, total: int) -> None:
        if total:
            services.book_export_progress(export_id=export_id, percent=int(100 * done / total))

    try:
        with tempfile.TemporaryDirectory(prefix="cahier-") as workdir:
            out_path = Path(workdir) / export.filename()
            book_export.render(export, out_path, Path(workdir), progress=progress)
            with open(out_path, "rb") as made:
                services.book_export_finish(export=export, name=export.filename(), content=File(made))
    except Exception:
        logger.exception("Book export %s failed", export_id)
        services.book_export_fail(
            export_id=export_id,
            reason="Le livre n’a pas pu être fabriqué (erreur technique) : demandez-le de nouveau, ou prévenez "
            "l’administrateur si cela se reproduit.",
        )


@shared_task(name="notebooks.sweep")
def sweep() -> int:
    """Queue again the exports still pending long after they were asked for (a broker outage)."""
    from datetime import timedelta

    from django.utils import timezone

    stuck_after = timedelta(seconds=settings.ENT_QUEUE_STUCK_AFTER)
    ids = BookExport.objects.filter(
        status=BookExport.Status.PENDING, created_at__lte=timezone.now() - stuck_after
    ).values_list("pk", flat=True)
    return requeue(export_book, ids, every=settings.ENT_QUEUE_STUCK_AFTER)
