"""« Tableau de bord »: the adoption of the ENT by the schools, for the district team (404 otherwise).

The figures come from :mod:`accounts.adoption`; this module sorts the table, draws the chart (an
SVG drawn here, with its data table beside it: no chart library) and writes the CSV files.
"""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ent.csv_export import csv_response

from . import adoption
from .permissions import can_view_adoption

BASE_COLUMNS = [
    ("ecole", "École"),
    ("comptes", "Comptes activés"),
    ("actifs7", "Actifs sur 7 jours"),
    ("actifs30", "Actifs sur 30 jours"),
]


def _base_values(row) -> dict:
    return {
        "ecole": row.school.name,
        "comptes": row.activated_percent,
        "actifs7": row.active_7,
        "actifs30": row.active_30_percent,
    }


def _columns(board):
    return BASE_COLUMNS + [(m.key, m.label) for m in board.measures]


def _sort_key(value):
    # Empty figures (no member, no news) sort after every number, whatever the order.
    return (value is None, value if not isinstance(value, str) else value.lower())


def _sorted_rows(board, key: str, descending: bool):
    def value(row):
        return _base_values(row)[key] if key in dict(BASE_COLUMNS) else row.values.get(key)

    present = [r for r in board.rows if value(r) is not None]
    missing = [r for r in board.rows if value(r) is None]
    present.sort(key=lambda r: _sort_key(value(r)), reverse=descending)
    return present + missing


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    label: str
    value: int


SHORT_MONTHS = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."]
CHART_WIDTH, CHART_HEIGHT, CHART_TOP, CHART_BOTTOM = 640, 240, 20, 40


def chart_bars(months, schools: int) -> tuple[list, list]:
    """Bars of the schools active each month, scaled to the number of schools; and the y ticks."""
    top = max(schools, 1)
    inner = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    step = (CHART_WIDTH - 40) // max(len(months), 1)
    bars = []
    for i, (month, _people, active) in enumerate(months):
        height = round(inner * active / top)
        bars.append(
            Bar(
                x=40 + i * step + step // 6,
                y=CHART_TOP + inner - height,
                width=max(step * 2 // 3, 4),
                height=height,
                label=SHORT_MONTHS[month.month - 1],
                value=active,
            )
        )
    ticks = [(CHART_TOP + inner - round(inner * t / 4), round(top * t / 4)) for t in range(5)]
    return bars, ticks


def _cell(value, unit) -> str:
    if value is None:
        return "—"
    return f"{value} %" if unit == adoption.PERCENT else str(value)


@login_required
@require_GET
def dashboard_view(request):
    if not can_view_adoption(request.user):
        raise Http404
    board = adoption.dashboard()
    columns = _columns(board)
    keys = [key for key, _ in columns]
    sort = request.GET.get("tri") if request.GET.get("tri") in keys else "ecole"
    descending = request.GET.get("ordre") == "desc"
    rows = _sorted_rows(board, sort, descending)
    table = [(row, [_cell(row.values[m.key], m.unit) for m in board.measures]) for row in rows]
    bars, ticks = chart_bars(board.months, board.schools)
    return render(
        request,
        "accounts/dashboard.html",
        {
            "board": board,
            "columns": [(key, label, key == sort) for key, label in columns],
            "table": table,
            "sort": sort,
            "descending": descending,
            "bars": bars,
            "ticks": ticks,
            "chart": {"width": CHART_WIDTH, "height": CHART_HEIGHT, "base": CHART_HEIGHT - CHART_BOTTOM},
        },
    )


@login_required
@require_GET
def dashboard_csv_view(request, table):
    if not can_view_adoption(request.user):
        raise Http404
    board = adoption.dashboard()
    if table == "ecoles":
        columns = _columns(board)
        header = (
            [label for _, label in columns[:1]]
            + [
                "Comptes attendus",
                "Comptes activés",
                "Actifs sur 7 jours",
                "Actifs sur 30 jours",
            ]
            + [
                label + (" (%)" if m.unit == adoption.PERCENT else "")
                for m, (_, label) in zip(board.measures, columns[4:], strict=True)
            ]
        )
        rows = (
            [r.school.name, r.expected, r.activated, r.active_7, r.active_30]
            + ["" if r.values[m.key] is None else r.values[m.key] for m in board.measures]
            for r in board.rows
        )
        return csv_response("tableau-de-bord-ecoles.csv", header, rows)
    if table == "mois":
        rows = ([m.isoformat()[:7], people, schools] for m, people, schools in board.months)
        return csv_response("tableau-de-bord-mois.csv", ["Mois", "Personnes actives", "Écoles actives"], rows)
    if table == "roles":
        rows = ([r.label, r.expected, r.activated, r.active_7, r.active_30] for r in board.roles)
        return csv_response(
            "tableau-de-bord-roles.csv",
            ["Rôle", "Comptes attendus", "Comptes activés", "Actifs sur 7 jours", "Actifs sur 30 jours"],
            rows,
        )
    if table == "a-visiter":
        rows = ([r.school.name, r.expected, r.activated, r.active_30] for r in board.to_visit())
        return csv_response(
            "tableau-de-bord-a-visiter.csv",
            ["École", "Comptes attendus", "Comptes activés", "Actifs sur 30 jours"],
            rows,
        )
    raise Http404
