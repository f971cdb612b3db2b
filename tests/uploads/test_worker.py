"""With a real broker: the upload is routed to the ``media`` queue and a worker of that queue processes it."""

import time

import pytest

from uploads.models import MediaFile
from uploads.services import media_upload

from . import samples


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_worker_of_the_media_queue_processes_an_upload(redis_url, teacher, monkeypatch):
    from celery.contrib.testing.worker import start_worker

    from ent.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setitem(app.conf, "broker_url", redis_url)
    monkeypatch.setattr(app, "_pool", None)  # no connection made for the in-memory broker
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge("media")

    with start_worker(app, queues=["media"], perform_ping_check=False, shutdown_timeout=30):
        media = media_upload(
            file=samples.jpeg_upload(exif=samples.photo_exif()), kind="image", uploaded_by=teacher, alt_text="x"
        )
        assert media.status == MediaFile.Status.PENDING  # the request did not wait
        deadline = time.monotonic() + 30
        while media.status == MediaFile.Status.PENDING and time.monotonic() < deadline:
            time.sleep(0.2)
            media.refresh_from_db()

    assert media.status == MediaFile.Status.READY, media.error
    assert media.original.name == "" and media.display_webp
