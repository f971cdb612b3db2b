import datetime as dt

from django import forms
from django.utils import timezone, translation

from accounts.audiences import AudienceKind
from accounts.models import Structure
from ent.dates import format_month
from ent.forms import BoundedDateField, BoundedDateTimeField, DsfrForm, required_when
from uploads.forms import AltTextField, ImageUploadField, MediaFormMixin, MultipleMediaUploadField
from uploads.models import MediaFile

from . import permissions
from .models import Feed, Level, Post, PostStatus, Registration
from .services import PostInput

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%Y"]
MAX_ATTACHMENTS = 10
FILES_NOT_KEPT = DsfrForm.files_not_kept


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class SchoolsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.commune})" if obj.commune else obj.name


def _local(value):
    return timezone.localtime(value).replace(tzinfo=None) if value else None


class PostForm(MediaFormMixin, DsfrForm):
    title = forms.CharField(label="Titre", max_length=200)
    summary = forms.CharField(
        label="Résumé",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Une ou deux phrases (300 caractères au plus), reprises dans la liste et les notifications.",
    )
    body = Post._meta.get_field("body").formfield(label="Texte", required=False)
    cover = ImageUploadField(
        label="Image de couverture",
        required=False,
        alt_text_field="cover_alt",
        image_name="l’image de couverture",
    )
    cover_alt = AltTextField(label="Description de l’image")
    remove_cover = forms.BooleanField(label="Retirer l’image de couverture", required=False)
    cover_no_pupil = forms.BooleanField(
        label="Aucun élève reconnaissable sur cette image",
        required=False,
        help_text="Sinon, publiez après avoir indiqué les élèves visibles (lien sous l’image) : "
        "la publication vérifie l’autorisation de leurs familles.",
    )
    attachments = MultipleMediaUploadField(
        kind=MediaFile.Kind.DOCUMENT, max_files=MAX_ATTACHMENTS, label="Pièces jointes", required=False
    )
    remove_attachments = forms.TypedMultipleChoiceField(
        label="Retirer ces pièces jointes", required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    registration_closes_at = BoundedDateTimeField(
        label="Inscriptions des classes ouvertes jusqu’au",
        required=False,
        input_formats=DATETIME_FORMATS,
        widget=DateTimeLocalInput(),
        help_text="Laissez vide si le projet n’ouvre pas d’inscriptions.",
    )
    published_at = BoundedDateTimeField(
        label="Date et heure de publication",
        required=False,
        input_formats=DATETIME_FORMATS,
        widget=DateTimeLocalInput(),
        help_text="Laissez vide pour publier tout de suite ; une date future programme la publication.",
    )
    expires_at = BoundedDateTimeField(
        label="Retrait du fil le",
        required=False,
        input_formats=DATETIME_FORMATS,
        widget=DateTimeLocalInput(),
        help_text="Passé cette date, l’actualité quitte le fil et reste consultable dans les archives.",
    )
    pinned = forms.BooleanField(label="À la une (affichée en tête du fil)", required=False)
    audience_choice = forms.ChoiceField(
        label="Destinataires",
        choices=[("all", "Tout le public du fil"), ("schools", "Seulement certaines écoles")],
        initial="all",
        widget=forms.RadioSelect,
    )
    schools = required_when(
        SchoolsField(
            label="Écoles destinataires",
            queryset=Structure.objects.none(),
            required=False,
            widget=forms.CheckboxSelectMultiple,
        ),
        "pour des écoles choisies",
    )
    requires_ack = forms.BooleanField(label="Demander un accusé de lecture aux directeurs", required=False)
    ack_due_date = BoundedDateField(
        label="À confirmer avant le", required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"], widget=DateInput()
    )
    notify_again = forms.BooleanField(
        label="Notifier à nouveau",
        required=False,
        help_text="Prévenir une nouvelle fois les destinataires de cette modification.",
    )

    def __init__(self, *args, user, feed: str, post: Post | None = None, attachments=(), **kwargs):
        self.user, self.feed, self.post = user, feed, post
        if post is not None and not kwargs.get("data"):
            kwargs.setdefault("initial", self.initial_from(post))
        super().__init__(*args, **kwargs)
        team = permissions.can_set_publication_options(user)
        drop = set()
        if not team:
            drop |= {
                "published_at",
                "expires_at",
                "pinned",
                "audience_choice",
                "schools",
                "requires_ack",
                "ack_due_date",
            }
        else:
            self.fields["schools"].queryset = Structure.objects.schools().order_by("name", "commune")
        if feed != Feed.DIRECTORS:
            drop |= {"requires_ack", "ack_due_date"}
        if feed != Feed.PROJECTS:
            drop.add("registration_closes_at")
        if post is None or not permissions.can_notify_again(user, post):
            drop.add("notify_again")
        if post is None or not post.cover_id:
            drop.add("remove_cover")
        if attachments:
            self.fields["remove_attachments"].choices = [(m.pk, m.original_name or "document") for m in attachments]
        else:
            drop.add("remove_attachments")
        if post is not None and post.status == PostStatus.PUBLISHED and "published_at" not in drop:
            self.fields["published_at"].help_text = "Déjà publiée : la date ne peut pas être future."
        for name in drop:
            del self.fields[name]

    @staticmethod
    def initial_from(post: Post) -> dict:
        return {
            "title": post.title,
            "summary": post.summary,
            "body": post.body,
            "cover_alt": post.cover.alt_text if post.cover_id else "",
            "registration_closes_at": _local(post.registration_closes_at),
            "published_at": _local(post.published_at),
            "expires_at": _local(post.expires_at),
            "pinned": post.pinned,
            "audience_choice": "schools" if post.audience == AudienceKind.STRUCTURES else "all",
            "schools": list(post.audience_structures.values_list("pk", flat=True)),
            "requires_ack": post.requires_ack,
            "ack_due_date": post.ack_due_date,
        }

    def clean(self):
        data = super().clean()
        if data.get("audience_choice") == "schools" and not data.get("schools"):
            self.add_error("schools", "Choisissez au moins une école, ou adressez l’actualité à tout le public du fil.")
        published, expires = data.get("published_at"), data.get("expires_at")
        if published and expires and expires <= published:
            self.add_error("expires_at", "La date de retrait doit être postérieure à la date de publication.")
        if self.files and self.errors:
            self.add_error(None, FILES_NOT_KEPT)  # a browser never fills a file input again
        return data

    def to_input(self) -> PostInput:
        data = self.cleaned_data
        schools = data.get("schools") if data.get("audience_choice") == "schools" else []
        return PostInput(
            title=data["title"],
            summary=data["summary"],
            body=data.get("body") or "",
            published_at=data.get("published_at"),
            expires_at=data.get("expires_at"),
            pinned=bool(data.get("pinned")),
            school_ids=frozenset(s.pk for s in schools or []),
            requires_ack=bool(data.get("requires_ack")),
            ack_due_date=data.get("ack_due_date"),
            registration_closes_at=data.get("registration_closes_at"),
            cover_file=data.get("cover"),
            cover_alt=(data.get("cover_alt") or "").strip(),
            remove_cover=bool(data.get("remove_cover")),
            cover_no_identifiable_pupil=bool(data.get("cover_no_pupil")),
            attachment_files=data.get("attachments") or [],
            remove_attachment_ids=frozenset(data.get("remove_attachments") or []),
        )


class ReturnForm(DsfrForm):
    comment = forms.CharField(
        label="Ce qu’il faut modifier",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="L’auteur recevra ce commentaire avec sa proposition.",
    )


class RegistrationForm(DsfrForm):
    school = forms.ModelChoiceField(label="École", queryset=Structure.objects.none(), empty_label=None)
    class_name = forms.CharField(
        label="Nom de la classe", max_length=100, help_text="Par exemple « CE2 de Mme Martin »."
    )
    level = forms.ChoiceField(label="Niveau", choices=Level.choices)
    pupil_count = forms.IntegerField(label="Nombre d’élèves", min_value=1, max_value=Registration.MAX_PUPILS)
    comment = forms.CharField(
        label="Commentaire", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, school_ids=(), registration: Registration | None = None, **kwargs):
        if registration is not None and not kwargs.get("data"):
            kwargs.setdefault(
                "initial",
                {
                    "school": registration.school_id,
                    "class_name": registration.class_name,
                    "level": registration.level,
                    "pupil_count": registration.pupil_count,
                    "comment": registration.comment,
                },
            )
        super().__init__(*args, **kwargs)
        schools = Structure.objects.schools().filter(pk__in=school_ids).order_by("name")
        self.single_school = None
        if len(school_ids) == 1:
            # One school: nothing to choose, the field is not shown.
            del self.fields["school"]
            self.single_school = schools.first()
        else:
            self.fields["school"].queryset = schools

    def clean(self):
        data = super().clean()
        if self.single_school is not None:
            data["school"] = self.single_school
        return data


class FeedFilterForm(DsfrForm):
    mark_optional = False  # every filter is optional
    mois = forms.ChoiceField(label="Mois", required=False)
    auteur = forms.TypedChoiceField(label="Auteur·rice", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, months=(), authors=(), **kwargs):
        super().__init__(*args, **kwargs)
        with translation.override("fr"):
            self.fields["mois"].choices = [("", "Tous les mois")] + [
                (m.strftime("%Y-%m"), format_month(m).capitalize()) for m in months
            ]
        self.fields["auteur"].choices = [("", "Toutes et tous")] + [(a.pk, a.get_full_name()) for a in authors]

    def filters(self) -> dict:
        if not self.is_valid():
            return {"month": None, "author_id": None}
        month = self.cleaned_data.get("mois") or ""
        parsed = dt.datetime.strptime(month, "%Y-%m").date() if month else None
        return {"month": parsed, "author_id": self.cleaned_data.get("auteur")}
