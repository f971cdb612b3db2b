"""What a preview shows: every line of the file with its planned action, or with all its errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .fields import form_errors

CREATE, UPDATE, UNCHANGED, ERROR = "create", "update", "unchanged", "error"
ACTION_LABELS = {CREATE: "Création", UPDATE: "Mise à jour", UNCHANGED: "Sans changement", ERROR: "Erreur"}


@dataclass
class Line:
    """One line of the file as the passes see it, then as the preview shows it.

    The row form fills ``values`` (the cells), ``cleaned`` (what passed the field checks) and
    ``errors``; resolving fills ``structure`` and ``existing`` (and, for a person, ``membership``);
    de-duplicating may add errors; planning sets ``action``, ``changes`` and the checked ``row``.
    """

    number: int
    cells: list  # the values shown in the preview table, in the order of ``Preview.display_columns``
    errors: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    action: str = ""
    row: Any = None  # a SchoolRow or a PersonRow once planned without error
    values: dict = field(default_factory=dict)
    cleaned: dict = field(default_factory=dict)
    structure: Any = None  # for a person: the structure of the membership
    existing: Any = None  # the school or the person already stored under this natural key
    membership: Any = None  # for a person: the same membership, if it is already running

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


def check_rows(records: list, form_class, displayed: tuple) -> list[Line]:
    """Pass 1: each record ``(line number, {column: cell})`` through one row form of ``form_class``;
    ``displayed`` names the cells the preview shows."""
    lines = []
    for number, values in records:
        form = form_class(data=values)
        form.is_valid()
        lines.append(
            Line(
                number=number,
                cells=[values.get(name, "") for name in displayed],
                values=values,
                cleaned=form.cleaned_data,
                errors=form_errors(form),
            )
        )
    return lines
