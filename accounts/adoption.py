"""The adoption of the ENT by the schools (« Tableau de bord », for the district team).

accounts measures its own figures per school (accounts activated / expected, people seen in the
last 7 and 30 days, from ``User.last_seen``); each feature app adds its own through this registry,
in its ``AppConfig.ready()``, as it adds panels to "Accueil"::

    adoption.register(adoption.Measure(key="news.opened", order=10, label="Actualités ouvertes",
                                       unit=adoption.PERCENT, by_school=opened_by_school,
                                       description="…"))

``by_school(period)`` returns ``{school id: value}`` in **one query** whatever the number of
schools (:func:`count_by_school` does it for rows written by people: a person counts for their
first current school). So the dashboard's cost is one query per measure plus a fixed few, for 59
schools as for 590. Figures are per school, and per role over the whole district (directors,
teachers, the RASED: :data:`ROLES`): no page shows one person's activity.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from .audiences import first_school_of
from .models import ActiveMonth, Membership, Role, Structure

COUNT = "count"
PERCENT = "percent"


@dataclass(frozen=True)
class Period:
    """The school year so far: from ``start`` (1 September) to ``today``."""

    start: dt.date
    today: dt.date
    expected: dict = field(default_factory=dict)  # school id -> people expected (for rates)

    @property
    def start_datetime(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time()))


@dataclass(frozen=True)
class Measure:
    key: str
    order: int
    label: str
    unit: str
    by_school: Callable
    description: str


_MEASURES: dict[str, Measure] = {}


def register(measure: Measure) -> None:
    _MEASURES[measure.key] = measure


def measures() -> list[Measure]:
    return sorted(_MEASURES.values(), key=lambda m: m.order)


def count_by_school(queryset, user_field: str) -> dict:
    """``{school id: rows}`` for rows written by people (``user_field``: ``"author_id"``), one query."""
    rows = (
        queryset.order_by()
        .annotate(_school=first_school_of(user_field))
        .filter(_school__isnull=False)
        .values("_school")
        .annotate(n=Count("pk"))
        .values_list("_school", "n")
    )
    return dict(rows)


def school_year_start(day: dt.date) -> dt.date:
    return dt.date(day.year if day.month >= 9 else day.year - 1, 9, 1)


class _Shares:
    """The shares of a row's accounts figures (``expected``, ``activated``, ``active_30``)."""

    @property
    def activated_percent(self) -> int | None:
        return round(100 * self.activated / self.expected) if self.expected else None

    @property
    def active_30_percent(self) -> int | None:
        return round(100 * self.active_30 / self.expected) if self.expected else None


@dataclass
class SchoolRow(_Shares):
    school: Structure
    expected: int = 0
    activated: int = 0
    active_7: int = 0
    active_30: int = 0
    active_month: int = 0
    values: dict = field(default_factory=dict)

    @property
    def is_active_this_month(self) -> bool:
        return self.active_month > 0


@dataclass
class RoleRow(_Shares):
    """The accounts' figures of the people holding one role in the district (a person holding two
    roles counts in both)."""

    role: str
    label: str
    expected: int = 0
    activated: int = 0
    active_7: int = 0
    active_30: int = 0


# The roles of the people the dashboard follows: those of the schools and the RASED.
ROLES = [Role.DIRECTOR, Role.TEACHER, Role.RASED]


@dataclass
class Dashboard:
    period: Period
    rows: list
    measures: list
    months: list  # (first day of month, people active, schools active)
    roles: list = field(default_factory=list)  # RoleRow, in the order of ROLES

    @property
    def schools(self) -> int:
        return len(self.rows)

    @property
    def active_schools(self) -> int:
        return sum(1 for r in self.rows if r.is_active_this_month)

    @property
    def totals(self) -> dict:
        return {
            "expected": sum(r.expected for r in self.rows),
            "activated": sum(r.activated for r in self.rows),
            "active_7": sum(r.active_7 for r in self.rows),
            "active_30": sum(r.active_30 for r in self.rows),
        }

    def to_visit(self, limit: int = 5) -> list:
        """The schools that need a visit first: the fewest people seen in 30 days (by share), then
        the fewest accounts activated."""
        rows = [r for r in self.rows if r.expected]
        return sorted(rows, key=lambda r: (r.active_30_percent, r.activated_percent, r.school.name))[:limit]


def dashboard(today: dt.date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    start = school_year_start(today)
    schools = list(Structure.objects.filter(kind=Structure.Kind.SCHOOL).order_by("name"))
    rows = {s.pk: SchoolRow(school=s) for s in schools}
    month_start = today.replace(day=1)
    figures = (
        Membership.objects.current()
        .filter(structure__kind=Structure.Kind.SCHOOL)
        .values("structure_id")
        .annotate(
            **_account_figures(today),
            active_month=Count("user", filter=Q(user__last_seen__gte=month_start), distinct=True),
        )
    )
    for figure in figures:
        row = rows.get(figure.pop("structure_id"))
        if row is not None:
            for name, value in figure.items():
                setattr(row, name, value)
    period = Period(start=start, today=today, expected={pk: r.expected for pk, r in rows.items()})
    active_measures = measures()
    for measure in active_measures:
        values = measure.by_school(period)
        for pk, row in rows.items():
            row.values[measure.key] = values.get(pk, None if measure.unit == PERCENT else 0)
    return Dashboard(
        period=period,
        rows=list(rows.values()),
        measures=active_measures,
        months=_months(start, today),
        roles=_roles(today),
    )


def _account_figures(today: dt.date) -> dict:
    """The ``Count`` of a membership queryset's people: expected, activated, seen in 7 and 30 days."""
    return {
        "expected": Count("user", distinct=True),
        "activated": Count("user", filter=Q(user__is_active=True), distinct=True),
        "active_7": Count("user", filter=Q(user__last_seen__gt=today - dt.timedelta(days=7)), distinct=True),
        "active_30": Count("user", filter=Q(user__last_seen__gt=today - dt.timedelta(days=30)), distinct=True),
    }


def _roles(today: dt.date) -> list:
    """The accounts' figures per role (:data:`ROLES`), for the whole district: one query."""
    counted = {
        figure.pop("role"): figure
        for figure in Membership.objects.current()
        .filter(role__in=ROLES)
        .values("role")
        .annotate(**_account_figures(today))
        .order_by()
    }
    return [RoleRow(role=role, label=Role(role).label, **counted.get(role, {})) for role in ROLES]


def _months(start: dt.date, today: dt.date) -> list:
    """Month by month since the start of the school year: people who came, and their schools."""
    counted = {
        row["month"]: (row["people"], row["schools"])
        for row in ActiveMonth.objects.filter(month__gte=start, month__lte=today)
        .annotate(school=first_school_of("user_id"))
        .values("month")
        .annotate(people=Count("user_id", distinct=True), schools=Count("school", distinct=True))
        .order_by("month")
    }
    months, day = [], start
    while day <= today:
        people, schools = counted.get(day, (0, 0))
        months.append((day, people, schools))
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return months
