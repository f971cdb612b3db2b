"""Writes on uploaded media. Other apps call ``media_upload``, ``media_attach`` and friends only.

The upload request does the cheap checks and saves the original privately; the
``uploads.process_media`` task, enqueued after commit, does the rest (see ``tasks.py``).
"""

import logging
import os
import uuid
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from ent import versions
from ent.queue import enqueue_on_commit

from . import access
from .checks import check_alt_text, check_upload
from .models import MediaFile
from .processing import Result

logger = logging.getLogger(__name__)

ORIGINALS_DIR = "uploads/originaux"
TECHNICAL_FAILURE = (
    "Le traitement a échoué pour une raison technique. Un administrateur peut le relancer ; "
    "sinon, envoyez le fichier de nouveau."
)


def _random_base(kind: str) -> str:
    now = timezone.now()
    return f"uploads/{kind}/{now:%Y}/{now:%m}/{uuid.uuid4().hex}"


def _delete_files(names) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("Could not delete media file %s", name, exc_info=True)


def delete_files_on_commit(names) -> None:
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: _delete_files(names))


def _holder_fields(holder) -> tuple[ContentType, int]:
    if holder.pk is None:
        raise ValueError("A media holder must be saved before media are attached to it.")
    if access._label(type(holder)) not in access._CAN_VIEW:
        raise ValueError(
            f"{type(holder).__name__} is not a registered media holder: call "
            "uploads.access.register_holder() in its AppConfig.ready()."
        )
    return ContentType.objects.get_for_model(holder), holder.pk


def _enqueue_processing(media: MediaFile) -> None:
    from .tasks import process_media

    enqueue_on_commit(process_media, media.pk)


def media_upload(
    *,
    file,
    kind: str,
    uploaded_by,
    alt_text: str = "",
    alt_text_later: bool = False,
    transcript: str = "",
    holder=None,
) -> MediaFile:
    """Keep ``file`` privately and have it processed in the background; return the pending item at once.

    Raises ``ValidationError`` (French messages) keyed by argument: ``{"file": …}`` for an empty
    file, a file over the size bound of its kind (``ENT_UPLOAD_MAX_*_BYTES``) or one whose first
    bytes are not of that kind; ``{"alt_text": …}`` for an image without alternative text, unless
    the caller says it will be given later (``alt_text_later=True``, then ``media_set_alt_text``;
    until then the components refuse to display the image). Use ``media_errors_on`` to show them on
    a form's own fields. The full check, by decoding, is made by the task; a refused file then ends
    ``FAILED`` with the reason in ``error``. A recording may carry its ``transcript`` (shown under
    its player by ``components/media_audio.html``; an app holding its own, like a notebook's block,
    leaves it empty).
    """
    if kind not in MediaFile.Kind.values:
        raise ValueError(f"Unknown media kind: {kind!r}")
    holder_type, holder_id = _holder_fields(holder) if holder is not None else (None, None)
    errors = {}
    try:
        check_upload(file, kind)
    except ValidationError as error:
        errors["file"] = error.error_list
    if not alt_text_later:
        try:
            check_alt_text(kind, alt_text)
        except ValidationError as error:
            errors["alt_text"] = error.error_list
    if errors:
        raise ValidationError(errors)
    original_name = os.path.basename((getattr(file, "name", "") or "").replace("\\", "/"))[:255]
    file.seek(0)
    stored = default_storage.save(f"{ORIGINALS_DIR}/{uuid.uuid4().hex}", file)
    try:
        with transaction.atomic():
            media = MediaFile.objects.create(
                kind=kind,
                uploaded_by=uploaded_by,
                original_name=original_name,
                alt_text=(alt_text or "").strip()[:300],
                transcript=(transcript or "").strip()[:5000] if kind == MediaFile.Kind.AUDIO else "",
                size=file.size,
                holder_content_type=holder_type,
                holder_object_id=holder_id,
                original=stored,
            )
            _enqueue_processing(media)
    except BaseException:
        _delete_files([stored])
        raise
    logger.info("Media %s (%s) uploaded by user %s", media.pk, kind, getattr(uploaded_by, "pk", None))
    return media


@contextmanager
def media_errors_on(*, file: str, alt_text: str = "", image_name: str = ""):
    """Re-raise ``media_upload``'s refusals under the caller's field names, for its form to show them.

        with media_errors_on(file="cover", alt_text="cover_alt", image_name="l’image de couverture"):
            post.cover = media_upload(...)

    ``image_name`` names the image in the alt-text message; without ``alt_text`` that refusal goes
    above the form.
    """
    try:
        yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        renamed = {}
        for key, errors in error.error_dict.items():
            if key == "alt_text" and image_name:
                errors = [
                    ValidationError(e.message, code=e.code, params={**(e.params or {}), "image": image_name})
                    for e in errors
                ]
            name = {"file": file, "alt_text": alt_text or NON_FIELD_ERRORS}.get(key, key)
            renamed.setdefault(name, []).extend(errors)
        raise ValidationError(renamed) from error


def media_attach(*, media: MediaFile, holder) -> MediaFile:
    """Attach an uploaded item to the object it illustrates; who sees that object then sees the item.

    Attaching again to the same holder does nothing; an item already attached elsewhere cannot move.
    """
    holder_type, holder_id = _holder_fields(holder)
    with transaction.atomic():
        locked = MediaFile.objects.select_for_update().get(pk=media.pk)
        if locked.holder_content_type_id is not None and (
            locked.holder_content_type_id != holder_type.pk or locked.holder_object_id != holder_id
        ):
            raise ValidationError("Ce fichier est déjà rattaché à un autre contenu : envoyez-le de nouveau.")
        locked.holder_content_type, locked.holder_object_id = holder_type, holder_id
        locked.save(update_fields=["holder_content_type", "holder_object_id"])
    media.holder_content_type, media.holder_object_id = holder_type, holder_id
    return media


def media_set_alt_text(*, media: MediaFile, alt_text: str) -> MediaFile:
    media.alt_text = (alt_text or "").strip()[:300]
    with transaction.atomic():
        media.save(update_fields=["alt_text"])
    return media


def media_delete(*, media: MediaFile) -> None:
    """Delete the item; its files go once the transaction commits (see ``signals.py``)."""
    with transaction.atomic():
        media.delete()


#: The version of which media are withheld: bumped by :func:`media_withhold` and :func:`media_release`,
#: whose ``QuerySet.update`` sends no signal. What keeps a drawing of media (a blog's cards) reads it.
WITHHELD_VERSION = "uploads:withheld"


def media_withhold(*, media_ids, reason: str) -> int:
    """Stop serving these items at once, to everyone (their pages show a notice instead).

    For a concern of the site that may take a media down (a withdrawn image-rights consent, see
    ``privacy``); the files stay until the holder's people remove or replace the media. Returns how
    many were withheld now (those already withheld keep their first date and reason).
    """
    count = MediaFile.objects.filter(pk__in=list(media_ids), withheld_at__isnull=True).update(
        withheld_at=timezone.now(), withheld_reason=reason[:300]
    )
    if count:
        versions.bump(WITHHELD_VERSION)  # QuerySet.update: no signal tells the pages kept with these media
    return count


IMAGE_VARIANTS = {"display_webp": "WEBP", "display_jpeg": "JPEG", "thumb_webp": "WEBP", "thumb_jpeg": "JPEG"}
MAX_BLUR_REGIONS = 20


def media_blur(*, media: MediaFile, regions) -> MediaFile:
    """Blur these areas of a processed image in every stored variant; no unblurred file is kept.

    ``regions``: ``(left, top, width, height)`` fractions (0 to 1). Each variant is rewritten under
    a new random name (so no cache or old link serves the unblurred picture) and the old files are
    deleted once the transaction commits. The original upload is already gone (deleted once
    processed); an image still being processed, or kept after a failure, is refused.
    """
    from .processing import blur_regions

    regions = [tuple(float(v) for v in region) for region in regions]
    if not regions or len(regions) > MAX_BLUR_REGIONS:
        raise ValidationError(f"Tracez de 1 à {MAX_BLUR_REGIONS} zones à flouter.")
    for left, top, width, height in regions:
        if not (0 <= left < 1 and 0 <= top < 1 and 0 < width <= 1 - left + 1e-9 and 0 < height <= 1 - top + 1e-9):
            raise ValidationError("Une zone à flouter sort de l’image : vérifiez ses coordonnées.")
    with transaction.atomic():
        locked = MediaFile.objects.select_for_update().get(pk=media.pk)
        if locked.kind != MediaFile.Kind.IMAGE or locked.status != MediaFile.Status.READY or locked.original:
            raise ValidationError("Seule une image prête (traitée) peut être floutée.")
        base = _random_base(locked.kind)
        old, written = [], []
        try:
            for field_name, fmt in IMAGE_VARIANTS.items():
                stored = getattr(locked, field_name)
                if not stored:
                    continue
                with stored.open("rb") as handle:
                    data = handle.read()
                suffix = os.path.splitext(stored.name)[1]
                tag = "-vignette" if field_name.startswith("thumb") else ""
                name = default_storage.save(f"{base}{tag}{suffix}", ContentFile(blur_regions(data, regions, fmt)))
                written.append(name)
                old.append(stored.name)
                setattr(locked, field_name, name)
        except Exception:
            _delete_files(written)
            raise
        locked.size = locked.display_webp.size if locked.display_webp else locked.size
        locked.save(update_fields=[*IMAGE_VARIANTS, "size"])
        delete_files_on_commit(old)
    return locked


def media_release(*, media_ids) -> int:
    """Serve these items again (the reason for withholding them is gone)."""
    count = MediaFile.objects.filter(pk__in=list(media_ids), withheld_at__isnull=False).update(
        withheld_at=None, withheld_reason=""
    )
    if count:
        versions.bump(WITHHELD_VERSION)
    return count


def media_reprocess(*, media: MediaFile, actor) -> MediaFile:
    """Process again an item that failed for a technical reason (or seems stuck); for the admin action.

    Raises ``ValidationError`` when the item is already ready, or when its original is gone (a
    refused file is deleted at once: it must be sent again).
    """
    with transaction.atomic():
        locked = MediaFile.objects.select_for_update().get(pk=media.pk)
        if locked.status == MediaFile.Status.READY:
            raise ValidationError("Ce fichier est déjà prêt : il n’y a rien à relancer.")
        if not locked.original:
            raise ValidationError(
                "Le fichier d’origine n’est plus conservé (il a été refusé ou supprimé) : il faut l’envoyer de nouveau."
            )
        locked.status = MediaFile.Status.PENDING
        locked.error = ""
        locked.attempts = 0
        locked.processed_at = None
        locked.save(update_fields=["status", "error", "attempts", "processed_at"])
        _enqueue_processing(locked)
    logger.info("Media %s reprocessing requested by user %s", locked.pk, getattr(actor, "pk", None))
    return locked


# --- Used by the task -----------------------------------------------------------------------------


def media_start_attempt(*, media_id: int, max_attempts: int) -> MediaFile | None:
    """Count one processing attempt; None when there is nothing (more) to do.

    The count survives a worker killed mid-task (hard time limit, out of memory): after
    ``max_attempts`` the item fails instead of being handed to worker after worker.
    """
    with transaction.atomic():
        media = MediaFile.objects.select_for_update().filter(pk=media_id).first()
        if media is None or media.status != MediaFile.Status.PENDING or not media.original:
            return None
        if media.attempts >= max_attempts:
            _fail(media, TECHNICAL_FAILURE, keep_original=True)
            return None
        media.attempts += 1
        media.save(update_fields=["attempts"])
    return media


def media_record_result(*, media: MediaFile, result: Result) -> MediaFile:
    """Store the processed files, mark the item ready and delete the original (with its metadata)."""
    base = _random_base(media.kind)
    written = []
    try:
        for field_name, (suffix, data) in result.files.items():
            written.append((field_name, default_storage.save(f"{base}{suffix}", ContentFile(data))))
    except BaseException:
        _delete_files([name for _, name in written])
        raise
    with transaction.atomic():
        locked = MediaFile.objects.select_for_update().filter(pk=media.pk).first()
        if locked is None or locked.status != MediaFile.Status.PENDING or locked.original.name != media.original.name:
            # Deleted meanwhile, or another run finished first: keep what is there, drop ours.
            delete_files_on_commit([name for _, name in written])
            return locked
        delete_files_on_commit([locked.original.name, *(getattr(locked, f).name for f, _ in written)])
        for field_name, name in written:
            setattr(locked, field_name, name)
        locked.original = ""
        locked.status = MediaFile.Status.READY
        locked.error = ""
        locked.processed_at = timezone.now()
        locked.width, locked.height, locked.duration = result.width, result.height, result.duration
        locked.size = result.main_size
        locked.content_type = result.content_type
        locked.save()
    logger.info("Media %s processed", locked.pk)
    return locked


def media_record_failure(*, media_id: int, reason: str, keep_original: bool) -> MediaFile | None:
    """Mark a pending item failed with a French ``reason``.

    A refused file (``keep_original=False``) is deleted at once: nothing keeps its metadata. After a
    technical failure the original is kept privately so that an administrator can re-process it;
    ``uploads.purge_media`` deletes it after ``ENT_UPLOAD_FAILED_ORIGINAL_DAYS`` days.
    """
    with transaction.atomic():
        media = MediaFile.objects.select_for_update().filter(pk=media_id).first()
        if media is None or media.status != MediaFile.Status.PENDING:
            return media
        _fail(media, reason, keep_original=keep_original)
    return media


def _fail(media: MediaFile, reason: str, *, keep_original: bool) -> None:
    if not keep_original:
        delete_files_on_commit([media.original.name])
        media.original = ""
    media.status = MediaFile.Status.FAILED
    media.error = reason[:300]
    media.processed_at = timezone.now()
    media.save(update_fields=["original", "status", "error", "processed_at"])
    logger.info("Media %s failed: %s", media.pk, reason)


def media_purge(*, now=None) -> dict[str, int]:
    """Housekeeping: delete media never attached, and the kept originals of failed items, once too old.

    Also deletes originals that no item references any more (the upload's transaction was rolled
    back, or a worker died between its commit and the deletion), a day after they were written.
    """
    now = now or timezone.now()
    counts = {"unattached": 0, "failed_originals": 0, "orphan_originals": 0}
    if settings.ENT_UPLOAD_UNATTACHED_DAYS > 0:
        cutoff = now - timedelta(days=settings.ENT_UPLOAD_UNATTACHED_DAYS)
        stale = MediaFile.objects.filter(holder_content_type__isnull=True, created_at__lt=cutoff)
        for pk in list(stale.values_list("pk", flat=True)):
            with transaction.atomic():
                media = MediaFile.objects.select_for_update().filter(pk=pk, holder_content_type__isnull=True).first()
                if media is not None:
                    media.delete()
                    counts["unattached"] += 1
    cutoff = now - timedelta(days=settings.ENT_UPLOAD_FAILED_ORIGINAL_DAYS)
    failed = MediaFile.objects.filter(status=MediaFile.Status.FAILED, processed_at__lt=cutoff).exclude(original="")
    for pk in list(failed.values_list("pk", flat=True)):
        with transaction.atomic():
            media = MediaFile.objects.select_for_update().filter(pk=pk, status=MediaFile.Status.FAILED).first()
            if media is not None and media.original:
                delete_files_on_commit([media.original.name])
                media.original = ""
                media.save(update_fields=["original"])
                counts["failed_originals"] += 1
    counts["orphan_originals"] = _purge_orphan_originals(now - timedelta(days=1))
    return counts


def _purge_orphan_originals(cutoff) -> int:
    try:
        _, names = default_storage.listdir(ORIGINALS_DIR)
    except FileNotFoundError:
        return 0
    paths = {f"{ORIGINALS_DIR}/{name}" for name in names}
    referenced = set(MediaFile.objects.filter(original__in=paths).values_list("original", flat=True))
    orphans = [path for path in paths - referenced if default_storage.get_modified_time(path) < cutoff]
    _delete_files(orphans)
    return len(orphans)
