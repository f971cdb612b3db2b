"""Reading the CSV files of schools and people that an administrator imports.

Nothing here writes. :func:`preview_schools` and :func:`preview_people` read the decoded text of a
file and return a :class:`Preview`: every line with its planned action (create, update, unchanged)
or with all its errors, so that the administrator sees every problem before anything is written.
The writes are ``services.schools_import`` and ``services.people_import``, given
``preview.valid_rows``; they use :func:`school_changes` and :func:`person_name_changes` too, so the
preview and the import agree on what "changed" means.

Files come from spreadsheets: UTF-8 (with or without BOM) or Windows-1252, separated by semicolons
or commas (the separator the header line uses most), with headers matched whatever their case,
accents, spaces or punctuation ("Code postal", "CODE_POSTAL" and "code-postal" are one column).
A preview costs a fixed number of queries, whatever the number of lines.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils import timezone

from ent.csv_export import csv_text

from .models import District, Membership, Role, Structure, User, normalise_email
from .validators import normalise_uai, validate_uai

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_LINES = 5000

CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"
ACTION_LABELS = {CREATE: "Création", UPDATE: "Mise à jour", UNCHANGED: "Sans changement", ERROR: "Erreur"}


class ImportFileError(ValueError):
    """The file as a whole cannot be read. Its message is in French, for the administrator."""


# --- Reading the file -----------------------------------------------------------------------


def read_upload(upload) -> str:
    """The text of an uploaded file, checked by size and by decoding (never by its name)."""
    if upload.size is not None and upload.size > MAX_FILE_BYTES:
        raise ImportFileError(_too_big(upload.size))
    data = upload.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(_too_big(len(data)))
    return decode_csv(data)


def _too_big(size: int) -> str:
    size_mb = f"{size / 1024 / 1024:.1f}".replace(".", ",")
    return (
        f"Le fichier pèse {size_mb} Mo : la limite est de {MAX_FILE_BYTES // 1024 // 1024} Mo. "
        "Découpez-le en plusieurs fichiers."
    )


def decode_csv(data: bytes) -> str:
    """Decode UTF-8 (BOM or not), UTF-16 with BOM or Windows-1252; refuse what is not text."""
    if not data.strip():
        raise ImportFileError("Le fichier est vide.")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise ImportFileError(_NOT_TEXT) from error
    if b"\x00" in data:
        raise ImportFileError(_NOT_TEXT)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            "Le fichier n’est ni en UTF-8 ni en Windows-1252 : enregistrez-le au format « CSV UTF-8 »."
        ) from error


_NOT_TEXT = (
    "Ce fichier n’est pas un fichier CSV : enregistrez votre tableau au format « CSV » "
    "(Fichier > Enregistrer sous… > CSV) et déposez ce fichier-là."
)


def normalise_key(text: str) -> str:
    """ "Code  Postal", "code_postal" and "CODE-POSTAL" all give "code postal"."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _clean(value: str) -> str:
    return re.sub(r"\s+", " ", (value or "").replace("\ufeff", "")).strip()


def _delimiter(header_line: str) -> str:
    counts = {delimiter: header_line.count(delimiter) for delimiter in (";", ",", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ";"


@dataclass(frozen=True)
class Column:
    field: str
    label: str
    aliases: frozenset
    required: bool = True


EMAIL_ALIASES = frozenset(
    {"courriel", "email", "e mail", "mel", "mail", "adresse e mail", "adresse email", "adresse mail"}
    | {"adresse electronique", "adresse de courriel"}
)

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

# The model files offered for download: a header row the import reads, and one example line.
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
PEOPLE_TEMPLATE = (
    [column.label for column in PEOPLE_COLUMNS],
    ["marie.martin@ac-poitiers.fr", "Marie", "Martin", "0860789R", "enseignante", ""],
)


def template_csv(kind: str) -> str:
    """A model file (header and one example line), semicolon-separated as French spreadsheets write."""
    header, example = SCHOOL_TEMPLATE if kind == "schools" else PEOPLE_TEMPLATE
    return csv_text(header, [example])


@dataclass
class _Table:
    columns: dict  # field -> Column, for the columns found
    index: dict  # field -> position in a record
    records: list  # (line number, {field: value})
    ignored: list  # headers that match no column
    errors: list


def _read_table(text: str, columns: tuple[Column, ...]) -> _Table:
    table = _Table(columns={}, index={}, records=[], ignored=[], errors=[])
    lines = text.lstrip("\ufeff").splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=_delimiter(header_line))
    by_alias = {alias: column for column in columns for alias in column.aliases}
    header = None
    try:
        for number, record in enumerate(reader, start=1):
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = record
                for position, title in enumerate(record):
                    column = by_alias.get(normalise_key(title))
                    if column is None:
                        if _clean(title):
                            table.ignored.append(_clean(title))
                    elif column.field in table.index:
                        first = _clean(header[table.index[column.field]])
                        table.errors.append(
                            f"Les colonnes « {first} » et « {_clean(title)} » désignent toutes deux "
                            f"« {column.label} » : gardez-en une seule."
                        )
                    else:
                        table.index[column.field] = position
                        table.columns[column.field] = column
                continue
            if len(table.records) >= MAX_LINES:
                limit = f"{MAX_LINES:,}".replace(",", "\u202f")
                table.errors.append(f"Le fichier compte plus de {limit} lignes : découpez-le en plusieurs fichiers.")
                return table
            values = {
                name: _clean(record[position]) if position < len(record) else ""
                for name, position in table.index.items()
            }
            table.records.append((number, values))
    except csv.Error as error:
        table.errors.append(f"Le fichier CSV est mal formé (ligne {reader.line_num}) : {error}.")
        return table
    if header is None:
        table.errors.append("Le fichier est vide.")
        return table
    expected = "; ".join(column.label for column in columns if column.required)
    for column in columns:
        if column.required and column.field not in table.index:
            table.errors.append(
                f"Colonne « {column.label} » manquante. La première ligne doit nommer les colonnes : {expected}."
            )
    if not table.errors and not table.records:
        table.errors.append("Le fichier ne contient aucune ligne après la ligne des en-têtes.")
    return table


# --- Preview --------------------------------------------------------------------------------


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


@dataclass(frozen=True)
class PersonRow:
    """One person's membership, checked: the e-mail (lower case) is the natural key."""

    email: str
    first_name: str
    last_name: str
    structure_id: int
    role: str
    speciality: str = ""


@dataclass
class Line:
    number: int
    cells: list  # the values shown in the preview table, in the order of ``Preview.display_columns``
    errors: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    action: str = ""
    row: SchoolRow | PersonRow | None = None
    structure: Structure | None = None  # for a person: the structure of the membership

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]


@dataclass
class Preview:
    kind: str  # "schools" or "people"
    lines: list = field(default_factory=list)
    file_errors: list = field(default_factory=list)
    ignored_columns: list = field(default_factory=list)
    display_columns: list = field(default_factory=list)

    @property
    def valid_rows(self) -> list:
        return [line.row for line in self.lines if line.action != ERROR]

    @property
    def error_lines(self) -> list:
        return [line for line in self.lines if line.action == ERROR]

    @property
    def counts(self) -> dict:
        counts = dict.fromkeys(ACTION_LABELS, 0)
        for line in self.lines:
            counts[line.action] += 1
        return counts

    @property
    def summary(self) -> str:
        counts = self.counts
        return (
            f"{counted(len(self.lines), 'ligne lue', 'lignes lues')} : "
            f"{counted(counts[CREATE], 'création', 'créations')}, "
            f"{counted(counts[UPDATE], 'mise à jour', 'mises à jour')}, "
            f"{counts[UNCHANGED]} sans changement, {counts[ERROR]} en erreur."
        )

    @property
    def can_confirm(self) -> bool:
        return not self.file_errors and any(line.action in (CREATE, UPDATE) for line in self.lines)


def counted(count: int, singular: str, plural: str) -> str:
    """« 0 compte activé », « 1 compte activé », « 12 comptes activés »: French plural from 2."""
    return f"{count} {singular if count <= 1 else plural}"


def _length(errors: list, value: str, label: str, limit: int) -> None:
    if len(value) > limit:
        errors.append(f"{label} trop long ({len(value)} caractères, {limit} au plus).")


def _check_email(errors: list, value: str, label: str = "Adresse e-mail") -> str:
    email = normalise_email(value)
    try:
        validate_email(email)
    except ValidationError:
        errors.append(f"{label} invalide : « {value} ».")
    else:
        _length(errors, email, label, 254)
    return email


def _check_uai(errors: list, value: str) -> str:
    uai = normalise_uai(value)
    try:
        validate_uai(uai)
    except ValidationError as error:
        errors.extend(error.messages)
    return uai


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


def preview_schools(text: str) -> Preview:
    """What importing these schools would do, line by line. Natural key: the UAI."""
    table = _read_table(text, SCHOOL_COLUMNS)
    preview = Preview(kind="schools", ignored_columns=table.ignored, file_errors=list(table.errors))
    preview.display_columns = [column.label for column in SCHOOL_COLUMNS[:4]]
    district = District.objects.order_by("pk").first()
    if district is None:
        preview.file_errors.append("Aucune circonscription n’est enregistrée : créez-la d’abord dans l’administration.")
    if preview.file_errors:
        return preview

    first_line_of: dict[str, int] = {}
    for number, cells in table.records:
        line = Line(number=number, cells=[cells.get(name, "") for name in ("uai", "name", "school_type", "commune")])
        errors = line.errors
        uai = ""
        if not cells["uai"]:
            errors.append("Code UAI manquant.")
        else:
            uai = _check_uai(errors, cells["uai"])
            if uai in first_line_of:
                errors.append(f"Code UAI « {uai} » déjà présent ligne {first_line_of[uai]}.")
            elif not errors:
                first_line_of[uai] = number
        if not cells["name"]:
            errors.append("Nom de l’école manquant.")
        _length(errors, cells["name"], "Nom", 200)
        school_type = parse_school_type(cells["school_type"])
        if not cells["school_type"]:
            errors.append("Type d’école manquant : maternelle, élémentaire ou primaire.")
        elif school_type is None:
            errors.append(
                f"Type d’école « {cells['school_type']} » inconnu : indiquez maternelle, élémentaire ou primaire."
            )
        if not cells["commune"]:
            errors.append("Commune manquante.")
        _length(errors, cells["commune"], "Commune", 120)
        address = cells.get("address", "")
        _length(errors, address, "Adresse", 250)
        postal_code = cells.get("postal_code", "").replace(" ", "")
        if postal_code and not re.fullmatch(r"\d{5}", postal_code):
            errors.append(f"Code postal « {cells['postal_code']} » invalide : il faut 5 chiffres.")
        phone = cells.get("phone", "")
        _length(errors, phone, "Téléphone", 20)
        email = _check_email(errors, cells["email"], "Courriel") if cells.get("email") else ""
        if not errors:
            line.row = SchoolRow(
                uai=uai,
                name=cells["name"],
                school_type=school_type,
                commune=cells["commune"],
                address=address,
                postal_code=postal_code,
                phone=phone,
                email=email,
            )
        preview.lines.append(line)

    valid = [line for line in preview.lines if line.row is not None]
    uais = [line.row.uai for line in valid]
    existing = {s.uai: s for s in Structure.objects.filter(uai__in=uais)}
    codes_taken = dict(
        Structure.objects.filter(code__in=[uai.lower() for uai in uais if uai not in existing]).values_list(
            "code", "name"
        )
    )
    for line in preview.lines:
        row = line.row
        if row is None:
            line.action = ERROR
            continue
        school = existing.get(row.uai)
        if school is None:
            if row.uai.lower() in codes_taken:
                line.errors.append(
                    f"Le code « {row.uai.lower()} » est déjà celui de la structure « {codes_taken[row.uai.lower()]} »."
                )
                line.action, line.row = ERROR, None
                continue
            line.action = CREATE
            email = row.email or Structure.default_school_email(row.uai, district.academie)
            line.changes = [f"Nouvelle école ; adresse fonctionnelle : {email}"]
        elif school.kind != Structure.Kind.SCHOOL:
            line.errors.append(f"Le code UAI « {row.uai} » est celui de « {school.name} », qui n’est pas une école.")
            line.action, line.row = ERROR, None
        else:
            changes = school_changes(school, row)
            line.action = UPDATE if changes else UNCHANGED
            line.changes = _describe_school_changes(school, changes)
    return preview


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


def _open_memberships():
    """Memberships that still run: the ones an import must not duplicate."""
    return Membership.objects.filter(Q(end_date__isnull=True) | Q(end_date__gt=timezone.localdate()))


def person_name_changes(user: User, row: PersonRow) -> dict:
    return {
        name: getattr(row, name) for name in ("first_name", "last_name") if getattr(user, name) != getattr(row, name)
    }


def preview_people(text: str) -> Preview:
    """What importing these people would do, line by line.

    Natural keys: the lower-cased e-mail for a person; (person, structure, role) for a membership,
    created only if the same one is not already running. The same e-mail on two lines is an error,
    except to give the same person (same first and last names) another structure or role, as for a
    teacher who works in two schools. An empty structure is allowed for a district-team or RASED role
    when there is only one such structure.
    """
    table = _read_table(text, PEOPLE_COLUMNS)
    preview = Preview(kind="people", ignored_columns=table.ignored, file_errors=list(table.errors))
    preview.display_columns = [column.label for column in PEOPLE_COLUMNS[:5]]
    if preview.file_errors:
        return preview

    uais, codes = set(), set()
    parsed = []
    for number, cells in table.records:
        line = Line(
            number=number,
            cells=[cells.get(name, "") for name in ("email", "first_name", "last_name", "structure", "role")],
        )
        errors = line.errors
        email = ""
        if not cells["email"]:
            errors.append("Adresse e-mail manquante.")
        else:
            email = _check_email(errors, cells["email"])
        for name, label in (("first_name", "Prénom"), ("last_name", "Nom")):
            if not cells[name]:
                errors.append(f"{label} manquant.")
            _length(errors, cells[name], label, 150)
        role = parse_role(cells["role"])
        if not cells["role"]:
            errors.append("Rôle manquant.")
        elif role is None:
            errors.append(
                f"Rôle « {cells['role']} » inconnu : indiquez directeur, directrice, enseignant, enseignante, "
                "IEN, CPC (ou conseiller pédagogique), secrétaire ou RASED."
            )
        speciality = cells.get("speciality", "")
        _length(errors, speciality, "Spécialité", 100)
        reference = cells["structure"]
        key = None
        if reference[:1].isdigit():
            uai_errors: list = []
            uai = _check_uai(uai_errors, reference)
            errors.extend(uai_errors)
            if not uai_errors:
                key = ("uai", uai)
                uais.add(uai)
        elif reference:
            key = ("code", reference.lower())
            codes.add(reference.lower())
        parsed.append((line, email, cells, role, speciality, key))

    structures = list(
        Structure.objects.filter(
            Q(uai__in=uais) | Q(code__in=codes) | Q(kind__in=[Structure.Kind.DISTRICT_TEAM, Structure.Kind.RASED])
        )
    )
    by_key = {("uai", s.uai): s for s in structures if s.uai} | {("code", s.code): s for s in structures}
    only_of_kind = {}
    for kind in (Structure.Kind.DISTRICT_TEAM, Structure.Kind.RASED):
        of_kind = [s for s in structures if s.kind == kind]
        only_of_kind[kind] = of_kind[0] if len(of_kind) == 1 else None

    # Duplicates within the file: e-mail -> (first line, first name, last name, {(structure, role)}).
    seen: dict[str, tuple] = {}
    for line, email, cells, role, speciality, key in parsed:
        errors = line.errors
        structure = None
        if key is not None:
            structure = by_key.get(key)
            if structure is None:
                kind, value = key
                errors.append(
                    f"Aucune école n’a le code UAI « {value} » : importez d’abord les écoles."
                    if kind == "uai"
                    else f"Aucune structure n’a le code « {value} » : indiquez l’UAI de l’école ou le code de la structure."
                )
        elif not cells["structure"] and role is not None:
            structure = only_of_kind.get(ROLE_STRUCTURE_KIND[role])
            if structure is None:
                errors.append("Indiquez l’UAI de l’école ou le code de la structure.")
        if structure is not None and role is not None and structure.kind != ROLE_STRUCTURE_KIND[role]:
            errors.append(
                f"Le rôle « {Role(role).label} » s’exerce dans {_KIND_PHRASE[ROLE_STRUCTURE_KIND[role]]}, "
                f"pas dans « {structure.name} »."
            )
        if email and email in seen:
            first_number, first_name, last_name, pairs = seen[email]
            if (first_name, last_name) != (cells["first_name"], cells["last_name"]):
                errors.append(
                    f"Adresse e-mail déjà présente ligne {first_number} pour {first_name} {last_name} : "
                    "une adresse ne désigne qu’une personne."
                )
            elif structure is not None and (structure.pk, role) in pairs:
                errors.append(f"Ligne en double : même personne, même structure et même rôle que ligne {first_number}.")
        if not errors:
            line.row = PersonRow(
                email=email,
                first_name=cells["first_name"],
                last_name=cells["last_name"],
                structure_id=structure.pk,
                role=role,
                speciality=speciality,
            )
            line.structure = structure
        if email:
            entry = seen.setdefault(email, (line.number, cells["first_name"], cells["last_name"], set()))
            if line.row is not None:
                entry[3].add((structure.pk, role))
        preview.lines.append(line)

    valid = [line for line in preview.lines if line.row is not None]
    users = {u.email: u for u in User.objects.filter(email__in={line.row.email for line in valid})}
    running = {
        (m.user_id, m.structure_id, m.role): m
        for m in _open_memberships()
        .filter(user__in=list(users.values()))
        .only("user_id", "structure_id", "role", "speciality")
    }
    in_file: set[str] = set()
    for line in preview.lines:
        row = line.row
        if row is None:
            line.action = ERROR
            continue
        membership = f"{Role(row.role).label} — {line.structure.name}"
        if row.speciality:
            membership += f" ({row.speciality})"
        user = users.get(row.email)
        if user is None:
            if row.email in in_file:
                line.action, line.changes = UPDATE, [f"Rattachement supplémentaire : {membership}"]
            else:
                line.action = CREATE
                line.changes = ["Nouvelle personne (compte non activé)", f"Rattachement : {membership}"]
        else:
            changes = []
            if row.email not in in_file:
                names = person_name_changes(user, row)
                changes += [
                    f"{'Prénom' if name == 'first_name' else 'Nom'} : « {getattr(user, name)} » → « {value} »"
                    for name, value in names.items()
                ]
            current = running.get((user.pk, row.structure_id, row.role))
            if current is None:
                changes.append(f"Nouveau rattachement : {membership}")
            elif row.speciality and current.speciality != row.speciality:
                changes.append(f"Spécialité : « {current.speciality} » → « {row.speciality} »")
            line.action = UPDATE if changes else UNCHANGED
            line.changes = changes
        in_file.add(row.email)
    return preview
