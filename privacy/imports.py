"""The families' answers of one request, imported from CSV: preview every line, then confirm.

The same pattern as the accounts import (``accounts.imports``: its file reading, ``Line`` and
``Preview``): the file is read and checked line by line, nothing is written until the person
confirms what the preview showed; the decoded text waits in the session with its SHA-256.
Columns: Prénom; Initiale; Classe; Responsable (1 or 2); Décision (accordée / refusée);
Date de signature (JJ/MM/AAAA or AAAA-MM-JJ). A pupil is found in the request's school and year by
first name (no case, no accents), initial and class. Two queries, whatever the number of lines.
"""

import datetime as dt
from dataclasses import dataclass

from django import forms

from accounts.imports.fields import form_errors
from accounts.imports.files import Column, normalise_key, read_table
from accounts.imports.preview import CREATE, ERROR, UNCHANGED, UPDATE, Line, Preview

__all__ = ["CREATE", "UPDATE", "preview_decisions", "template_csv"]
from ent.csv_export import csv_text
from ent.text import french_sort_key

from .models import ConsentRequest, GuardianDecision, Pupil

COLUMNS = (
    Column("first_name", "Prénom", frozenset({"prenom", "prenom de l eleve", "eleve"})),
    Column("last_initial", "Initiale", frozenset({"initiale", "initiale du nom", "nom"})),
    Column("class_name", "Classe", frozenset({"classe"})),
    Column("guardian", "Responsable", frozenset({"responsable", "responsable legal", "parent"})),
    Column("decision", "Décision", frozenset({"decision", "reponse", "autorisation"})),
    Column(
        "signed_on", "Date de signature", frozenset({"date", "date de signature", "signe le", "date du formulaire"})
    ),
)
TEMPLATE = [
    ["Prénom", "Initiale", "Classe", "Responsable", "Décision", "Date de signature"],
    ["Élodie", "M", "CM1", "1", "accordée", "15/09/2026"],
]
DECISIONS = {
    "accordee": GuardianDecision.Decision.GRANTED,
    "oui": GuardianDecision.Decision.GRANTED,
    "refusee": GuardianDecision.Decision.REFUSED,
    "non": GuardianDecision.Decision.REFUSED,
}


def template_csv() -> str:
    return csv_text(TEMPLATE[0], TEMPLATE[1:])


class _DateCell(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
            try:
                day = dt.datetime.strptime(value, pattern).date()
            except ValueError:
                continue
            if day.year < 2000 or day > dt.date.today():
                raise forms.ValidationError("Date de signature impossible (dans le futur, ou avant 2000).")
            return day
        raise forms.ValidationError(f"Date de signature illisible : « {value} » (attendu JJ/MM/AAAA).")


class DecisionRowForm(forms.Form):
    first_name = forms.CharField(max_length=80, error_messages={"required": "Prénom manquant."})
    last_initial = forms.CharField(max_length=2, error_messages={"required": "Initiale manquante."})
    class_name = forms.CharField(max_length=40, error_messages={"required": "Classe manquante."})
    guardian = forms.TypedChoiceField(
        choices=[("1", "1"), ("2", "2")],
        coerce=int,
        error_messages={"required": "Responsable manquant (1 ou 2).", "invalid_choice": "Responsable : 1 ou 2."},
    )
    decision = forms.CharField(error_messages={"required": "Décision manquante (accordée ou refusée)."})
    signed_on = _DateCell(error_messages={"required": "Date de signature manquante."})

    def clean_decision(self):
        value = DECISIONS.get(normalise_key(self.cleaned_data["decision"]))
        if value is None:
            raise forms.ValidationError("Décision : « accordée » ou « refusée ».")
        return value


@dataclass(frozen=True)
class DecisionRow:
    pupil: Pupil
    guardian: int
    decision: str
    signed_on: dt.date


def preview_decisions(text: str, *, request: ConsentRequest) -> Preview:
    table = read_table(text, COLUMNS)
    preview = Preview(
        kind="decisions",
        file_errors=table.errors,
        ignored_columns=table.ignored,
        display_columns=[c.label for c in COLUMNS],
    )
    if table.errors:
        return preview
    pupils = {}
    for pupil in Pupil.objects.filter(school=request.school, school_year=request.school_year):
        pupils.setdefault(
            (french_sort_key(pupil.first_name), pupil.last_initial, french_sort_key(pupil.class_name)), pupil
        )
    existing = {(d.pupil_id, d.guardian): d for d in GuardianDecision.objects.filter(request=request)}
    seen = set()
    for number, values in table.records:
        form = DecisionRowForm(data=values)
        form.is_valid()
        line = Line(
            number=number,
            cells=[values.get(c.field, "") for c in COLUMNS],
            values=values,
            cleaned=form.cleaned_data,
            errors=form_errors(form),
        )
        data = form.cleaned_data
        pupil = None
        if {"first_name", "last_initial", "class_name"} <= set(data):
            key = (
                french_sort_key(data["first_name"]),
                data["last_initial"].strip().rstrip(".")[:1].upper(),
                french_sort_key(data["class_name"]),
            )
            pupil = pupils.get(key)
            if pupil is None:
                line.errors.append("Élève absent du registre de l’école (prénom, initiale et classe).")
        if pupil is not None and "guardian" in data:
            if data["guardian"] > pupil.guardians:
                line.errors.append(f"{pupil.short_name} n’a qu’un responsable légal.")
            if (pupil.pk, data["guardian"]) in seen:
                line.errors.append("Ce responsable de cet élève figure déjà plus haut dans le fichier.")
            seen.add((pupil.pk, data["guardian"]))
        if line.errors:
            line.action = ERROR
        else:
            line.row = DecisionRow(pupil, data["guardian"], data["decision"], data["signed_on"])
            stored = existing.get((pupil.pk, data["guardian"]))
            if stored is None:
                line.action = CREATE
            elif (stored.decision, stored.signed_on, stored.withdrawn_at) == (
                data["decision"],
                data["signed_on"],
                None,
            ):
                line.action = UNCHANGED
            else:
                line.action = UPDATE
                line.changes = [f"{stored.status_label} → {dict(GuardianDecision.Decision.choices)[data['decision']]}"]
        preview.lines.append(line)
    return preview
