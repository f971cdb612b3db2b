"""News in the search: « Actualités », read through :func:`news.permissions.posts_visible_to`."""

from news import permissions
from news.models import Post
from search.index import entry_provider, index_refresh, index_remove, reindex_all
from search.registry import register

KIND = "actualites"


def post_index(post: Post) -> None:
    """The post's search entry (called by the services that write a post)."""
    index_refresh(
        kind=KIND,
        object_id=post.pk,
        title=post.title,
        body=" ".join([post.summary or "", str(post.body.html)]),
        place=post.get_feed_display(),
        url=post.get_absolute_url(),
        date=post.published_at or post.created_at,
    )


def post_unindex(post_id: int) -> None:
    index_remove(kind=KIND, object_id=post_id)


register(
    entry_provider(
        kind=KIND,
        label="Actualités",
        order=10,
        reindex=lambda: reindex_all(Post.objects.all(), post_index),
        visible=lambda user: Post.objects.filter(permissions.posts_visible_to(user)).values("pk"),
    )
)
