from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.text import slugify

from accounts.audiences import AudienceKind
from accounts.models import Structure, User
from ent.forms import BoundedDateField, DsfrForm, DsfrModelForm, required_when
from uploads.forms import AltTextField, ImageUploadField, MediaFormMixin

from .models import Blog, Comment, Post, Tag
from .services import PostAction

DEFAULT_PUBLISH_TIME = time(8, 0)
# Addresses already used by the blogs' own pages (blogs/nouveau/, blogs/commentaires/…).
RESERVED_SLUGS = frozenset({"nouveau", "commentaires"})


def _select_multiple(size=8):
    return forms.SelectMultiple(attrs={"size": size})


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name()} ({obj.email})"


class BlogForm(MediaFormMixin, DsfrModelForm):
    """A blog's settings. Making it public needs an explicit confirmation (its images become public)."""

    confirm_public = forms.BooleanField(
        label="Je confirme que ce blog et toutes ses images seront visibles sans connexion",
        required=False,
        help_text="Vérifiez que les familles ont donné leur accord pour les photos d’élèves (droit à l’image).",
    )
    cover_file = ImageUploadField(
        label="Image de couverture",
        required=False,
        alt_text_field="cover_alt",
        image_name="l’image de couverture",
    )
    contributor_users = PeopleChoiceField(
        queryset=User.objects.filter(is_active=True).order_by("sort_name"),
        required=False,
        label="Contributeur·rices",
        help_text="Les personnes qui écrivent dans le blog (Ctrl ou Cmd pour en choisir plusieurs).",
        widget=_select_multiple(10),
    )
    cover_alt = AltTextField(
        label="Description de l’image de couverture",
        help_text="Le texte alternatif, lu à qui ne voit pas l’image.",
    )

    class Meta:
        model = Blog
        fields = [
            "title",
            "slug",
            "description",
            "owner_kind",
            "owner_structures",
            "contributor_users",
            "contributor_structures",
            "audience",
            "audience_structures",
            "comment_policy",
            "is_weekly_series",
            "series_start",
            "is_public",
        ]
        field_classes = {"series_start": BoundedDateField}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "series_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "owner_structures": _select_multiple(),
            "contributor_structures": _select_multiple(),
            "audience_structures": _select_multiple(),
            "owner_kind": forms.RadioSelect,
            "comment_policy": forms.RadioSelect,
        }
        help_texts = {
            "slug": "Laissée vide, elle est tirée du titre.",
            "audience": "Qui lit le blog et reçoit une notification à chaque billet.",
        }
        labels = {"audience": "Lecteurs et lectrices"}

    def __init__(self, *args, schools=None, may_make_public=True, **kwargs):
        """``schools``: for a teacher or a director, the schools they may open a blog for (the first
        is proposed); the form then offers a blog of one of them, read by named structures. None for
        the district team (every owner, every audience)."""
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        required_when(self.fields["owner_structures"], "pour un blog d’école ou de projet")
        required_when(self.fields["audience_structures"], "pour des lecteurs choisis")
        required_when(self.fields["series_start"], "pour une série hebdomadaire")
        self.fields["owner_structures"].queryset = Structure.objects.schools().order_by("sort_name")
        self.fields["contributor_structures"].queryset = Structure.objects.order_by("kind", "sort_name")
        self.fields["audience_structures"].queryset = Structure.objects.order_by("kind", "sort_name")
        self.school_scope = schools is not None
        self.may_make_public = may_make_public
        if not may_make_public:  # only the district team or the school's director opens a blog to the public
            del self.fields["is_public"], self.fields["confirm_public"]
        if self.school_scope:
            self._limit_to_schools(list(schools))

    def _limit_to_schools(self, schools):
        """Offer only a blog of these schools, read by named structures (their school by default).

        What is offered is narrowed, not what is accepted: a request beyond the person's scope is
        refused by ``blogs.services`` (403), as any forged request.
        """
        owner, readers = self.fields["owner_structures"], self.fields["audience_structures"]
        self.fields["owner_kind"].widget = forms.HiddenInput()
        self.fields["audience"].widget = forms.HiddenInput()
        owner.widget.choices = [(school.pk, school.name) for school in schools]
        owner.widget.attrs["size"] = max(2, min(8, len(schools)))
        owner.label, owner.help_text = "École du blog", "Le blog appartient à cette école ; sa direction le gère."
        readers.label = "Lecteurs et lectrices"
        readers.help_text = (
            "Les membres de ces écoles ou équipes lisent le blog et sont prévenus de chaque billet "
            "(Ctrl ou Cmd pour en choisir plusieurs)."
        )
        for name in ("owner_kind", "audience", "owner_structures", "audience_structures"):
            self._bound_fields_cache.pop(name, None)  # drawn again with their new labels and widgets
        if not self.instance.pk and schools:
            self.initial.setdefault("owner_kind", Blog.OwnerKind.SCHOOL)
            self.initial.setdefault("owner_structures", [schools[0].pk])
            self.initial.setdefault("audience", AudienceKind.STRUCTURES)
            self.initial.setdefault("audience_structures", [schools[0].pk])

    def clean_slug(self):
        slug = self.cleaned_data.get("slug") or slugify(self.cleaned_data.get("title") or "")[:80]
        if not slug:
            raise forms.ValidationError("Donnez une adresse au blog (lettres, chiffres et tirets).")
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(f"L’adresse « {slug} » est réservée : choisissez-en une autre.")
        if Blog.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(f"L’adresse « {slug} » est déjà prise par un autre blog.")
        return slug

    def clean(self):
        data = super().clean()
        owner_kind, schools = data.get("owner_kind"), list(data.get("owner_structures") or [])
        if owner_kind == Blog.OwnerKind.SCHOOL and len(schools) != 1:
            self.add_error("owner_structures", "Choisissez l’école du blog (une seule).")
        if owner_kind == Blog.OwnerKind.PROJECT and len(schools) < 2:
            self.add_error("owner_structures", "Un projet réunit au moins deux écoles : choisissez-les.")
        if data.get("audience") == AudienceKind.STRUCTURES and not data.get("audience_structures"):
            self.add_error("audience_structures", "Choisissez les écoles ou équipes qui lisent le blog.")
        if data.get("is_weekly_series") and not data.get("series_start"):
            self.add_error("series_start", "Une série hebdomadaire a une date de début (la semaine 1).")
        if (
            self.may_make_public
            and data.get("is_public")
            and not self.instance.is_public
            and not data.get("confirm_public")
        ):
            self.add_error(
                "confirm_public",
                "Pour rendre le blog public, cochez cette case : ses billets et ses images seront visibles sans connexion.",
            )
        return data

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("confirm_public", None)
        return data


class TagChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class PostForm(MediaFormMixin, DsfrModelForm):
    """A post: text, tags, images, and when to publish it (the submit button says how)."""

    new_tools = forms.CharField(
        label="Autres outils",
        required=False,
        max_length=300,
        help_text="Des outils qui ne sont pas dans la liste, séparés par des virgules (ex. « Digipad, Vocaroo »).",
    )
    week = required_when(
        forms.TypedChoiceField(
            label="Semaine",
            required=False,
            coerce=lambda value: datetime.strptime(value, "%Y-%m-%d").date(),
            empty_value=None,
            help_text="Les semaines de vacances et celles qui ont déjà un tutoriel ne sont pas proposées.",
        ),
        "pour programmer ou publier",
    )
    publish_date = required_when(
        BoundedDateField(
            label="Date de publication",
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            help_text="Pour programmer le billet, ou garder une date prévue avec le brouillon.",
        ),
        "pour programmer",
    )
    publish_time = forms.TimeField(
        label="Heure de publication",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    image = ImageUploadField(label="Ajouter une image", required=False, alt_text_field="image_alt")
    image_alt = AltTextField(help_text="Ce qu’elle montre, pour qui ne la voit pas.")
    image_caption = forms.CharField(label="Légende de l’image", required=False, max_length=200)
    image_no_pupil = forms.BooleanField(
        label="Aucun élève reconnaissable sur cette image",
        required=False,
        help_text="Sinon, publiez après avoir indiqué les élèves visibles (lien sous l’image) : "
        "la publication vérifie l’autorisation de leurs familles.",
    )
    action = forms.ChoiceField(choices=PostAction.choices, required=False, widget=forms.HiddenInput)
    files_not_kept = "Le fichier n’a pas pu être gardé : choisissez-le à nouveau."
    files_not_kept_field = "image"

    class Meta:
        model = Post
        fields = ["title", "body", "tags"]
        field_classes = {"tags": TagChoiceField}
        labels = {"body": "Texte du billet"}

    def __init__(self, *args, blog: Blog, week_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.blog = blog
        self.fields["tags"].queryset = Tag.objects.order_by("kind", "sort_name")
        self.fields["tags"].required = False
        self.fields["body"].required = False
        if blog.is_weekly_series:
            self.fields["week"].choices = [("", "— Choisir une semaine —")] + [
                (w.monday.isoformat(), w.label) for w in week_choices
            ]
        else:
            del self.fields["week"]
        if self.instance.pk:
            self.initial.setdefault("tags", list(self.instance.tags.all()))
            if self.instance.week_start and "week" in self.fields:
                self.initial.setdefault("week", self.instance.week_start.isoformat())
            if self.instance.published_at:
                local = timezone.localtime(self.instance.published_at)
                self.initial.setdefault("publish_date", local.date())
                self.initial.setdefault("publish_time", local.time().replace(second=0, microsecond=0))

    def tag_groups(self):
        """The tag checkboxes grouped by kind, for a fieldset each."""
        groups: dict[str, list] = {}
        for checkbox in self["tags"]:
            groups.setdefault(checkbox.data["value"].instance.get_kind_display(), []).append(checkbox)
        return list(groups.items())

    def clean_new_tools(self):
        return [name.strip() for name in self.cleaned_data["new_tools"].split(",") if name.strip()]

    def clean(self):
        data = super().clean()
        action = data.get("action") or PostAction.DRAFT
        data["action"] = action
        if action != PostAction.DRAFT and not (data.get("body") or "").strip():
            self.add_error("body", "Le billet n’a pas encore de texte : écrivez-le avant de le publier.")
        if "week" in self.fields and action != PostAction.DRAFT and not data.get("week"):
            self.add_error("week", "Choisissez la semaine de ce tutoriel.")
        day, hour = data.get("publish_date"), data.get("publish_time")
        if hour and not day:
            self.add_error("publish_date", "Indiquez aussi la date de publication.")
        data["publish_at"] = timezone.make_aware(datetime.combine(day, hour or DEFAULT_PUBLISH_TIME)) if day else None
        if action == PostAction.SCHEDULE and (data["publish_at"] is None or data["publish_at"] <= timezone.now()):
            self.add_error("publish_date", "Choisissez une date et une heure à venir pour programmer la publication.")
        if self.errors.get("image") is None and data.get("image") and self.errors:
            self.add_error("image", self.files_not_kept)
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "body": data.get("body") or "",
            "tags": list(data.get("tags") or []),
            "new_tool_names": data.get("new_tools") or [],
            "week_start": data.get("week"),
            "publish_at": data.get("publish_at"),
            "action": data["action"],
            "image": data.get("image"),
            "image_alt": data.get("image_alt") or "",
            "image_caption": data.get("image_caption") or "",
            "image_no_identifiable_pupil": bool(data.get("image_no_pupil")),
        }


class CommentForm(DsfrModelForm):
    class Meta:
        model = Comment
        fields = ["body"]
        labels = {"body": "Votre commentaire"}
        help_texts = {"body": "Texte simple, 2 000 caractères au plus. Les adresses web deviennent des liens."}
        widgets = {"body": forms.Textarea(attrs={"rows": 4, "maxlength": 2000})}


class ReportForm(DsfrForm):
    reason = forms.CharField(
        label="Pourquoi le signalez-vous ?",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 300}),
        help_text="Cela aide les contributeur·rices du blog à décider.",
    )
