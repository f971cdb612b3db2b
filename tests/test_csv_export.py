"""The one CSV writer: French spreadsheets, and no cell a spreadsheet would run as a formula."""

import pytest

from accounts import imports
from ent.csv_export import csv_response, csv_text, safe_cell

from .payloads import FORMULA_PAYLOADS


@pytest.mark.parametrize(("value", "expected"), FORMULA_PAYLOADS)
def test_a_formula_cell_is_neutralised(value, expected):
    assert safe_cell(value) == expected


@pytest.mark.parametrize("value", ["CE2 de Mme Martin", "École = plaisir", "", "24", "'déjà cité"])
def test_ordinary_text_is_kept_as_it_is(value):
    assert safe_cell(value) == value


def test_numbers_and_empty_values_are_kept():
    assert safe_cell(-3) == -3
    assert safe_cell(24) == 24
    assert safe_cell(None) == ""


def test_the_response_is_for_french_excel_and_neutralises_every_cell():
    response = csv_response("export.csv", ["=Titre", "Nom"], [["@SUM(A1)", "Martin ; Dupont"], ["-1", 7]])

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="export.csv"'
    assert response.content.startswith("\ufeff".encode())
    assert response.content.decode("utf-8-sig") == "'=Titre;Nom\r\n'@SUM(A1);\"Martin ; Dupont\"\r\n'-1;7\r\n"


def test_the_text_form_has_no_bom():
    assert csv_text(["a", "b"], [["=1", "2"]]) == "a;b\r\n'=1;2\r\n"


def test_the_import_model_files_go_through_the_same_writer(monkeypatch):
    monkeypatch.setattr(imports, "PEOPLE_TEMPLATE", (["Courriel"], ["=cmd|' /C calc'!A0"]))

    assert imports.template_csv("people") == "Courriel\r\n'=cmd|' /C calc'!A0\r\n"
