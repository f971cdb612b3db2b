"""Forms of the composing side: the message (recipients as chips, subject, body, attachments,
options), favoris and the signature. The mailbox side's forms are in ``mailbox_forms``."""

from django import forms
from django.conf import settings

from ent.forms import BoundedDateTimeField, DsfrForm, required_when
from uploads.forms import AltTextField, MediaFormMixin, MultipleMediaUploadField
from uploads.models import MediaFile, human_size

from .models import Message
from .recipients import FIELD_LABELS, clean_tokens

MAX_FILES = 10
ADD_TO_CHOICES = [("to", "À"), ("cc", "Copie (Cc)"), ("bcc", "Copie cachée (Cci)")]


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class TokensField(forms.Field):
    """Chosen recipients: hidden inputs, one per token (the chips of the page)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        return clean_tokens(value)


class ComposeForm(MediaFormMixin, DsfrForm):
    files_not_kept_field = "documents"

    to = TokensField(required=False, label=FIELD_LABELS["to"])
    cc = TokensField(required=False, label=FIELD_LABELS["cc"])
    bcc = TokensField(required=False, label=FIELD_LABELS["bcc"])
    query = forms.CharField(
        label="Ajouter des destinataires",
        required=False,
        max_length=100,
        help_text="Une personne, une école, une équipe ou un groupe : tapez quelques lettres de son nom.",
    )
    add_to = forms.ChoiceField(
        label="Ajouter en", choices=ADD_TO_CHOICES, initial="to", required=False, widget=forms.RadioSelect
    )
    picked = forms.MultipleChoiceField(
        label="Résultats de la recherche", required=False, widget=forms.CheckboxSelectMultiple
    )
    subject = required_when(
        forms.CharField(label="Objet", max_length=Message._meta.get_field("subject").max_length, required=False),
        "pour envoyer",
    )
    body = Message._meta.get_field("body").formfield(label="Message", required=False)
    documents = MultipleMediaUploadField(
        kind=MediaFile.Kind.DOCUMENT, max_files=MAX_FILES, label="Documents", required=False
    )
    images = MultipleMediaUploadField(
        kind=MediaFile.Kind.IMAGE,
        max_files=MAX_FILES,
        label="Images",
        required=False,
        alt_text_field="images_alt",
        image_name="les images",
    )
    images_alt = AltTextField(label="Description des images")
    audio = MultipleMediaUploadField(
        kind=MediaFile.Kind.AUDIO, max_files=MAX_FILES, label="Enregistrements audio", required=False
    )
    audio_transcript = forms.CharField(
        label="Transcription des enregistrements",
        required=False,
        max_length=MediaFile._meta.get_field("transcript").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Ce que l’on entend, pour les personnes qui ne peuvent pas écouter.",
    )
    media_no_pupil = forms.BooleanField(
        label="Aucun élève reconnaissable sur les images et enregistrements joints",
        required=False,
        help_text="Sinon, indiquez les élèves visibles ou entendus (liens sous les pièces jointes) : "
        "l’envoi vérifie l’autorisation de leurs familles.",
    )
    remove_attachments = forms.TypedMultipleChoiceField(
        label="Retirer ces pièces jointes", required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    no_reply = forms.BooleanField(
        label="Ne pas répondre",
        required=False,
        help_text="Une annonce : les destinataires ne pourront pas répondre à ce message.",
    )
    read_receipt = forms.BooleanField(
        label="Demander un accusé de lecture",
        required=False,
        help_text="Vous verrez qui l’a lu et quand ; les destinataires en sont prévenus avant de l’ouvrir.",
    )
    scheduled_at = BoundedDateTimeField(
        label="Envoi différé",
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M"],
        help_text="Laissez vide pour envoyer maintenant. Sinon, le message partira à cette date et cette heure "
        "(annulable jusque-là).",
    )
    send_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    confirmed = forms.BooleanField(required=False, label="Je confirme l’envoi")

    def __init__(self, *args, attachments=(), picked_choices=(), no_reply_allowed=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remove_attachments"].choices = [
            (m.pk, f"{m.original_name or m.get_kind_display()} ({human_size(m.size)})") for m in attachments
        ]
        self.fields["picked"].choices = list(picked_choices)
        if not no_reply_allowed:
            del self.fields["no_reply"]
        total = human_size(settings.ENT_MAIL_MAX_ATTACHMENTS_BYTES)
        self.fields[
            "documents"
        ].help_text = f"{self.fields['documents'].help_text} Toutes pièces jointes confondues : {total} au plus."

    def addressing(self) -> dict:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return {name: data.get(name) or [] for name in ("to", "cc", "bcc")}

    def files_by_kind(self) -> dict:
        return {
            MediaFile.Kind.DOCUMENT: self.cleaned_data.get("documents") or [],
            MediaFile.Kind.IMAGE: self.cleaned_data.get("images") or [],
            MediaFile.Kind.AUDIO: self.cleaned_data.get("audio") or [],
        }


class ContactListForm(DsfrForm):
    name = forms.CharField(label="Nom de la liste", max_length=80)


class SignatureForm(DsfrForm):
    signature = forms.CharField(
        label="Signature",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ajoutée sous chaque nouveau message, réponse ou transfert (vous pouvez la modifier avant "
        "d’envoyer). Texte simple, 1 000 caractères au plus.",
    )
