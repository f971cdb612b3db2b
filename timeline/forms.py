"""Forms of the frise: its filters, and adding or changing an event (DSFR markup, French messages)."""

from django import forms
from django.utils import timezone
from django.utils.safestring import SafeString
from dsfr.widgets import InlineCheckboxSelectMultiple

from accounts.audiences import AudienceKind
from accounts.models import Structure
from ent.dates import PARIS
from ent.forms import BoundedDateField, DsfrForm, FieldsDrawnOnce, URLField, required_when, year_param

from .categories import Category
from .dates import NonExistentTime, SchoolYear, local_datetime
from .services import EventData
from .validators import VIDEO_URL_MESSAGE, validate_related_url, validate_web_url

# The audiences the district team addresses events to.
EVENT_AUDIENCES = [
    (AudienceKind.DISTRICT, AudienceKind.DISTRICT.label),
    (AudienceKind.DIRECTORS, AudienceKind.DIRECTORS.label),
    (AudienceKind.STRUCTURES, "Certaines écoles ou structures"),
    (AudienceKind.DISTRICT_TEAM, AudienceKind.DISTRICT_TEAM.label),
]
MAX_DAYS = 366


class FriseFilterForm(DsfrForm):
    """The period and categories shown (GET). The year comes apart: see :func:`school_year_from`."""

    mark_optional = False  # every filter is optional

    periode = forms.ChoiceField(label="Période affichée")
    categorie = forms.MultipleChoiceField(
        label="Catégories",
        required=False,
        choices=Category.choices,
        widget=InlineCheckboxSelectMultiple,
        help_text="Sans case cochée, toutes les catégories sont affichées.",
    )

    def __init__(self, *args, year: SchoolYear, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["periode"].choices = [
            ("Toute l’année", [("annee", f"Toute l’année scolaire {year.label}")]),
            ("Un trimestre", [(p.key, p.label) for p in year.trimesters()]),
            ("Un mois", [(p.key, p.label) for p in year.months()]),
        ]


def _filter_form(key: tuple) -> FriseFilterForm:
    start_year, period_key, categories = key
    return FriseFilterForm({"periode": period_key, "categorie": list(categories)}, year=SchoolYear(start_year))


FILTER_FIELDS = FieldsDrawnOnce("timeline/_frise_filter_fields.html", _filter_form, maxsize=512)


def filter_fields_html(form: FriseFilterForm, year: SchoolYear) -> SafeString:
    """The filter's fields as drawn for this form: a valid selection is the same for everyone, drawn
    once per process (about 2 ms: a select of 14 periods and 7 checkboxes through Django's widget
    templates); an invalid one is drawn now, with its message."""
    if form.is_valid():
        return FILTER_FIELDS.kept(
            (year.start_year, form.cleaned_data["periode"], tuple(sorted(form.cleaned_data["categorie"])))
        )
    return FILTER_FIELDS.now(form)


def school_year_from(request) -> SchoolYear | None:
    """The school year asked for by ``?annee=2026`` (its first year), or ``None`` (a bad one is said so)."""
    first_year = year_param(request, "annee")
    return SchoolYear(first_year) if first_year is not None else None


class WebURLField(URLField):
    """A web address: http or https only (no ftp:, no javascript:)."""

    default_validators = [validate_web_url]


class EventForm(DsfrForm):
    """Add or change an event.

    ``mode`` is "district" (the district team: the audience is chosen) or "school" (a director: the
    event belongs to one of their schools and is addressed to its members).
    """

    title = forms.CharField(
        label="Titre",
        max_length=200,
        error_messages={"required": "Donnez un titre à l’événement."},
    )
    category = forms.ChoiceField(label="Catégorie", choices=Category.choices)
    description = forms.CharField(
        label="Description",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Ordre du jour, public attendu, documents à préparer…",
    )
    all_day = forms.BooleanField(
        label="Toute la journée",
        required=False,
        initial=True,
        help_text="Décochez pour indiquer des heures de début et de fin.",
    )
    start_date = BoundedDateField(
        label="Date de début",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Format attendu : JJ/MM/AAAA.",
        error_messages={"required": "Indiquez la date de début.", "invalid": "Saisissez une date valide (JJ/MM/AAAA)."},
    )
    end_date = BoundedDateField(
        label="Date de fin",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Laissez vide pour un événement d’une seule journée.",
        error_messages={"invalid": "Saisissez une date valide (JJ/MM/AAAA)."},
    )
    start_time = required_when(
        forms.TimeField(
            label="Heure de début",
            required=False,
            widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            help_text="Heure de Paris, par exemple 9 h 30.",
            error_messages={"invalid": "Saisissez une heure valide (HH:MM)."},
        ),
        "sauf pour toute la journée",
    )
    end_time = required_when(
        forms.TimeField(
            label="Heure de fin",
            required=False,
            widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            error_messages={"invalid": "Saisissez une heure valide (HH:MM)."},
        ),
        "sauf pour toute la journée",
    )
    place = forms.CharField(
        label="Lieu",
        required=False,
        max_length=250,
        help_text="Par exemple : salle de réunion de la circonscription, Lencloître.",
    )
    video_url = WebURLField(
        label="Lien de visioconférence",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="Une adresse web complète, par exemple https://visio.education.fr/…",
        error_messages={"invalid": VIDEO_URL_MESSAGE},
    )
    related_url = forms.CharField(
        label="Lien vers une actualité",
        required=False,
        max_length=500,
        validators=[validate_related_url],
        help_text="L’adresse d’une actualité du site (commençant par /) ou d’une page web.",
    )
    audience = forms.ChoiceField(
        label="Destinataires", choices=EVENT_AUDIENCES, widget=forms.RadioSelect, required=False
    )
    audience_structures = required_when(
        forms.ModelMultipleChoiceField(
            label="Écoles ou structures destinataires",
            required=False,
            queryset=Structure.objects.none(),
            widget=forms.SelectMultiple(attrs={"size": 8}),
            help_text="Ctrl (ou Cmd) + clic pour en choisir plusieurs.",
        ),
        "pour « Certaines écoles ou structures »",
    )
    school = forms.ModelChoiceField(
        label="École",
        queryset=Structure.objects.none(),
        empty_label=None,
        help_text="L’événement est adressé aux membres de cette école.",
    )

    def __init__(self, *args, mode: str, schools=None, event=None, **kwargs):
        if event is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(event)
        super().__init__(*args, **kwargs)
        self.mode = mode
        if mode == "district":
            del self.fields["school"]
            self.fields["audience"].required = True
            self.fields["audience"].initial = self.initial.get("audience", AudienceKind.DISTRICT)
            self.fields["audience_structures"].queryset = Structure.objects.order_by("kind", "name")
        else:
            del self.fields["audience"]
            del self.fields["audience_structures"]
            self.fields["school"].queryset = Structure.objects.filter(pk__in=[s.pk for s in schools]).order_by("name")
            if len(schools) == 1:
                self.fields["school"].initial = schools[0].pk
                self.fields["school"].widget = forms.HiddenInput()

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and not end and "end_date" not in self.errors:
            end = cleaned["end_date"] = start
        if start and end:
            if end < start:
                self.add_error("end_date", "La date de fin ne peut pas précéder la date de début.")
            elif (end - start).days >= MAX_DAYS:
                self.add_error("end_date", "Un événement ne peut pas durer plus d’un an : découpez-le en plusieurs.")
        if not cleaned.get("all_day"):
            self._clean_times(cleaned, start, end)
        if (
            self.mode == "district"
            and cleaned.get("audience") == AudienceKind.STRUCTURES
            and not cleaned.get("audience_structures")
        ):
            self.add_error("audience_structures", "Choisissez au moins une école ou structure destinataire.")
        return cleaned

    def _clean_times(self, cleaned, start, end):
        start_time, end_time = cleaned.get("start_time"), cleaned.get("end_time")
        if start_time is None and "start_time" not in self.errors:
            self.add_error("start_time", "Indiquez l’heure de début, ou cochez « Toute la journée ».")
        if end_time is None and "end_time" not in self.errors:
            self.add_error("end_time", "Indiquez l’heure de fin, ou cochez « Toute la journée ».")
        if not (start and end and start_time is not None and end_time is not None) or self.errors.get("end_date"):
            return
        try:
            cleaned["starts_at"] = local_datetime(start, start_time)
        except NonExistentTime as exc:
            self.add_error("start_time", str(exc))
        try:
            cleaned["ends_at"] = local_datetime(end, end_time)
        except NonExistentTime as exc:
            self.add_error("end_time", str(exc))
        if cleaned.get("starts_at") and cleaned.get("ends_at") and cleaned["ends_at"] <= cleaned["starts_at"]:
            self.add_error("end_time", "L’heure de fin doit suivre l’heure de début.")

    def event_data(self) -> EventData:
        cleaned = self.cleaned_data
        all_day = bool(cleaned.get("all_day"))
        district = self.mode == "district"
        return EventData(
            title=cleaned["title"],
            category=cleaned["category"],
            all_day=all_day,
            start_date=cleaned["start_date"],
            end_date=cleaned["end_date"],
            starts_at=None if all_day else cleaned["starts_at"],
            ends_at=None if all_day else cleaned["ends_at"],
            description=cleaned.get("description", "").strip(),
            place=cleaned.get("place", "").strip(),
            video_url=cleaned.get("video_url", ""),
            related_url=cleaned.get("related_url", "").strip(),
            audience=cleaned["audience"] if district else AudienceKind.STRUCTURES,
            audience_structures=tuple(cleaned.get("audience_structures") or ()) if district else (),
            school=None if district else cleaned["school"],
        )


def initial_for(event) -> dict:
    """The form's initial values for an existing event (times in Paris)."""
    initial = {
        "title": event.title,
        "category": event.category,
        "description": event.description,
        "all_day": event.all_day,
        "start_date": event.start_date,
        "end_date": event.end_date if event.end_date != event.start_date else None,
        "place": event.place,
        "video_url": event.video_url,
        "related_url": event.related_url,
        "audience": event.audience,
        "audience_structures": [s.pk for s in event.audience_structures.all()],
        "school": event.school_id,
    }
    if not event.all_day:
        starts, ends = timezone.localtime(event.starts_at, PARIS), timezone.localtime(event.ends_at, PARIS)
        initial.update(
            start_date=starts.date(),
            end_date=ends.date() if ends.date() != starts.date() else None,
            start_time=starts.time().replace(second=0, microsecond=0),
            end_time=ends.time().replace(second=0, microsecond=0),
        )
    return initial


class CalendarChoicesForm(DsfrForm):
    """What the person's calendar feed holds besides the events addressed to them."""

    include_holidays = forms.BooleanField(
        label="Ajouter les vacances scolaires à mon agenda",
        required=False,
        help_text="Les vacances de la zone de la circonscription, en journées entières, d’après le calendrier officiel.",
    )
