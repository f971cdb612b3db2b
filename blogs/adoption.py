"""What blogs add to the adoption dashboard (accounts.adoption): posts published by the school's people."""

from accounts.adoption import COUNT, Measure, count_by_school
from ent.publication import PublicationStatus

from .models import Post


def posts_by_school(period) -> dict:
    posts = Post.objects.filter(status=PublicationStatus.PUBLISHED, published_at__gte=period.start_datetime)
    return count_by_school(posts, "author_id")


MEASURES = [
    Measure(
        key="blogs.posts",
        order=30,
        label="Billets de blog",
        unit=COUNT,
        by_school=posts_by_school,
        description="billets publiés depuis la rentrée par les membres de l’école",
    )
]
