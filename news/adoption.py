"""What news adds to the adoption dashboard (accounts.adoption): news opened, acknowledgements on time."""

from django.db.models import Count, F

from accounts.adoption import PERCENT, Measure, count_by_school

from .models import Acknowledgement, Post, PostRead


def _posts(period):
    return Post.objects.once_published().filter(published_at__gte=period.start_datetime)


def opened_by_school(period) -> dict:
    posts = _posts(period)
    total = posts.count()
    if not total:
        return {}
    reads = count_by_school(PostRead.objects.filter(post__in=posts), "user_id")
    return {pk: round(100 * n / (total * period.expected[pk])) for pk, n in reads.items() if period.expected.get(pk)}


def acks_on_time_by_school(period) -> dict:
    posts = _posts(period).filter(requires_ack=True, ack_due_date__isnull=False)
    total = posts.count()
    if not total:
        return {}
    counts = dict(
        Acknowledgement.objects.filter(post__in=posts, acknowledged_at__date__lte=F("post__ack_due_date"))
        .order_by()
        .values("school_id")
        .annotate(n=Count("pk"))
        .values_list("school_id", "n")
    )
    return {pk: round(100 * n / total) for pk, n in counts.items()}


MEASURES = [
    Measure(
        key="news.opened",
        order=10,
        label="Actualités ouvertes",
        unit=PERCENT,
        by_school=opened_by_school,
        description="lectures des actualités publiées depuis la rentrée par les membres de l’école, rapportées "
        "au nombre d’actualités multiplié par le nombre de membres",
    ),
    Measure(
        key="news.acks",
        order=20,
        label="Accusés de lecture à temps",
        unit=PERCENT,
        by_school=acks_on_time_by_school,
        description="part des actualités à confirmer depuis la rentrée que l’école a confirmées avant la date demandée",
    ),
]
