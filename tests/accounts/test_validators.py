import pytest
from django.core.exceptions import ValidationError

from accounts.validators import is_valid_uai, uai_check_letter, validate_uai


@pytest.mark.parametrize(
    ("uai", "valid"),
    [
        ("0860021F", True),  # a real UAI of the Vienne
        ("0860001J", True),
        ("0860001j", True),  # lower case is normalised
        (" 0860001J ", True),
        ("0860001A", False),  # wrong check letter
        ("086001J", False),  # too short
        ("08600011J", False),  # too long
        ("A860001J", False),
        ("0860001I", False),  # I, O and Q are never check letters
        ("", False),
    ],
)
def test_uai_validity(uai, valid):
    assert is_valid_uai(uai) is valid


def test_check_letter_alphabet_skips_i_o_q():
    letters = {uai_check_letter(f"{n:07d}") for n in range(23)}
    assert letters == set("ABCDEFGHJKLMNPRSTUVWXYZ")


def test_wrong_check_letter_message_names_the_expected_letter():
    with pytest.raises(ValidationError) as error:
        validate_uai("0860001A")
    assert error.value.code == "uai_check_letter"
    assert "« J »" in error.value.messages[0]


def test_bad_format_message_is_french():
    with pytest.raises(ValidationError) as error:
        validate_uai("abc")
    assert "n’est pas un code UAI" in error.value.messages[0]
