"""Field-level changes between two states of an object, written as people read them.

A service takes a :func:`snapshot` before and after its write and records
``changes_between(before, after, fields)``: a list of ``{field, label, before, after}`` for the
fields that differ, in the order of ``fields``. Values are French text (dates spelt out, « oui »/
« non », names of related objects), so the history reads the same whatever the model becomes.
"""

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from django.db import models
from django.utils.html import strip_tags
from django.utils.text import Truncator, capfirst

from ent.dates import format_datetime, format_day

# (field name, label shown to people)
Fields = Sequence[tuple[str, str]]

TEXT_MAX = 300
# After a creation, a field still at one of these values says nothing: it is left out.
EMPTY = ("", "non")


def describe(value) -> str:
    """A value as a person would read it: "" for nothing, « oui »/« non », French dates, names."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, dt.datetime):
        return format_datetime(value)
    if isinstance(value, dt.date):
        return format_day(value)
    if isinstance(value, str):
        return Truncator(value).chars(TEXT_MAX)
    if isinstance(value, models.Manager):
        value = value.all()
    if isinstance(value, Iterable):
        return ", ".join(sorted(describe(item) for item in value))
    return Truncator(str(value)).chars(TEXT_MAX)


def describe_html(html: str) -> str:
    """Rich text as its first words, without markup."""
    return Truncator(strip_tags(html or "")).chars(TEXT_MAX)


def model_fields(model: type[models.Model], names: Iterable[str]) -> list[tuple[str, str]]:
    """``fields`` for :func:`snapshot`: each name with its model field's French verbose name."""
    return [(name, capfirst(str(model._meta.get_field(name).verbose_name))) for name in names]


def snapshot(obj: models.Model, fields: Fields) -> dict[str, str]:
    """Each field of ``obj`` described: a choice by its label, a relation by its objects' names.

    Many-to-many fields are read only once the object is saved (one query each).
    """
    state = {}
    for name, _label in fields:
        display = getattr(obj, f"get_{name}_display", None)
        if display is not None:
            state[name] = describe(display())
            continue
        value = getattr(obj, name)
        if isinstance(value, models.Manager) and obj.pk is None:
            value = ()
        state[name] = describe(value)
    return state


def changes_between(before: Mapping[str, str] | None, after: Mapping[str, str], fields: Fields) -> list[dict]:
    """The fields that differ, as ``[{field, label, before, after}]``. ``before=None`` means a
    creation: the fields set to something are listed, those left empty (or « non ») are not."""
    if before is None:
        return [
            {"field": name, "label": label, "before": "", "after": after.get(name, "")}
            for name, label in fields
            if after.get(name, "") not in EMPTY
        ]
    return [
        {"field": name, "label": label, "before": before.get(name, ""), "after": after.get(name, "")}
        for name, label in fields
        if before.get(name, "") != after.get(name, "")
    ]
