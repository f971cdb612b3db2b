"""A list cut to its first rows, knowing how many it left out (« et 3 autres »).

``first_of(queryset, limit)`` reads the first ``limit`` rows and the total in one query (a window
count over the whole selection, computed before the limit), so a home panel's cost stays the same
whatever the number of rows; ``count_of(queryset)`` counts the rows of a correlated subquery, as
an annotation (« 36 / 59 écoles » for each post, in the posts' one query). ``templates/components/and_others.html`` says « et N autres » with a
link to the full list when the list was cut.
"""

from dataclasses import dataclass, field

from django.db.models import Count, F, Func, IntegerField, QuerySet, Subquery, Window


@dataclass(frozen=True)
class Cut:
    items: list = field(default_factory=list)
    total: int = 0

    @property
    def others(self) -> int:
        """How many rows the list leaves out."""
        return self.total - len(self.items)

    def __iter__(self):
        return iter(self.items)

    def __len__(self):
        return len(self.items)

    def __bool__(self):
        return bool(self.items)


def first_of(queryset: QuerySet, limit: int) -> Cut:
    """The first ``limit`` rows of ``queryset`` (ordered) and how many rows it holds: one query."""
    rows = list(queryset.annotate(cut_total=Window(Count("pk")))[:limit])
    return Cut(items=rows, total=rows[0].cut_total if rows else 0)


def count_of(queryset: QuerySet) -> Subquery:
    """``COUNT(*)`` of ``queryset`` (which refers to the outer row with ``OuterRef``), to annotate with."""
    return Subquery(
        queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n"), output_field=IntegerField()
    )
