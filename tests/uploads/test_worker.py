"""With a real worker process on Redis: the upload goes to the ``media`` queue and is processed there."""

import pytest
from PIL import Image

from uploads.models import MediaFile
from uploads.services import media_upload

from . import samples

pytestmark = pytest.mark.services


def test_a_real_worker_processes_an_uploaded_photo(celery_worker_process, teacher):
    media = media_upload(
        file=samples.jpeg_upload(exif=samples.photo_exif()), kind="image", uploaded_by=teacher, alt_text="La mare"
    )
    assert media.status == MediaFile.Status.PENDING  # the request did not wait for the processing

    celery_worker_process.wait_for(
        lambda: MediaFile.objects.filter(pk=media.pk).exclude(status=MediaFile.Status.PENDING).exists(),
        what="The processing of the photo",
    )
    media.refresh_from_db()
    assert media.status == MediaFile.Status.READY, media.error
    assert media.original.name == ""
    with Image.open(media.display_webp.path) as display:
        assert display.format == "WEBP"
        assert not display.getexif()
