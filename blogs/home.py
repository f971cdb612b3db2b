"""What the blogs put on "Accueil": the latest weekly tutorial (a panel), and in « À faire »:

* for the contributors of a weekly series (:func:`permissions.series_planned_by`), each of the
  next four school weeks without a post, « Semaine 15 : aucun tutoriel », linking to the form
  for that week (gone once a post takes the week);
* for those who moderate a blog (:func:`permissions.blogs_moderated_by`), its comments waiting
  for validation and its reported comments, linking to its moderation page (gone once decided).
"""

from django.urls import reverse
from django.utils import timezone

from accounts.home import TodoItem
from accounts.roles import viewer
from ent import versions

from . import selectors

MODERATED_BLOGS_SHOWN = 5


def latest_tutorial_kept(request) -> list[str]:
    """The panel's HTML is kept under the versions of the posts and blogs, and of the holidays (its
    week's label)."""
    return ["blogs:content", "holidays"]


def latest_tutorial_panel(request):
    post = selectors.latest_tutorial(user=request.user)
    return {"post": post} if post is not None else None


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


#: What the items say: the posts and blogs (the weeks taken, who moderates), the comments and
#: their reports (``selectors.blogs_todo_changed``, the apps' signals), the holidays (the weeks).
TODO_VERSIONS = ["blogs:content", "blogs:comments", "holidays"]


def todo_kept(request) -> list[str]:
    """« À faire »'s HTML is kept under the versions the items are kept under."""
    return TODO_VERSIONS


def todo_items(request) -> list[TodoItem]:
    """Kept in the cache per person (and their roles) and day, until a post, a blog, a comment, a
    report or a holiday changes (``TODO_VERSIONS``)."""
    user = request.user
    if not user.is_authenticated:
        return []
    return versions.cached(
        TODO_VERSIONS,
        f"blogs:todo:{user.pk}:{viewer(user).key}:{timezone.localdate().isoformat()}",
        lambda: _todo_items(user),
    )


def _todo_items(user) -> list[TodoItem]:
    items = []
    series, blogs = selectors.blogs_todo(user=user, limit=MODERATED_BLOGS_SHOWN)
    for empty in selectors.series_empty_weeks(user=user, series=series):
        url = reverse("blogs:post-create", args=[empty.blog.slug]) + f"?semaine={empty.week.monday.isoformat()}"
        text = f"Semaine {empty.week.number} : aucun tutoriel"
        items.append(TodoItem(text=text, url=url, detail=empty.week.dates_label, group=empty.blog.title))
    for blog in blogs:
        url = reverse("blogs:moderation", args=[blog.slug])
        if blog.pending:
            text = _plural(blog.pending, "commentaire à valider", "commentaires à valider")
            items.append(TodoItem(text=text, url=url, detail=blog.title))
        if blog.reported:
            text = _plural(blog.reported, "commentaire signalé", "commentaires signalés")
            items.append(TodoItem(text=text, url=url, detail=blog.title))
    if blogs.others:
        text = "et " + _plural(blogs.others, "autre blog à modérer", "autres blogs à modérer")
        items.append(TodoItem(text=text, url=reverse("blogs:blog-list")))
    return items
