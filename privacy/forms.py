"""The registry's forms (DSFR), and the declaration of who a photo or a recording shows."""

from django import forms
from django.contrib.contenttypes.models import ContentType
from dsfr.utils import dsfr_input_class_attr

from ent.forms import BoundedDateField, DsfrForm

from .models import Channel, ConsentRequest, GuardianDecision, Medium, Pupil
from .projects import projects_of


class PupilForm(DsfrForm):
    first_name = forms.CharField(label="Prénom", max_length=80)
    last_initial = forms.CharField(label="Initiale du nom", max_length=2, help_text="Une lettre : « M » pour Martin.")
    class_name = forms.CharField(label="Classe", max_length=40, help_text="Par exemple « CM1 » ou « CE2-CM1 B ».")
    guardians = forms.TypedChoiceField(
        label="Responsables légaux",
        choices=[(2, "Deux responsables légaux"), (1, "Un seul responsable légal")],
        coerce=int,
        initial=2,
        widget=forms.RadioSelect,
    )


class RequestForm(DsfrForm):
    title = forms.CharField(label="Titre du projet", max_length=200, help_text="Tel que les familles le liront.")
    project = forms.ChoiceField(label="Ce que couvre la demande", choices=ConsentRequest.Project.choices)
    project_ref = forms.ChoiceField(
        label="Cahier, blog ou actualité",
        required=False,
        help_text="Sauf pour « la vie de l’école », qui couvre toute l’année scolaire.",
    )
    media = forms.MultipleChoiceField(label="Médias", choices=Medium.choices, widget=forms.CheckboxSelectMultiple)
    channels = forms.MultipleChoiceField(
        label="Canaux de diffusion", choices=Channel.choices, widget=forms.CheckboxSelectMultiple
    )
    form_version = forms.CharField(
        label="Version du texte du formulaire", max_length=40, help_text="Par exemple « 2026-1 »."
    )
    valid_until = BoundedDateField(label="Valable jusqu’au", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project_ref"].required_when = "pour un cahier, un blog ou une actualité"
        self._objects = {}
        choices = [("", "—")]
        labels = dict(ConsentRequest.Project.choices)
        for kind, objects in projects_of(school).items():
            group = []
            for obj in objects:
                value = f"{ContentType.objects.get_for_model(obj).pk}:{obj.pk}"
                self._objects[value] = (kind, obj)
                group.append((value, str(obj)))
            if group:
                choices.append((labels.get(kind, kind), group))
        self.fields["project_ref"].choices = choices

    def clean(self):
        data = super().clean()
        project, ref = data.get("project"), data.get("project_ref")
        data["project_object"] = None
        if project and project != ConsentRequest.Project.SCHOOL_LIFE:
            kind, obj = self._objects.get(ref, (None, None))
            if obj is None or kind != project:
                self.add_error("project_ref", "Choisissez le cahier, le blog ou l’actualité que couvre la demande.")
            data["project_object"] = obj
        return data


DECISION_CHOICES = [("", "Pas de réponse"), *GuardianDecision.Decision.choices]


class DecisionRowForm(DsfrForm):
    """One pupil's row of the grid: each guardian's answer and the date of the signed form."""

    decision_1 = forms.ChoiceField(label="Responsable 1", choices=DECISION_CHOICES, required=False)
    signed_on_1 = BoundedDateField(
        label="Signé le (responsable 1)", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    decision_2 = forms.ChoiceField(label="Responsable 2", choices=DECISION_CHOICES, required=False)
    signed_on_2 = BoundedDateField(
        label="Signé le (responsable 2)", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, pupil: Pupil, **kwargs):
        kwargs.setdefault("prefix", f"p{pupil.pk}")
        super().__init__(*args, **kwargs)
        self.pupil = pupil
        for n in (1, 2):
            self.fields[f"signed_on_{n}"].required_when = "avec une réponse"
            self.fields[f"decision_{n}"].label = f"Réponse du responsable {n} pour {pupil.short_name}"
            self.fields[f"signed_on_{n}"].label = f"Formulaire signé le (responsable {n}, {pupil.short_name})"
        if pupil.guardians == 1:
            del self.fields["decision_2"], self.fields["signed_on_2"]
        # Bound fields were made (with their labels) by the DSFR mixin: make them again with the pupil's name.
        self._bound_fields_cache.clear()
        for visible in self.visible_fields():
            dsfr_input_class_attr(visible)

    def clean(self):
        data = super().clean()
        for n in (1, 2):
            if data.get(f"decision_{n}") and not data.get(f"signed_on_{n}"):
                self.add_error(f"signed_on_{n}", "Indiquez la date du formulaire signé.")
        return data


class DeclarationForm(DsfrForm):
    """Who a photo or a recording shows: « aucun élève reconnaissable », or pupils of one's registries."""

    no_identifiable_pupil = forms.BooleanField(label="Aucun élève reconnaissable", required=False)
    pupils = forms.ModelMultipleChoiceField(
        label="Élèves visibles ou entendus",
        queryset=Pupil.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, pupils_queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pupils"].queryset = pupils_queryset
        self.fields["pupils"].required_when = "sauf si aucun élève n’est reconnaissable"

    def clean(self):
        data = super().clean()
        if data.get("no_identifiable_pupil") and data.get("pupils"):
            self.add_error("pupils", "Choisissez : aucun élève reconnaissable, ou les élèves visibles — pas les deux.")
        elif not data.get("no_identifiable_pupil") and not data.get("pupils"):
            self.add_error(
                "pupils", "Indiquez les élèves visibles ou entendus, ou cochez « aucun élève reconnaissable »."
            )
        return data


class PupilSearchForm(DsfrForm):
    mark_optional = False
    q = forms.CharField(label="Rechercher un élève", required=False, max_length=80)
    classe = forms.CharField(label="Classe", required=False, max_length=40)


BLUR_SLOTS = 5


class BlurForm(DsfrForm):
    """Up to five rectangles to blur, in percent of the picture (drawn with the mouse or typed)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, BLUR_SLOTS + 1):
            for part, label in (("x", "gauche"), ("y", "haut"), ("w", "largeur"), ("h", "hauteur")):
                field = forms.DecimalField(
                    label=f"Zone {n} : {label} (%)",
                    required=False,
                    min_value=0,
                    max_value=100,
                    decimal_places=1,
                    widget=forms.NumberInput(attrs={"step": "0.1", "data-ent-blur": f"{n}-{part}"}),
                )
                field.required_when = f"pour la zone {n}"
                self.fields[f"zone{n}_{part}"] = field

    def zones(self):
        return [[self[f"zone{n}_{p}"] for p in "xywh"] for n in range(1, BLUR_SLOTS + 1)]

    def clean(self):
        data = super().clean()
        regions = []
        for n in range(1, BLUR_SLOTS + 1):
            values = [data.get(f"zone{n}_{p}") for p in "xywh"]
            if all(v is None for v in values):
                continue
            if any(v is None for v in values):
                self.add_error(f"zone{n}_x", f"Zone {n} : indiquez ses quatre valeurs.")
                continue
            x, y, w, h = (float(v) / 100 for v in values)
            if w <= 0 or h <= 0 or x + w > 1.0001 or y + h > 1.0001:
                self.add_error(f"zone{n}_x", f"Zone {n} : elle doit tenir dans l’image (gauche + largeur ≤ 100 %).")
                continue
            regions.append((x, y, min(w, 1 - x), min(h, 1 - y)))
        if not regions and not self.errors:
            self.add_error(None, "Tracez ou saisissez au moins une zone à flouter.")
        data["regions"] = regions
        return data
