"""Blogs in the search: « Billets de blog », and « Tutoriels » for the posts of a weekly series
(« L'outil numérique de la semaine »); both read through :func:`blogs.permissions.posts_visible_to`."""

from blogs import permissions
from blogs.models import Post
from search.index import entry_provider, index_refresh, index_remove, reindex_all
from search.registry import register

KIND = "blogs"
KIND_TUTORIAL = "tutoriels"


def post_index(post: Post) -> None:
    """The post's search entry, under « Tutoriels » for a weekly series (called by the services)."""
    blog = post.blog
    tags = ", ".join(tag.name for tag in post.tags.all())
    kind, other = (KIND_TUTORIAL, KIND) if blog.is_weekly_series else (KIND, KIND_TUTORIAL)
    index_remove(kind=other, object_id=post.pk)
    index_refresh(
        kind=kind,
        object_id=post.pk,
        title=post.title,
        body=str(post.body.html),
        place=f"{blog.title} — {tags}" if tags else blog.title,
        url=post.get_absolute_url(),
        date=post.published_at or post.created_at,
    )


def blog_posts_index(blog) -> int:
    """Rewrite the entries of a blog's posts (their place is the blog's title, their kind follows
    whether it is a weekly series): called by ``blog_update`` when either changes, in its transaction."""
    return reindex_all(Post.objects.filter(blog=blog).select_related("blog").prefetch_related("tags"), post_index)


def post_unindex(post_id: int) -> None:
    index_remove(kind=KIND, object_id=post_id)
    index_remove(kind=KIND_TUTORIAL, object_id=post_id)


def _visible(user):
    return Post.objects.filter(permissions.posts_visible_to(user)).values("pk")


register(entry_provider(kind=KIND_TUTORIAL, label="Tutoriels", order=15, visible=_visible))
register(
    entry_provider(
        kind=KIND,
        label="Billets de blog",
        order=20,
        visible=_visible,
        reindex=lambda: reindex_all(Post.objects.select_related("blog").prefetch_related("tags"), post_index),
    )
)
