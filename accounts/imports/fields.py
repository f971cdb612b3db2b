"""Form fields for one cell of an imported file, with the import's French messages.

A row of the file is checked by a Django form built from these fields (``SchoolRowForm``,
``PersonRowForm``); their length limits come from the model fields, so the import and the database
agree. The messages name the column as the administrator reads it (« Prénom trop long … »).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from ..models import normalise_email
from ..validators import normalise_uai, validate_uai


def _max_length(label: str, limit: int):
    def validate(value: str) -> None:
        if len(value) > limit:
            raise ValidationError(f"{label} trop long ({len(value)} caractères, {limit} au plus).")

    return validate


class CellField(forms.CharField):
    """A cell, already trimmed by the reader. ``missing`` (the message) makes it required;
    ``model_field`` gives its length limit."""

    def __init__(self, label: str, *, missing: str = "", model_field=None, **kwargs):
        kwargs.setdefault("strip", False)
        super().__init__(label=label, required=bool(missing), error_messages={"required": missing}, **kwargs)
        if model_field is not None and model_field.max_length:
            self.validators.append(_max_length(label, model_field.max_length))


class EmailCellField(CellField):
    """An e-mail address, compared and stored in lower case: its format is checked, then its length."""

    def clean(self, value):
        value = self.to_python(value)
        self.validate(value)
        if not value:
            return ""
        email = normalise_email(value)
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError(f"{self.label} invalide : « {value} ».") from None
        self.run_validators(email)
        return email


class UaiCellField(CellField):
    """A school's UAI, upper-cased, with its check letter verified."""

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return ""
        uai = normalise_uai(value)
        validate_uai(uai)
        return uai


def form_errors(form: forms.Form) -> list[str]:
    """Every message of the form, field by field in the order of the columns."""
    return [message for errors in form.errors.as_data().values() for error in errors for message in error.messages]
