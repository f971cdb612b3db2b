"""Importing people: the columns, the row form and the passes of :func:`preview_people`.

1. :func:`check_people_rows` — one :class:`PersonRowForm` per line: each cell on its own;
2. :func:`resolve_people` — the structure each line names, the person already stored under its
   e-mail and their same membership if it is running (three queries whatever the number of lines);
3. :func:`dedupe_people` — an e-mail given earlier for another person, or the same line twice;
4. :func:`plan_people` — create, update (with each change described) or leave unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from ..models import Membership, Role, Structure, User, normalise_email
from ..validators import normalise_uai, validate_uai
from .fields import CellField, EmailCellField
from .files import EMAIL_ALIASES, Column, normalise_key, read_table
from .preview import CREATE, ERROR, UNCHANGED, UPDATE, Line, Preview, check_rows

PEOPLE_COLUMNS = (
    Column("email", "Courriel", EMAIL_ALIASES),
    Column("first_name", "Prénom", frozenset({"prenom"})),
    Column("last_name", "Nom", frozenset({"nom", "nom de famille", "nom d usage"})),
    Column(
        "structure",
        "UAI ou code de structure",
        frozenset(
            {"uai", "code uai", "rne", "structure", "code structure", "code de structure", "ecole", "code ecole"}
            | {"uai ou code de structure", "uai ou code structure", "uai ou code"}
        ),
    ),
    Column("role", "Rôle", frozenset({"role", "fonction"})),
    Column("speciality", "Spécialité", frozenset({"specialite", "domaine"}), required=False),
)
DISPLAYED = ("email", "first_name", "last_name", "structure", "role")

# The model file offered for download: a header row the import reads, and one example line.
PEOPLE_TEMPLATE = (
    [column.label for column in PEOPLE_COLUMNS],
    ["marie.martin@ac-poitiers.fr", "Marie", "Martin", "0860789R", "enseignante", ""],
)


@dataclass(frozen=True)
class PersonRow:
    """One person's membership, checked: the e-mail (lower case) is the natural key."""

    email: str
    first_name: str
    last_name: str
    structure_id: int
    role: str
    speciality: str = ""


ROLE_ALIASES = {
    Role.DIRECTOR: {"directeur", "directrice", "directeur d ecole", "directrice d ecole", "direction"},
    Role.TEACHER: {"enseignant", "enseignante", "professeur des ecoles", "professeure des ecoles", "pe"},
    Role.IEN: {"ien", "inspecteur", "inspectrice", "inspecteur de l education nationale"}
    | {"inspectrice de l education nationale"},
    Role.CPC: {"cpc", "conseiller pedagogique", "conseillere pedagogique", "conseiller pedagogique de circonscription"}
    | {"conseillere pedagogique de circonscription"},
    Role.SECRETARY: {"secretaire", "secretaire de circonscription"},
    Role.RASED: {"rased", "membre du rased", "psychologue scolaire", "psyen", "maitre e", "maitresse e"}
    | {"maitre g", "maitresse g"},
}
_ROLE_BY_KEY = {
    **{normalise_key(role.label): role for role in Role},
    **{role.value: role for role in Role},
    **{alias: role for role, aliases in ROLE_ALIASES.items() for alias in aliases},
}


def parse_role(value: str) -> str | None:
    return _ROLE_BY_KEY.get(normalise_key(value))


# Where each role is held: a director or a teacher in a school, the IEN, counsellors and the
# secretary in the district team, RASED members in a RASED.
ROLE_STRUCTURE_KIND = {
    Role.DIRECTOR: Structure.Kind.SCHOOL,
    Role.TEACHER: Structure.Kind.SCHOOL,
    Role.IEN: Structure.Kind.DISTRICT_TEAM,
    Role.CPC: Structure.Kind.DISTRICT_TEAM,
    Role.SECRETARY: Structure.Kind.DISTRICT_TEAM,
    Role.RASED: Structure.Kind.RASED,
}
_KIND_PHRASE = {
    Structure.Kind.SCHOOL: "une école",
    Structure.Kind.DISTRICT_TEAM: "l’équipe de circonscription",
    Structure.Kind.RASED: "un RASED",
}
# The kinds of structure a line may leave empty, when the district has only one of them.
_SOLE_KINDS = (Structure.Kind.DISTRICT_TEAM, Structure.Kind.RASED)


class RoleCellField(CellField):
    def clean(self, value):
        value = super().clean(value)
        role = parse_role(value)
        if role is None:
            raise ValidationError(
                f"Rôle « {value} » inconnu : indiquez directeur, directrice, enseignant, enseignante, "
                "IEN, CPC (ou conseiller pédagogique), secrétaire ou RASED."
            )
        return role


class StructureCellField(CellField):
    """A school's UAI (it starts with a digit, its check letter is verified) or a structure's code.

    Cleaned to the key the structure is looked up by, ``("uai", "0860001J")`` or ``("code", "rased")``,
    or None when the cell is empty.
    """

    def clean(self, value):
        value = super().clean(value)
        if value[:1].isdigit():
            uai = normalise_uai(value)
            validate_uai(uai)
            return ("uai", uai)
        return ("code", value.lower()) if value else None


def _field(model, name: str):
    return model._meta.get_field(name)


class PersonRowForm(forms.Form):
    """One line of a people file, each cell checked on its own (the database is not read)."""

    email = EmailCellField("Adresse e-mail", missing="Adresse e-mail manquante.", model_field=_field(User, "email"))
    first_name = CellField("Prénom", missing="Prénom manquant.", model_field=_field(User, "first_name"))
    last_name = CellField("Nom", missing="Nom manquant.", model_field=_field(User, "last_name"))
    role = RoleCellField("Rôle", missing="Rôle manquant.")
    speciality = CellField("Spécialité", model_field=_field(Membership, "speciality"))
    structure = StructureCellField("UAI ou code de structure")


# --- The passes --------------------------------------------------------------------------------


def check_people_rows(records: list) -> list[Line]:
    """Pass 1: each record ``(line number, {column: cell})`` through a :class:`PersonRowForm`."""
    return check_rows(records, PersonRowForm, DISPLAYED)


def _structures(lines: list[Line]) -> tuple[dict, dict]:
    """The structures the lines name, by key, and the sole district team and RASED (if sole). One query."""
    keys = {line.cleaned["structure"] for line in lines if line.cleaned.get("structure")}
    uais = {value for kind, value in keys if kind == "uai"}
    codes = {value for kind, value in keys if kind == "code"}
    structures = list(Structure.objects.filter(Q(uai__in=uais) | Q(code__in=codes) | Q(kind__in=_SOLE_KINDS)))
    by_key = {("uai", s.uai): s for s in structures if s.uai} | {("code", s.code): s for s in structures}
    sole = {}
    for kind in _SOLE_KINDS:
        of_kind = [s for s in structures if s.kind == kind]
        sole[kind] = of_kind[0] if len(of_kind) == 1 else None
    return by_key, sole


def _resolve_structure(line: Line, by_key: dict, sole: dict) -> Structure | None:
    key, role = line.cleaned.get("structure"), line.cleaned.get("role")
    structure = None
    if key is not None:
        structure = by_key.get(key)
        if structure is None:
            kind, value = key
            line.errors.append(
                f"Aucune école n’a le code UAI « {value} » : importez d’abord les écoles."
                if kind == "uai"
                else f"Aucune structure n’a le code « {value} » : indiquez l’UAI de l’école ou le code de la structure."
            )
    elif not line.values.get("structure") and role is not None:
        structure = sole.get(ROLE_STRUCTURE_KIND[role])
        if structure is None:
            line.errors.append("Indiquez l’UAI de l’école ou le code de la structure.")
    if structure is not None and role is not None and structure.kind != ROLE_STRUCTURE_KIND[role]:
        line.errors.append(
            f"Le rôle « {Role(role).label} » s’exerce dans {_KIND_PHRASE[ROLE_STRUCTURE_KIND[role]]}, "
            f"pas dans « {structure.name} »."
        )
    return structure


def resolve_people(lines: list[Line]) -> None:
    """Pass 2: each line's ``structure`` (or the error saying why there is none, or why the role does
    not fit it), the person stored under its e-mail (``existing``) and, if that person already holds
    the same role in the same structure, the running ``membership``. Three queries."""
    by_key, sole = _structures(lines)
    for line in lines:
        line.structure = _resolve_structure(line, by_key, sole)
    emails = {line.cleaned["email"] for line in lines if line.cleaned.get("email")}
    users = {user.email: user for user in User.objects.filter(email__in=emails)}
    running = {
        (m.user_id, m.structure_id, m.role): m
        for m in Membership.objects.running()
        .filter(user__in=list(users.values()))
        .only("user_id", "structure_id", "role", "speciality")
    }
    for line in lines:
        line.existing = users.get(line.cleaned.get("email"))
        if line.existing is not None and line.structure is not None:
            line.membership = running.get((line.existing.pk, line.structure.pk, line.cleaned.get("role")))


def dedupe_people(lines: list[Line]) -> None:
    """Pass 3: an e-mail names one person. The same e-mail on a later line is an error if the names
    differ, or if it repeats an earlier valid line's structure and role; with the same names and
    another structure or role, it is another membership of the same person (a teacher in two schools).
    """
    seen: dict[str, tuple] = {}  # e-mail -> (first line, first name, last name, {(structure, role)})
    for line in lines:
        email = normalise_email(line.values.get("email", ""))
        if not email:
            continue
        names = (line.values.get("first_name", ""), line.values.get("last_name", ""))
        pair = (line.structure.pk, line.cleaned.get("role")) if line.structure is not None else None
        if email in seen:
            first_number, first_name, last_name, pairs = seen[email]
            if names != (first_name, last_name):
                line.errors.append(
                    f"Adresse e-mail déjà présente ligne {first_number} pour {first_name} {last_name} : "
                    "une adresse ne désigne qu’une personne."
                )
            elif pair in pairs:
                line.errors.append(
                    f"Ligne en double : même personne, même structure et même rôle que ligne {first_number}."
                )
        entry = seen.setdefault(email, (line.number, *names, set()))
        if not line.errors:
            entry[3].add(pair)


def person_name_changes(user: User, row: PersonRow) -> dict:
    return {
        name: getattr(row, name) for name in ("first_name", "last_name") if getattr(user, name) != getattr(row, name)
    }


def _membership_label(row: PersonRow, structure: Structure) -> str:
    label = f"{Role(row.role).label} — {structure.name}"
    return f"{label} ({row.speciality})" if row.speciality else label


def plan_people(lines: list[Line]) -> None:
    """Pass 4: each line's action and its changes in words, and the checked row of each valid line.

    The first valid line of a new e-mail creates the person; later ones add memberships to them.
    """
    in_file: set[str] = set()
    for line in lines:
        if line.errors:
            line.action, line.row = ERROR, None
            continue
        cleaned = line.cleaned
        row = line.row = PersonRow(
            email=cleaned["email"],
            first_name=cleaned["first_name"],
            last_name=cleaned["last_name"],
            structure_id=line.structure.pk,
            role=cleaned["role"],
            speciality=cleaned["speciality"],
        )
        membership = _membership_label(row, line.structure)
        user = line.existing
        if user is None and row.email in in_file:
            line.action, line.changes = UPDATE, [f"Rattachement supplémentaire : {membership}"]
        elif user is None:
            line.action = CREATE
            line.changes = ["Nouvelle personne (compte non activé)", f"Rattachement : {membership}"]
        else:
            changes = []
            if row.email not in in_file:
                changes += [
                    f"{'Prénom' if name == 'first_name' else 'Nom'} : « {getattr(user, name)} » → « {value} »"
                    for name, value in person_name_changes(user, row).items()
                ]
            current = line.membership
            if current is None:
                changes.append(f"Nouveau rattachement : {membership}")
            elif row.speciality and current.speciality != row.speciality:
                changes.append(f"Spécialité : « {current.speciality} » → « {row.speciality} »")
            line.action = UPDATE if changes else UNCHANGED
            line.changes = changes
        in_file.add(row.email)


def preview_people(text: str) -> Preview:
    """What importing these people would do, line by line. Three queries at most.

    Natural keys: the lower-cased e-mail for a person; (person, structure, role) for a membership,
    created only if the same one is not already running. The same e-mail on two lines is an error,
    except to give the same person (same first and last names) another structure or role, as for a
    teacher who works in two schools. An empty structure is allowed for a district-team or RASED role
    when there is only one such structure.
    """
    table = read_table(text, PEOPLE_COLUMNS)
    preview = Preview(kind="people", ignored_columns=table.ignored, file_errors=list(table.errors))
    preview.display_columns = [column.label for column in PEOPLE_COLUMNS[: len(DISPLAYED)]]
    if preview.file_errors:
        return preview
    lines = check_people_rows(table.records)
    resolve_people(lines)
    dedupe_people(lines)
    plan_people(lines)
    preview.lines = lines
    return preview
