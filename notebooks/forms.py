from django import forms

from accounts.audiences import AudienceKind
from accounts.models import Structure, User
from ent.forms import BoundedDateField, DsfrForm, DsfrModelForm, required_when
from uploads.forms import AltTextField, AudioUploadField, ImageUploadField, MediaFormMixin

from .models import Block, Notebook
from .services import NewBlock


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name()} ({obj.email})"


def _select_multiple(size=8):
    return forms.SelectMultiple(attrs={"size": size})


class NotebookForm(MediaFormMixin, DsfrModelForm):
    """A notebook's settings. A director opens one only for a school they direct (``schools``)."""

    cover_file = ImageUploadField(
        label="Image de couverture", required=False, alt_text_field="cover_alt", image_name="l’image de couverture"
    )
    cover_alt = AltTextField(
        label="Description de l’image de couverture", help_text="Le texte alternatif, lu à qui ne voit pas l’image."
    )
    contributor_users = PeopleChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("sort_name"),
        required=False,
        label="Contributeur·rices",
        help_text="Des personnes qui ajoutent des pages (Ctrl ou Cmd pour en choisir plusieurs).",
        widget=_select_multiple(10),
    )

    class Meta:
        model = Notebook
        fields = [
            "title",
            "subtitle",
            "theme",
            "colour",
            "presentation",
            "school",
            "audience",
            "audience_structures",
            "contributor_users",
            "contributor_structures",
            "teachers_of_readers_contribute",
            "opens_on",
            "closes_on",
            "policy",
            "school_pages_editable",
        ]
        field_classes = {"opens_on": BoundedDateField, "closes_on": BoundedDateField}
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "audience_structures": _select_multiple(),
            "contributor_structures": _select_multiple(),
            "policy": forms.RadioSelect,
        }
        labels = {"audience": "Lecteurs et lectrices", "audience_structures": "Structures qui lisent le cahier"}

    def __init__(self, *args, schools=None, **kwargs):
        super().__init__(*args, **kwargs)
        required_when(self.fields["audience_structures"], "pour « Les membres de certaines structures »")
        self.fields["contributor_structures"].queryset = Structure.objects.order_by("kind", "sort_name")
        self.fields["audience_structures"].queryset = Structure.objects.order_by("kind", "sort_name")
        school = self.fields["school"]
        school.queryset = Structure.objects.schools().order_by("sort_name")
        if schools is not None:  # a director: their school's notebook
            school.queryset = schools
            school.required = True
            school.empty_label = None
        else:
            school.empty_label = "Aucune : un cahier de la circonscription"

    def clean(self):
        data = super().clean()
        if data.get("audience") == AudienceKind.STRUCTURES and not data.get("audience_structures"):
            self.add_error("audience_structures", "Choisissez les écoles ou équipes qui lisent le cahier.")
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", "La date de fermeture doit suivre la date d’ouverture.")
        return data

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)


class PageCreateForm(DsfrForm):
    title = forms.CharField(label="Titre de la page", max_length=200)
    class_label = forms.CharField(
        label="Classe", max_length=60, required=False, help_text="Par exemple « CE1 », « CP-CE1 »."
    )


class PageEditForm(MediaFormMixin, DsfrForm):
    """The whole page at once: its title and class, each block's text, and one block to add.

    ``version`` is the version the form was drawn from: the service refuses a save from an older
    one (someone saved meanwhile), and the form shows again with everything typed.
    """

    files_not_kept_field = None

    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label="Titre de la page", max_length=200)
    class_label = forms.CharField(label="Classe", max_length=60, required=False, help_text="Par exemple « CE1 ».")
    new_kind = forms.ChoiceField(
        label="Ajouter un bloc",
        required=False,
        choices=[("", "Aucun"), *Block.Kind.choices],
        widget=forms.RadioSelect,
    )
    new_text = Block._meta.get_field("body").formfield(label="Texte du nouveau bloc", required=False)
    new_image = ImageUploadField(required=False, alt_text_field="new_image_alt", label="Nouvelle image")
    new_image_alt = AltTextField()
    new_caption = forms.CharField(label="Légende de l’image", max_length=200, required=False)
    new_no_pupil = forms.BooleanField(label="Aucun élève reconnaissable (ni visible, ni entendu)", required=False)
    new_pupils = forms.ModelMultipleChoiceField(
        label="Élèves visibles ou entendus",
        queryset=None,
        required=False,
        help_text="Pris dans le registre de votre école. La publication vérifie l’autorisation de leurs familles.",
    )
    audio = AudioUploadField(required=False, label="Enregistrement ou fichier son")
    transcript = forms.CharField(
        label="Transcription de l’enregistrement",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ce que l’on entend, pour les personnes qui ne peuvent pas écouter. Nécessaire pour proposer la page.",
    )

    def __init__(self, *args, blocks=(), pupils=None, **kwargs):
        super().__init__(*args, **kwargs)
        from privacy.models import Pupil

        self.fields["new_pupils"].queryset = pupils if pupils is not None else Pupil.objects.none()
        required_when(self.fields["new_image"], "pour un bloc image")
        required_when(self.fields["audio"], "pour un bloc enregistrement")
        self.blocks = list(blocks)
        for block in self.blocks:
            prefix = f"block-{block.pk}"
            if block.kind == Block.Kind.TEXT:
                self.fields[f"{prefix}-body"] = Block._meta.get_field("body").formfield(
                    label=f"Texte du bloc {block.position + 1}", required=False, initial=str(block.body)
                )
            elif block.kind == Block.Kind.IMAGE:
                self.fields[f"{prefix}-alt"] = AltTextField(
                    label=f"Description de l’image du bloc {block.position + 1}",
                    initial=block.media.alt_text if block.media else "",
                )
                self.fields[f"{prefix}-caption"] = forms.CharField(
                    label="Légende", max_length=200, required=False, initial=block.caption
                )
            else:
                self.fields[f"{prefix}-transcript"] = forms.CharField(
                    label=f"Transcription de l’enregistrement du bloc {block.position + 1}",
                    required=False,
                    max_length=5000,
                    initial=block.transcript,
                    widget=forms.Textarea(attrs={"rows": 4}),
                )
        self.block_rows = [
            (block, [self[name] for name in self.fields if name.startswith(f"block-{block.pk}-")])
            for block in self.blocks
        ]

    def clean(self):
        data = super().clean()
        kind = data.get("new_kind")
        if kind == Block.Kind.IMAGE and not data.get("new_image"):
            self.add_error("new_image", "Choisissez l’image à ajouter.")
        if kind == Block.Kind.AUDIO and not data.get("audio"):
            self.add_error("audio", "Choisissez ou enregistrez le son à ajouter.")
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        blocks = {}
        for block in self.blocks:
            fields = {}
            for part in ("body", "alt", "caption", "transcript"):
                name = f"block-{block.pk}-{part}"
                if name in self.fields:
                    fields[part] = data.get(name) or ""
            blocks[block.pk] = fields
        new_block = None
        kind = data.get("new_kind")
        if kind == Block.Kind.TEXT and (data.get("new_text") or "").strip():
            new_block = NewBlock(kind=kind, body=data["new_text"])
        elif kind == Block.Kind.IMAGE:
            new_block = NewBlock(
                kind=kind,
                file=data.get("new_image"),
                alt=data.get("new_image_alt", ""),
                caption=data.get("new_caption", ""),
                pupils=tuple(data.get("new_pupils") or ()),
                no_identifiable_pupil=bool(data.get("new_no_pupil")),
            )
        elif kind == Block.Kind.AUDIO:
            new_block = NewBlock(
                kind=kind,
                file=data.get("audio"),
                transcript=data.get("transcript", ""),
                pupils=tuple(data.get("new_pupils") or ()),
                no_identifiable_pupil=bool(data.get("new_no_pupil")),
            )
        return {
            "version": data["version"],
            "title": data["title"],
            "class_label": data.get("class_label", ""),
            "blocks": blocks,
            "new_block": new_block,
        }


class ReturnForm(DsfrForm):
    comment = forms.CharField(
        label="Ce qu’il faut reprendre",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Les auteur·rices de la page le liront avec la page renvoyée.",
    )
