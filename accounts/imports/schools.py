"""Importing schools: the columns, the row form and the passes of :func:`preview_schools`.

1. :func:`check_school_rows` — one :class:`SchoolRowForm` per line: each cell on its own;
2. :func:`dedupe_schools` — a UAI already given on an earlier line of the file;
3. :func:`resolve_schools` — the schools already stored under these UAIs, the codes already taken
   (two queries whatever the number of lines);
4. :func:`plan_schools` — create, update (with each change described) or leave unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError

from ..models import District, Structure
from .fields import CellField, EmailCellField, UaiCellField
from .files import EMAIL_ALIASES, Column, normalise_key, read_table
from .preview import CREATE, ERROR, UNCHANGED, UPDATE, Line, Preview, check_rows

SCHOOL_COLUMNS = (
    Column("uai", "UAI", frozenset({"uai", "code uai", "rne", "code rne", "uai rne", "numero uai", "n uai", "no uai"})),
    Column("name", "Nom", frozenset({"nom", "nom de l ecole", "nom ecole", "ecole", "denomination", "appellation"})),
    Column("school_type", "Type", frozenset({"type", "type d ecole", "type ecole", "nature"})),
    Column("commune", "Commune", frozenset({"commune", "ville", "localite"})),
    Column("address", "Adresse", frozenset({"adresse", "adresse postale"}), required=False),
    Column("postal_code", "Code postal", frozenset({"code postal", "cp"}), required=False),
    Column("phone", "Téléphone", frozenset({"telephone", "tel", "numero de telephone"}), required=False),
    Column("email", "Courriel", EMAIL_ALIASES | {"adresse fonctionnelle"}, required=False),
)
DISPLAYED = ("uai", "name", "school_type", "commune")

# The model file offered for download: a header row the import reads, and one example line.
SCHOOL_TEMPLATE = (
    [column.label for column in SCHOOL_COLUMNS],
    [
        "0860789R",
        "École élémentaire Jules Ferry",
        "élémentaire",
        "Lencloître",
        "2 rue de l’École",
        "86140",
        "05 49 00 00 00",
        "",
    ],
)


@dataclass(frozen=True)
class SchoolRow:
    """One school, checked and cleaned; optional fields left empty are not changed on update."""

    uai: str
    name: str
    school_type: str
    commune: str
    address: str = ""
    postal_code: str = ""
    phone: str = ""
    email: str = ""


_SCHOOL_TYPES = {
    Structure.SchoolType.MATERNELLE: {"maternelle", "em", "empu"},
    Structure.SchoolType.ELEMENTAIRE: {"elementaire", "ee", "eepu"},
    Structure.SchoolType.PRIMAIRE: {"primaire", "ep", "eppu"},
}
SCHOOL_TYPE_ALIASES = {alias: value for value, aliases in _SCHOOL_TYPES.items() for alias in aliases}


def parse_school_type(value: str) -> str | None:
    key = normalise_key(value)
    key = re.sub(r"^ecole ", "", key)
    key = re.sub(r" (publique|privee)$", "", key)
    return SCHOOL_TYPE_ALIASES.get(key)


def _field(name: str):
    return Structure._meta.get_field(name)


class SchoolTypeCellField(CellField):
    def clean(self, value):
        value = super().clean(value)
        school_type = parse_school_type(value)
        if school_type is None:
            raise ValidationError(f"Type d’école « {value} » inconnu : indiquez maternelle, élémentaire ou primaire.")
        return school_type


class PostalCodeCellField(CellField):
    def clean(self, value):
        value = super().clean(value)
        postal_code = value.replace(" ", "")
        if postal_code and not re.fullmatch(r"\d{5}", postal_code):
            raise ValidationError(f"Code postal « {value} » invalide : il faut 5 chiffres.")
        return postal_code


class SchoolRowForm(forms.Form):
    """One line of a schools file, each cell checked on its own (the database is not read)."""

    uai = UaiCellField("UAI", missing="Code UAI manquant.")
    name = CellField("Nom", missing="Nom de l’école manquant.", model_field=_field("name"))
    school_type = SchoolTypeCellField("Type", missing="Type d’école manquant : maternelle, élémentaire ou primaire.")
    commune = CellField("Commune", missing="Commune manquante.", model_field=_field("commune"))
    address = CellField("Adresse", model_field=_field("address"))
    postal_code = PostalCodeCellField("Code postal")
    phone = CellField("Téléphone", model_field=_field("phone"))
    email = EmailCellField("Courriel", model_field=_field("email"))


# --- The passes --------------------------------------------------------------------------------


def check_school_rows(records: list) -> list[Line]:
    """Pass 1: each record ``(line number, {column: cell})`` through a :class:`SchoolRowForm`."""
    return check_rows(records, SchoolRowForm, DISPLAYED)


def dedupe_schools(lines: list[Line]) -> None:
    """Pass 2: a UAI given on an earlier line (with a valid UAI, whatever its other cells) is an error."""
    first_line_of: dict[str, int] = {}
    for line in lines:
        uai = line.cleaned.get("uai")
        if not uai:
            continue
        if uai in first_line_of:
            # First, as the UAI is the first column (and a valid one, so it has no other error).
            line.errors.insert(0, f"Code UAI « {uai} » déjà présent ligne {first_line_of[uai]}.")
        else:
            first_line_of[uai] = line.number


def resolve_schools(lines: list[Line]) -> None:
    """Pass 3: the stored school of each valid line (``existing``), and the errors the database
    reveals — a code taken by another structure, a UAI that is not a school's. Two queries."""
    valid = [line for line in lines if not line.errors]
    uais = [line.cleaned["uai"] for line in valid]
    existing = {s.uai: s for s in Structure.objects.filter(uai__in=uais)}
    codes = [uai.lower() for uai in uais if uai not in existing]
    codes_taken = dict(Structure.objects.filter(code__in=codes).values_list("code", "name"))
    for line in valid:
        uai = line.cleaned["uai"]
        school = existing.get(uai)
        if school is None and uai.lower() in codes_taken:
            line.errors.append(
                f"Le code « {uai.lower()} » est déjà celui de la structure « {codes_taken[uai.lower()]} »."
            )
        elif school is not None and school.kind != Structure.Kind.SCHOOL:
            line.errors.append(f"Le code UAI « {uai} » est celui de « {school.name} », qui n’est pas une école.")
        line.existing = school


_SCHOOL_FIELD_LABELS = {
    "name": "Nom",
    "school_type": "Type",
    "commune": "Commune",
    "address": "Adresse",
    "postal_code": "Code postal",
    "phone": "Téléphone",
    "email": "Courriel",
}
_SCHOOL_OPTIONAL = ("address", "postal_code", "phone", "email")


def school_changes(school: Structure, row: SchoolRow) -> dict:
    """The fields of ``school`` that ``row`` changes; an empty optional cell changes nothing."""
    changes = {}
    for name in _SCHOOL_FIELD_LABELS:
        value = getattr(row, name)
        if name in _SCHOOL_OPTIONAL and not value:
            continue
        if getattr(school, name) != value:
            changes[name] = value
    return changes


def _describe_school_changes(school: Structure, changes: dict) -> list:
    described = []
    for name, value in changes.items():
        if name == "school_type":
            old, new = school.get_school_type_display(), Structure.SchoolType(value).label
        else:
            old, new = getattr(school, name), value
        described.append(f"{_SCHOOL_FIELD_LABELS[name]} : « {old} » → « {new} »")
    return described


def plan_schools(lines: list[Line], *, academie: str) -> None:
    """Pass 4: each line's action and its changes in words, and the checked row of each valid line."""
    for line in lines:
        if line.errors:
            line.action, line.row = ERROR, None
            continue
        row = line.row = SchoolRow(**{name: line.cleaned[name] for name in SchoolRowForm.base_fields})
        school = line.existing
        if school is None:
            line.action = CREATE
            email = row.email or Structure.default_school_email(row.uai, academie)
            line.changes = [f"Nouvelle école ; adresse fonctionnelle : {email}"]
        else:
            changes = school_changes(school, row)
            line.action = UPDATE if changes else UNCHANGED
            line.changes = _describe_school_changes(school, changes)


def preview_schools(text: str) -> Preview:
    """What importing these schools would do, line by line. Natural key: the UAI. Three queries at most."""
    table = read_table(text, SCHOOL_COLUMNS)
    preview = Preview(kind="schools", ignored_columns=table.ignored, file_errors=list(table.errors))
    preview.display_columns = [column.label for column in SCHOOL_COLUMNS[: len(DISPLAYED)]]
    district = District.objects.order_by("pk").first()
    if district is None:
        preview.file_errors.append("Aucune circonscription n’est enregistrée : créez-la d’abord dans l’administration.")
    if preview.file_errors:
        return preview
    lines = check_school_rows(table.records)
    dedupe_schools(lines)
    resolve_schools(lines)
    plan_schools(lines, academie=district.academie)
    preview.lines = lines
    return preview
