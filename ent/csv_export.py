"""The one CSV writer of the site, for every export (registrations, acknowledgements, import models…).

French spreadsheet software reads it as it is: UTF-8 with a BOM, semicolon-separated, CRLF. Every
text cell that a spreadsheet would take for a formula (starting with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return: OWASP's rule against CSV injection) is written with a leading single
quote, so that « =HYPERLINK(…) » typed by someone shows as text and runs nothing.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` as a spreadsheet must show it: a formula-like text gets a leading ``'``."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """``csv.writer`` in the French dialect, neutralising every cell it writes."""

    def __init__(self, out):
        self._writer = csv.writer(out, delimiter=";", lineterminator="\r\n")

    def writerow(self, row: Iterable) -> None:
        self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def csv_text(header: Sequence, rows: Iterable[Sequence]) -> str:
    """The CSV text (without BOM) of a header and rows."""
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def csv_response(filename: str, header: Sequence, rows: Iterable[Sequence]) -> HttpResponse:
    """A CSV download named ``filename``; ``rows`` may be a generator."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel reads UTF-8 only with a BOM
    writer = SafeWriter(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response
