"""Uploaded photos, recordings and documents, and the files made from them.

A ``MediaFile`` is created by ``services.media_upload`` with the original upload kept privately;
the ``uploads.process_media`` task decodes it, writes the processed files under random names and
deletes the original. Only the processed files are ever served, by ``uploads:serve``.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone


def human_size(size: int) -> str:
    """« 950 octets », « 12 ko », « 1,5 Mo », « 20 Mo » (binary multiples, the units people read)."""
    if size < 1024:
        return f"{size} octet{'s' if size > 1 else ''}"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} ko"
    megabytes = round(size / (1024 * 1024), 1)
    text = f"{megabytes:.0f}" if megabytes == int(megabytes) else f"{megabytes:.1f}".replace(".", ",")
    return f"{text} Mo"


def fit_within(width: int, height: int, limit: int) -> tuple[int, int]:
    """The size of a ``width`` × ``height`` picture scaled down (never up) to fit a ``limit`` square."""
    if width <= limit and height <= limit:
        return width, height
    if width >= height:
        return limit, max(1, round(height * limit / width))
    return max(1, round(width * limit / height)), limit


LATE_AFTER = timedelta(minutes=2)

DOCUMENT_TYPE_LABELS = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/msword": "Word",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.ms-excel": "Excel",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
    "application/vnd.ms-powerpoint": "PowerPoint",
    "application/vnd.oasis.opendocument.text": "Texte LibreOffice",
    "application/vnd.oasis.opendocument.spreadsheet": "Classeur LibreOffice",
    "application/vnd.oasis.opendocument.presentation": "Présentation LibreOffice",
}


class MediaFileQuerySet(models.QuerySet):
    def ready(self):
        return self.filter(status=MediaFile.Status.READY)

    def attached_to(self, holder):
        return self.filter(holder_content_type=ContentType.objects.get_for_model(holder), holder_object_id=holder.pk)


class MediaFile(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", "Image"
        AUDIO = "audio", "Enregistrement audio"
        DOCUMENT = "document", "Document"

    class Status(models.TextChoices):
        PENDING = "pending", "En cours de traitement"
        READY = "ready", "Prêt"
        FAILED = "failed", "Échec"

    public_id = models.UUIDField("identifiant public", default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField("type", max_length=10, choices=Kind.choices)
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.CharField("raison de l’échec", max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="envoyé par",
        on_delete=models.SET_NULL,
        null=True,
        related_name="uploaded_media",
    )
    created_at = models.DateTimeField("envoyé le", auto_now_add=True)
    processed_at = models.DateTimeField("traité le", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("tentatives de traitement", default=0)
    # Withheld by a concern of the site (a withdrawn image-rights consent): served to nobody,
    # replaced by a notice on every page, until released (``media_withhold`` / ``media_release``).
    withheld_at = models.DateTimeField("masqué le", null=True, blank=True)
    withheld_reason = models.CharField("raison du masquage", max_length=300, blank=True)

    original_name = models.CharField("nom d’origine", max_length=255, blank=True)
    alt_text = models.CharField(
        "texte alternatif",
        max_length=300,
        blank=True,
        help_text="Ce que montre l’image, pour les personnes qui ne la voient pas. Obligatoire pour l’afficher.",
    )
    transcript = models.TextField(
        "transcription",
        max_length=5000,
        blank=True,
        help_text="Ce que l’on entend dans un enregistrement, pour les personnes qui ne peuvent pas l’écouter.",
    )
    width = models.PositiveIntegerField("largeur (px)", null=True, blank=True)
    height = models.PositiveIntegerField("hauteur (px)", null=True, blank=True)
    duration = models.FloatField("durée (s)", null=True, blank=True)
    size = models.PositiveBigIntegerField("taille (octets)", default=0)
    content_type = models.CharField("type de contenu", max_length=100, blank=True)

    holder_content_type = models.ForeignKey(
        ContentType, verbose_name="type du contenu rattaché", on_delete=models.CASCADE, null=True, blank=True
    )
    holder_object_id = models.PositiveBigIntegerField("identifiant du contenu rattaché", null=True, blank=True)
    holder = GenericForeignKey("holder_content_type", "holder_object_id")

    # Kept only until processed (never served). Then one of the groups below is filled.
    original = models.FileField("fichier d’origine", max_length=255, blank=True)
    display_webp = models.FileField("affichage (WebP)", max_length=255, blank=True)
    display_jpeg = models.FileField("affichage (JPEG)", max_length=255, blank=True)
    thumb_webp = models.FileField("vignette (WebP)", max_length=255, blank=True)
    thumb_jpeg = models.FileField("vignette (JPEG)", max_length=255, blank=True)
    audio = models.FileField("enregistrement (AAC)", max_length=255, blank=True)
    file = models.FileField("document", max_length=255, blank=True)

    objects = MediaFileQuerySet.as_manager()

    # URL variant -> (field, kind it belongs to).
    VARIANTS = {
        "display": ("display_webp", Kind.IMAGE),
        "display-jpeg": ("display_jpeg", Kind.IMAGE),
        "thumb": ("thumb_webp", Kind.IMAGE),
        "thumb-jpeg": ("thumb_jpeg", Kind.IMAGE),
        "audio": ("audio", Kind.AUDIO),
        "file": ("file", Kind.DOCUMENT),
    }
    VARIANT_CONTENT_TYPES = {
        "display": "image/webp",
        "display-jpeg": "image/jpeg",
        "thumb": "image/webp",
        "thumb-jpeg": "image/jpeg",
        "audio": "audio/mp4",
    }
    FILE_FIELDS = ("original", "display_webp", "display_jpeg", "thumb_webp", "thumb_jpeg", "audio", "file")

    class Meta:
        verbose_name = "fichier envoyé"
        verbose_name_plural = "fichiers envoyés"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["holder_content_type", "holder_object_id"], name="uploads_media_holder_idx"),
            models.Index(fields=["status", "created_at"], name="uploads_media_status_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(holder_content_type__isnull=True, holder_object_id__isnull=True)
                | models.Q(holder_content_type__isnull=False, holder_object_id__isnull=False),
                name="uploads_media_holder_complete",
            ),
        ]

    def __str__(self):
        return self.original_name or f"{self.get_kind_display()} {self.public_id}"

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def is_withheld(self) -> bool:
        return self.withheld_at is not None

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def is_late(self) -> bool:
        """Pending for over two minutes (a busy or stopped worker): the page polls less often."""
        return self.is_pending and self.created_at is not None and timezone.now() - self.created_at > LATE_AFTER

    def variant_file(self, variant: str):
        """The stored file of a URL variant, or None when it does not exist for this item."""
        field, kind = self.VARIANTS.get(variant, (None, None))
        if field is None or kind != self.kind:
            return None
        stored = getattr(self, field)
        return stored if stored else None

    def variant_content_type(self, variant: str) -> str:
        return self.VARIANT_CONTENT_TYPES.get(variant) or self.content_type or "application/octet-stream"

    def url(self, variant: str) -> str:
        return reverse("uploads:serve", args=[self.public_id, variant])

    @property
    def thumb_size(self) -> tuple[int, int] | tuple[None, None]:
        if not (self.width and self.height):
            return None, None
        return fit_within(self.width, self.height, settings.ENT_UPLOAD_IMAGE_THUMB_PX)

    @property
    def thumb_width(self):
        return self.thumb_size[0]

    @property
    def thumb_height(self):
        return self.thumb_size[1]

    @property
    def duration_label(self) -> str:
        """« 2 min 05 s », « 45 s », « 1 h 02 min 05 s »."""
        if self.duration is None:
            return ""
        total = round(self.duration)
        hours, rest = divmod(total, 3600)
        minutes, seconds = divmod(rest, 60)
        if hours:
            return f"{hours} h {minutes:02d} min {seconds:02d} s"
        if minutes:
            return f"{minutes} min {seconds:02d} s"
        return f"{seconds} s"

    @property
    def size_label(self) -> str:
        return human_size(self.size)

    @property
    def document_type_label(self) -> str:
        return DOCUMENT_TYPE_LABELS.get(self.content_type, "Document")

    def stored_names(self) -> list[str]:
        return [getattr(self, field).name for field in self.FILE_FIELDS if getattr(self, field)]
