"""The processing task: idempotent, retries only transient errors, keeps a French reason."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage, storages
from django.utils import timezone

from uploads import processing, services, tasks
from uploads.models import MediaFile
from uploads.services import media_upload

from . import samples

pytestmark = pytest.mark.django_db


def _pending(user, **kwargs) -> MediaFile:
    return media_upload(file=samples.jpeg_upload(), kind="image", uploaded_by=user, alt_text="x", **kwargs)


def test_the_upload_answers_at_once_and_enqueues_on_commit_on_the_media_queue(
    teacher, django_capture_on_commit_callbacks, monkeypatch, settings
):
    enqueued = []
    monkeypatch.setattr(tasks.process_media, "apply_async", lambda args, **options: enqueued.append(*args))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        media = _pending(teacher)

    assert media.status == MediaFile.Status.PENDING
    assert enqueued == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert enqueued == [media.pk]
    assert tasks.process_media.name == "uploads.process_media"
    assert settings.CELERY_TASK_ROUTES["uploads.*"] == {"queue": "media"}


def test_running_the_task_twice_does_not_reprocess(process_now, teacher, monkeypatch):
    media = process_now(_pending, user=teacher)
    assert media.status == MediaFile.Status.READY
    files = media.stored_names()
    assert len(files) == 4  # the checks below are not vacuous
    processed_at = media.processed_at
    calls = []
    monkeypatch.setattr(processing, "process", lambda *args: calls.append(args))

    process_now(tasks.process_media, media_id=media.pk)
    media.refresh_from_db()

    assert calls == []
    assert media.stored_names() == files and media.processed_at == processed_at
    assert all(default_storage.exists(name) for name in files)


def test_a_task_for_a_deleted_item_returns_quietly(teacher, process_now):
    media = _pending(teacher)
    media_id = media.pk
    services.media_delete(media=media)

    assert process_now(tasks.process_media, media_id=media_id) is None


def _run_as_celery_does(process_now, media, monkeypatch):
    """Through Celery's own machinery (eager here): ``retry`` runs the task again at once."""
    monkeypatch.setitem(tasks.process_media.app.conf, "task_eager_propagates", False)
    process_now(tasks.process_media.apply, args=[media.pk])
    media.refresh_from_db()
    return media


def test_a_transient_storage_error_is_retried_then_succeeds(process_now, teacher, monkeypatch):
    media = _pending(teacher)
    storage_class = type(storages["default"])  # on the disk or on S3 (media_storage)
    real_save = storage_class.save
    failures = []

    def flaky_save(storage, name, content, **kwargs):
        if not failures:
            failures.append(name)
            raise OSError("disque momentanément indisponible")
        return real_save(storage, name, content, **kwargs)

    monkeypatch.setattr(storage_class, "save", flaky_save)
    media = _run_as_celery_does(process_now, media, monkeypatch)

    assert len(failures) == 1
    assert media.status == MediaFile.Status.READY
    assert media.attempts == 2


def test_transient_errors_that_never_end_fail_with_a_french_reason_and_keep_the_original(
    process_now, teacher, monkeypatch
):
    media = _pending(teacher)
    original = media.original.name

    def always_fails(storage, name, content, **kwargs):
        raise OSError("disque plein")

    monkeypatch.setattr(type(storages["default"]), "save", always_fails)
    media = _run_as_celery_does(process_now, media, monkeypatch)

    assert media.status == MediaFile.Status.FAILED
    assert media.error == services.TECHNICAL_FAILURE
    assert media.attempts == tasks.process_media.max_retries + 1
    assert media.original.name == original and default_storage.exists(original)


def test_a_bug_is_not_retried_and_keeps_the_original_for_the_admin(process_now, teacher, monkeypatch):
    media = _pending(teacher)

    def bug(kind, data):
        raise KeyError("oups")

    monkeypatch.setattr(processing, "process", bug)
    process_now(tasks.process_media, media_id=media.pk)
    media.refresh_from_db()

    assert media.status == MediaFile.Status.FAILED
    assert media.attempts == 1
    assert media.error == services.TECHNICAL_FAILURE
    assert default_storage.exists(media.original.name)


def test_a_refused_file_is_not_retried_and_its_original_is_deleted(process_now, teacher):
    media = process_now(
        media_upload,
        file=samples.upload("x.png", b"\x89PNG\r\n\x1a\n" + b"0" * 80),
        kind="image",
        alt_text="x",
        uploaded_by=teacher,
    )

    assert media.status == MediaFile.Status.FAILED
    assert media.attempts == 1
    assert media.original.name == ""
    assert default_storage.listdir("uploads/originaux")[1] == []


def test_a_worker_killed_again_and_again_ends_the_item_as_failed(process_now, teacher, monkeypatch):
    media = _pending(teacher)
    MediaFile.objects.filter(pk=media.pk).update(attempts=tasks.MAX_ATTEMPTS)  # five runs never finished
    calls = []
    monkeypatch.setattr(processing, "process", lambda *args: calls.append(args))

    process_now(tasks.process_media, media_id=media.pk)
    media.refresh_from_db()

    assert calls == []
    assert media.status == MediaFile.Status.FAILED and media.error == services.TECHNICAL_FAILURE
    assert default_storage.exists(media.original.name)


def test_a_soft_time_limit_fails_with_a_french_reason(process_now, teacher, monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    media = _pending(teacher)

    def slow(kind, data):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(processing, "process", slow)
    process_now(tasks.process_media, media_id=media.pk)
    media.refresh_from_db()

    assert media.status == MediaFile.Status.FAILED
    assert media.error == "Le traitement a pris trop de temps. Un administrateur peut le relancer."
    assert media.original


def test_reprocessing_a_failed_item_makes_it_ready(process_now, teacher, admin_user, monkeypatch):
    media = _pending(teacher)
    with monkeypatch.context() as patch:
        patch.setattr(processing, "process", lambda kind, data: {}["a bug"])
        process_now(tasks.process_media, media_id=media.pk)
    media.refresh_from_db()
    assert media.status == MediaFile.Status.FAILED

    media = process_now(services.media_reprocess, media=media, actor=admin_user)

    assert media.status == MediaFile.Status.READY
    assert media.error == "" and media.original.name == ""
    assert default_storage.exists(media.display_webp.name)


def test_purge_deletes_old_unattached_items_and_old_kept_originals(process_now, teacher, school_holder, settings):
    settings.ENT_UPLOAD_UNATTACHED_DAYS = 7
    settings.ENT_UPLOAD_FAILED_ORIGINAL_DAYS = 7
    old_unattached = process_now(_pending, user=teacher)
    recent_unattached = process_now(_pending, user=teacher)
    attached = process_now(_pending, user=teacher, holder=school_holder)
    failed = _pending(teacher, holder=school_holder)
    services.media_record_failure(media_id=failed.pk, reason="technique", keep_original=True)
    long_ago = timezone.now() - timedelta(days=8)
    MediaFile.objects.filter(pk__in=[old_unattached.pk, attached.pk]).update(created_at=long_ago)
    MediaFile.objects.filter(pk=failed.pk).update(processed_at=long_ago)
    files_of_old = old_unattached.stored_names()
    assert files_of_old  # the check below is not vacuous
    failed.refresh_from_db()
    kept_original = failed.original.name

    counts = process_now(services.media_purge)

    assert counts == {"unattached": 1, "failed_originals": 1, "orphan_originals": 0}
    assert not MediaFile.objects.filter(pk=old_unattached.pk).exists()
    assert not any(default_storage.exists(name) for name in files_of_old)
    assert MediaFile.objects.filter(pk__in=[recent_unattached.pk, attached.pk]).count() == 2
    failed.refresh_from_db()
    assert failed.original.name == "" and not default_storage.exists(kept_original)


def test_purge_deletes_orphan_originals_a_day_later(process_now, teacher, time_machine):
    orphan = default_storage.save("uploads/originaux/orphelin", samples.jpeg_upload())
    pending = _pending(teacher)

    assert process_now(services.media_purge)["orphan_originals"] == 0  # too recent to judge
    time_machine.move_to(timezone.now() + timedelta(days=2))
    counts = process_now(services.media_purge)

    assert counts["orphan_originals"] == 1
    assert not default_storage.exists(orphan)
    assert default_storage.exists(pending.original.name)


def test_deleting_an_item_deletes_its_files(process_now, teacher):
    media = process_now(_pending, user=teacher)
    names = media.stored_names()
    assert len(names) == 4

    process_now(services.media_delete, media=media)

    assert not any(default_storage.exists(name) for name in names)
