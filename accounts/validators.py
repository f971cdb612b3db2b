"""Validation of French school identifiers."""

import re

from django.core.exceptions import ValidationError

# The check letter of a UAI (ex-RNE) code: the 7 first characters read as a number, modulo 23,
# give the index in this alphabet, which leaves out I, O and Q.
UAI_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
_UAI_RE = re.compile(r"^\d{7}[A-Z]$")


def normalise_uai(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")


def uai_check_letter(first_seven: str) -> str:
    return UAI_LETTERS[int(first_seven) % 23]


def is_valid_uai(value: str) -> bool:
    value = normalise_uai(value)
    if len(value) != 8 or not _UAI_RE.match(value):
        return False
    return uai_check_letter(value[:7]) == value[7]


def validate_uai(value: str) -> None:
    value = normalise_uai(value)
    if len(value) != 8 or not _UAI_RE.match(value):
        raise ValidationError(
            "« %(value)s » n’est pas un code UAI : il faut 7 caractères (chiffres) suivis d’une lettre, par exemple 0860001J.",
            code="uai_format",
            params={"value": value},
        )
    expected = uai_check_letter(value[:7])
    if value[7] != expected:
        raise ValidationError(
            "Le code UAI « %(value)s » est invalide : sa lettre de contrôle devrait être « %(expected)s ».",
            code="uai_check_letter",
            params={"value": value, "expected": expected},
        )
