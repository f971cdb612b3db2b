"""The text inside documents, extracted in the background once uploads has processed the file."""

from celery import shared_task

from uploads.models import MediaFile

from . import services
from .extraction import extract_text as text_of
from .models import Version


class FileNotReady(Exception):
    """uploads has not processed the file yet: try again in a minute."""


@shared_task(
    name="resources.extract_text",
    autoretry_for=(FileNotReady,),
    retry_backoff=60,
    max_retries=8,
    soft_time_limit=120,
    time_limit=150,
)
def extract_text(version_id: int) -> bool:
    """Idempotent: reads the version's file and stores its text on the document (if still current)."""
    version = Version.objects.select_related("media").filter(pk=version_id).first()
    if version is None:
        return False
    media = version.media
    if media.status == MediaFile.Status.PENDING:
        raise FileNotReady(version_id)
    if media.status != MediaFile.Status.READY or not media.file:
        return False
    with media.file.open("rb") as handle:
        data = handle.read()
    return services.document_store_text(version_id=version_id, text=text_of(data))
