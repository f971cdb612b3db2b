"""Form pieces every app uses to receive a photo, a recording or a document (and an image's alt text).

``ImageUploadField`` / ``AudioUploadField`` / ``DocumentUploadField`` (and ``MultipleMediaUploadField``)
make the cheap checks of ``media_upload`` (size bound from the ``ENT_UPLOAD_*`` settings, empty,
content sniffing) while the form is validated, so a mistake is answered next to the field and
everything else typed in the form stays. An image field names its alt-text field
(``alt_text_field=``); a form built on ``MediaFormMixin`` then refuses, on that field and with the
message of ``media_upload``, an image sent without alternative text. Then the service calls
``media_upload`` with ``form.cleaned_data[...]`` (inside ``media_errors_on`` to keep the fields).

    class PageForm(MediaFormMixin, DsfrForm):
        photo = ImageUploadField(required=False, alt_text_field="photo_alt")
        photo_alt = AltTextField(label="Description de la photo")
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from dsfr.utils import dsfr_input_class_attr

from ent.forms import DsfrForm

from .checks import check_alt_text, check_upload, max_bytes
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
PLURALS = {Kind.IMAGE: "images", Kind.AUDIO: "enregistrements", Kind.DOCUMENT: "documents"}
ALT_TEXT_MAX_LENGTH = MediaFile._meta.get_field("alt_text").max_length


def upload_help_text(kind: str, max_files: int | None = None) -> str:
    """« Formats acceptés : … Taille maximale : 20 Mo. » from the settings as they are now."""
    text = f"Formats acceptés : {FORMATS[kind]}. Taille maximale : {human_size(max_bytes(kind))}"
    text += " par fichier." if max_files else "."
    if kind == Kind.IMAGE:
        text += " Les données de localisation de la photo sont retirées."
    if kind == Kind.AUDIO:
        minutes = settings.ENT_UPLOAD_MAX_AUDIO_SECONDS // 60
        text += f" Durée maximale : {minutes} min."
    if max_files:
        text += f" {max_files} {PLURALS[kind]} au plus."
    return text


# Fields are built when their form class is imported: the text is computed when it is shown.
lazy_upload_help_text = lazy(upload_help_text, str)


class MediaUploadField(forms.FileField):
    """A file field that accepts only uploads of ``kind``, checked by content (never by name).

    ``alt_text_field`` (images): the form's field holding its alternative text, checked by
    ``MediaFormMixin``; ``image_name`` names the image in that message (« l’image de couverture »).
    """

    kind: str = ""

    def __init__(self, *, kind: str | None = None, alt_text_field: str = "", image_name: str = "l’image", **kwargs):
        self.kind = kind or self.kind
        if self.kind not in Kind.values:
            raise ValueError(f"Unknown media kind: {self.kind!r}")
        self.alt_text_field, self.image_name = alt_text_field, image_name
        kwargs.setdefault("label", Kind(self.kind).label)
        super().__init__(**kwargs)
        if not self.help_text:
            self.help_text = lazy_upload_help_text(self.kind, getattr(self, "max_files", None))
        self.widget.attrs.setdefault("accept", ACCEPT[self.kind])
        self.widget.attrs.setdefault("class", "fr-upload")  # the DSFR file input
        self.widget.group_class = "fr-upload-group"

    def clean(self, data, initial=None):
        file = super().clean(data, initial)
        if file and file is not initial:
            check_upload(file, self.kind)
        return file

    @property
    def max_seconds(self) -> int | None:
        """An audio field's length bound (``ENT_UPLOAD_MAX_AUDIO_SECONDS``, read now): where the dictaphone stops."""
        return settings.ENT_UPLOAD_MAX_AUDIO_SECONDS if self.kind == Kind.AUDIO else None


class ImageUploadField(MediaUploadField):
    kind = Kind.IMAGE

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Photo ou image")
        super().__init__(**kwargs)


class AudioUploadField(MediaUploadField):
    kind = Kind.AUDIO


class DocumentUploadField(MediaUploadField):
    kind = Kind.DOCUMENT


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleMediaUploadField(MediaUploadField):
    """Several files of ``kind`` at once (at most ``max_files``), each checked; cleans to a list."""

    widget = MultipleFileInput

    def __init__(self, *, max_files: int, **kwargs):
        self.max_files = max_files
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > self.max_files:
            raise ValidationError(
                "Joignez au plus %(max)s %(what)s à la fois.",
                code="too_many",
                params={"max": self.max_files, "what": PLURALS[self.kind]},
            )
        single = super().clean
        return [single(file, initial) for file in files]


class AltTextField(forms.CharField):
    """An image's alternative text: needed with an image (« (obligatoire avec une image) »), checked by ``MediaFormMixin``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", "Description de l’image (texte alternatif)")
        kwargs.setdefault("help_text", "Ce que montre l’image, pour les personnes qui ne la voient pas.")
        kwargs.setdefault("max_length", ALT_TEXT_MAX_LENGTH)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.required_when = "avec une image"


class MediaFormMixin:
    """Put before the form class: an image sent without its alternative text is refused on the
    image field's ``alt_text_field``, with the message of ``media_upload`` (what was typed stays)."""

    def clean(self):
        data = super().clean()
        for name, field in self.fields.items():
            alt_name = getattr(field, "alt_text_field", "")
            if not alt_name or not data.get(name) or alt_name in self.errors:
                continue
            try:
                check_alt_text(field.kind, data.get(alt_name, ""), image_name=field.image_name)
            except ValidationError as error:
                self.add_error(alt_name, error)
        return data


class MediaUploadForm(MediaFormMixin, DsfrForm):
    """One file of ``kind`` (and, for an image, its alternative text), sent with ``save()``."""

    alt_text = AltTextField(
        help_text="Ce que montre l’image, pour les personnes qui ne la voient pas. Exemple : « La classe de CM1 plante des tulipes ».",
    )

    def __init__(self, *args, kind: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["file"] = MediaUploadField(kind=kind, alt_text_field="alt_text" if kind == Kind.IMAGE else "")
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
