"""What notebooks add to the adoption dashboard (accounts.adoption): pages written by the school's people."""

from accounts.adoption import COUNT, Measure, count_by_school

from .models import Page


def pages_by_school(period) -> dict:
    return count_by_school(Page.objects.filter(created_at__gte=period.start_datetime), "created_by_id")


MEASURES = [
    Measure(
        key="notebooks.pages",
        order=40,
        label="Pages de cahiers",
        unit=COUNT,
        by_school=pages_by_school,
        description="pages de cahiers multimédias créées depuis la rentrée par les membres de l’école",
    )
]
