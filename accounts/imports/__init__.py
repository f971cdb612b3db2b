"""Reading the CSV files of schools and people that an administrator imports.

Nothing here writes. :func:`preview_schools` and :func:`preview_people` read the decoded text of a
file and return a :class:`Preview`: every line with its planned action (create, update, unchanged)
or with all its errors, so that the administrator sees every problem before anything is written.
The writes are ``services.schools_import`` and ``services.people_import``, given
``preview.valid_rows``; they use :func:`school_changes` and :func:`person_name_changes` too, so the
preview and the import agree on what "changed" means.

A preview is a few passes over the lines, each a function tested on its own:

* ``files`` reads the file into cells (size, encoding, separator, headers: UTF-8 with or without
  BOM or Windows-1252, semicolons or commas, headers matched whatever their case, accents, spaces or
  punctuation — "Code postal", "CODE_POSTAL" and "code-postal" are one column);
* one Django form per line (``SchoolRowForm``, ``PersonRowForm``) checks each cell, with French
  messages and the lengths of the model fields;
* then, for each kind, resolving against the database, de-duplicating within the file and planning
  (``schools`` and ``people``).

A preview costs a fixed number of queries (three at most), whatever the number of lines.
"""

from ent.csv_export import csv_text

from .files import MAX_FILE_BYTES, MAX_LINES, Column, ImportFileError, decode_csv, normalise_key, read_upload
from .people import (
    PEOPLE_COLUMNS,
    PEOPLE_TEMPLATE,
    PersonRow,
    PersonRowForm,
    parse_role,
    person_name_changes,
    preview_people,
)
from .preview import ACTION_LABELS, CREATE, ERROR, UNCHANGED, UPDATE, Line, Preview, counted
from .schools import (
    SCHOOL_COLUMNS,
    SCHOOL_TEMPLATE,
    SchoolRow,
    SchoolRowForm,
    parse_school_type,
    preview_schools,
    school_changes,
)


def template_csv(kind: str) -> str:
    """A model file (header and one example line), semicolon-separated as French spreadsheets write."""
    header, example = SCHOOL_TEMPLATE if kind == "schools" else PEOPLE_TEMPLATE
    return csv_text(header, [example])


__all__ = [
    "ACTION_LABELS",
    "CREATE",
    "ERROR",
    "MAX_FILE_BYTES",
    "MAX_LINES",
    "PEOPLE_COLUMNS",
    "SCHOOL_COLUMNS",
    "UNCHANGED",
    "UPDATE",
    "Column",
    "ImportFileError",
    "Line",
    "PersonRow",
    "PersonRowForm",
    "Preview",
    "SchoolRow",
    "SchoolRowForm",
    "counted",
    "decode_csv",
    "normalise_key",
    "parse_role",
    "parse_school_type",
    "person_name_changes",
    "preview_people",
    "preview_schools",
    "read_upload",
    "school_changes",
    "template_csv",
]
