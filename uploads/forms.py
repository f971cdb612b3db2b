"""Form fields and a small form that other apps reuse to receive a photo, a recording or a document.

``ImageUploadField`` / ``AudioUploadField`` / ``DocumentUploadField`` make the cheap checks
(size, empty, content sniffing) while the form is validated, so a mistake is answered next to the
field and everything else typed in the form stays. Then the view calls ``media_upload`` (or
``MediaUploadForm.save``) with ``form.cleaned_data[...]``.

    class PageForm(DsfrModelForm):
        photo = ImageUploadField(required=False)
        photo_alt = forms.CharField(label="Description de la photo", required=False)
"""

from django import forms
from django.conf import settings
from dsfr.utils import dsfr_input_class_attr

from ent.forms import DsfrForm

from .checks import check_upload
from .models import MediaFile, human_size
from .services import media_upload

Kind = MediaFile.Kind

ACCEPT = {
    Kind.IMAGE: "image/jpeg,image/png,image/webp,image/gif,image/heic,image/heif,.heic,.heif",
    Kind.AUDIO: "audio/*,.webm,.ogg,.opus,.m4a,.mp4,.mp3,.wav",
    Kind.DOCUMENT: ".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp",
}
FORMATS = {
    Kind.IMAGE: "JPEG, PNG, WebP, GIF ou HEIC (photo de téléphone)",
    Kind.AUDIO: "WebM, Ogg, MP4/AAC (M4A), MP3 ou WAV",
    Kind.DOCUMENT: "PDF, Word, Excel, PowerPoint ou LibreOffice",
}
LIMIT_SETTINGS = {
    Kind.IMAGE: "ENT_UPLOAD_MAX_IMAGE_BYTES",
    Kind.AUDIO: "ENT_UPLOAD_MAX_AUDIO_BYTES",
    Kind.DOCUMENT: "ENT_UPLOAD_MAX_DOCUMENT_BYTES",
}


def upload_help_text(kind: str) -> str:
    text = (
        f"Formats acceptés : {FORMATS[kind]}. Taille maximale : {human_size(getattr(settings, LIMIT_SETTINGS[kind]))}."
    )
    if kind == Kind.AUDIO:
        minutes = settings.ENT_UPLOAD_MAX_AUDIO_SECONDS // 60
        text += f" Durée maximale : {minutes} min."
    return text


class MediaUploadField(forms.FileField):
    """A file field that accepts only uploads of ``kind``, checked by content (never by name)."""

    kind: str = ""

    def __init__(self, *, kind: str | None = None, **kwargs):
        self.kind = kind or self.kind
        if self.kind not in Kind.values:
            raise ValueError(f"Unknown media kind: {self.kind!r}")
        kwargs.setdefault("label", Kind(self.kind).label)
        super().__init__(**kwargs)
        if not self.help_text:
            self.help_text = upload_help_text(self.kind)
        self.widget.attrs.setdefault("accept", ACCEPT[self.kind])
        self.widget.attrs.setdefault("class", "fr-upload")  # the DSFR file input
        self.widget.group_class = "fr-upload-group"

    def clean(self, data, initial=None):
        file = super().clean(data, initial)
        if file and file is not initial:
            check_upload(file, self.kind)
        return file


class ImageUploadField(MediaUploadField):
    kind = Kind.IMAGE

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Photo ou image")
        super().__init__(**kwargs)


class AudioUploadField(MediaUploadField):
    kind = Kind.AUDIO


class DocumentUploadField(MediaUploadField):
    kind = Kind.DOCUMENT


class MediaUploadForm(DsfrForm):
    """One file of ``kind`` (and, for an image, its alternative text), sent with ``save()``."""

    alt_text = forms.CharField(
        label="Description de l’image (texte alternatif)",
        max_length=300,
        help_text="Ce que montre l’image, pour les personnes qui ne la voient pas. Exemple : « La classe de CM1 plante des tulipes ».",
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["file"] = MediaUploadField(kind=kind)
        dsfr_input_class_attr(self["file"])
        self.order_fields(["file", "alt_text"])
        if kind != Kind.IMAGE:
            del self.fields["alt_text"]

    def save(self, *, uploaded_by, holder=None) -> MediaFile:
        return media_upload(
            file=self.cleaned_data["file"],
            kind=self.kind,
            uploaded_by=uploaded_by,
            alt_text=self.cleaned_data.get("alt_text", ""),
            holder=holder,
        )
