"""« Mes données »: the archive of everything a person wrote or sent (RGPD art. 15 and 20).

:func:`export_request` records a :class:`~privacy.models.DataExport` and queues ``privacy.build_export``
on commit (``ent.queue``); :func:`export_build` writes a zip of JSON files (one per kind) plus the
files the person uploaded. Only rows whose author, sender or uploader is the person go in: never
another person's. The archive is downloadable once by its owner (:func:`export_take`) and deleted
after ``retention.EXPORT_DAYS`` days (``retention.purge_exports``).
"""

import io
import json
import logging
import zipfile

from django.core import serializers
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ent.queue import enqueue_on_commit

from .models import DataExport

logger = logging.getLogger(__name__)


def _sections(user) -> dict:
    """Kind of data → queryset of the person's rows (each model's own author field)."""
    from blogs.models import Comment as BlogComment
    from blogs.models import Post as BlogPost
    from mail.models import Message
    from news.models import Post as NewsPost
    from notebooks.models import Page
    from notifications.models import EmailSettings, KindPreference
    from uploads.models import MediaFile

    return {
        "profil": type(user).objects.filter(pk=user.pk),
        "actualites": NewsPost.objects.filter(author=user),
        "billets_de_blog": BlogPost.objects.filter(author=user),
        "commentaires": BlogComment.objects.filter(author=user),
        "pages_de_cahier": Page.objects.filter(authors=user),
        "messages_envoyes": Message.objects.filter(sender=user),
        "fichiers_envoyes": MediaFile.objects.filter(uploaded_by=user),
        "preferences_e_mail": EmailSettings.objects.filter(user=user),
        "preferences_de_notification": KindPreference.objects.filter(user=user),
    }


PROFILE_FIELDS = ("email", "first_name", "last_name", "date_joined", "last_login", "is_active")
FILE_FIELDS = ("original", "display_webp", "display_jpeg", "thumb_webp", "thumb_jpeg", "audio", "file")


def _json(queryset) -> str:
    model = queryset.model
    if model._meta.label_lower == "accounts.user":
        fields = PROFILE_FIELDS
    else:
        # Many-to-many fields (a page's other authors, a blog's contributors) name other people: left out.
        fields = [f.name for f in model._meta.get_fields() if f.concrete and not f.many_to_many]
    data = serializers.serialize("python", queryset.order_by("pk"), fields=fields)
    return json.dumps(data, cls=serializers.json.DjangoJSONEncoder, ensure_ascii=False, indent=2)


def export_request(*, user) -> DataExport:
    """Ask for a new archive; the task builds it. One waiting archive at a time."""
    with transaction.atomic():
        pending = DataExport.objects.filter(user=user, ready_at__isnull=True).first()
        if pending is not None:
            return pending
        export = DataExport.objects.create(user=user)
        from .tasks import build_export

        enqueue_on_commit(build_export, export.pk)
    return export


def export_build(export_id: int) -> DataExport | None:
    """Write the archive. Idempotent: an archive already built is left as it is."""
    with transaction.atomic():
        export = DataExport.objects.select_for_update().select_related("user").filter(pk=export_id).first()
        if export is None or export.ready_at is not None:
            return export
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(
                "LISEZMOI.txt",
                "Vos données dans l’ENT : un fichier JSON par type de données, et vos fichiers dans fichiers/.\n",
            )
            for name, queryset in _sections(export.user).items():
                archive.writestr(f"{name}.json", _json(queryset))
                if name == "fichiers_envoyes":
                    for media in queryset.order_by("pk"):
                        for field in FILE_FIELDS:
                            stored = getattr(media, field)
                            if stored:
                                with stored.open("rb") as handle:
                                    archive.writestr(
                                        f"fichiers/{media.public_id}/{field}-{stored.name.rsplit('/', 1)[-1]}",
                                        handle.read(),
                                    )
        export.file.save(f"mes-donnees-{export.public_id}.zip", ContentFile(buffer.getvalue()), save=False)
        export.ready_at = timezone.now()
        export.save(update_fields=["file", "ready_at"])
    logger.info("Data export %s built", export.pk)
    return export


def export_take(*, user, public_id) -> DataExport | None:
    """The owner's ready archive, marked downloaded (once: None the second time, or for anyone else)."""
    with transaction.atomic():
        export = (
            DataExport.objects.select_for_update()
            .filter(public_id=public_id, user=user, ready_at__isnull=False, downloaded_at__isnull=True)
            .first()
        )
        if export is None:
            return None
        export.downloaded_at = timezone.now()
        export.save(update_fields=["downloaded_at"])
    return export
