"""Reading an uploaded CSV file into a table of cells: size, encoding, separator, headers.

Nothing here knows what a school or a person is: each kind of import gives its :class:`Column`\\ s.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_LINES = 5000


class ImportFileError(ValueError):
    """The file as a whole cannot be read. Its message is in French, for the administrator."""


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


def clean_cell(value: str) -> str:
    """A cell as the import reads it: spaces collapsed and trimmed, stray BOMs removed."""
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


@dataclass
class Table:
    columns: dict = field(default_factory=dict)  # field -> Column, for the columns found
    index: dict = field(default_factory=dict)  # field -> position in a record
    records: list = field(default_factory=list)  # (line number, {field: cleaned cell})
    ignored: list = field(default_factory=list)  # headers that match no column
    errors: list = field(default_factory=list)


def read_table(text: str, columns: tuple[Column, ...]) -> Table:
    """The records of ``text`` under ``columns`` (matched by their aliases), or the file's errors."""
    table = Table()
    lines = text.lstrip("\ufeff").splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""), delimiter=_delimiter(header_line))
    header = None
    try:
        for number, record in enumerate(reader, start=1):
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = record
                _read_header(table, record, columns)
                continue
            if len(table.records) >= MAX_LINES:
                limit = f"{MAX_LINES:,}".replace(",", "\u202f")
                table.errors.append(f"Le fichier compte plus de {limit} lignes : découpez-le en plusieurs fichiers.")
                return table
            values = {
                name: clean_cell(record[position]) if position < len(record) else ""
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


def _read_header(table: Table, header: list, columns: tuple[Column, ...]) -> None:
    by_alias = {alias: column for column in columns for alias in column.aliases}
    for position, title in enumerate(header):
        column = by_alias.get(normalise_key(title))
        if column is None:
            if clean_cell(title):
                table.ignored.append(clean_cell(title))
        elif column.field in table.index:
            first = clean_cell(header[table.index[column.field]])
            table.errors.append(
                f"Les colonnes « {first} » et « {clean_cell(title)} » désignent toutes deux "
                f"« {column.label} » : gardez-en une seule."
            )
        else:
            table.index[column.field] = position
            table.columns[column.field] = column
