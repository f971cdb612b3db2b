"""What news puts on "Accueil": the panel of unread posts, and the « À faire » items.

* the district team: the proposals to validate (:func:`permissions.can_review_proposals`);
* the authors of directors' posts and the IEN: the acknowledgements still missing, « n / N
  écoles », each linking to its dashboard (:func:`permissions.follows_acknowledgements`);
* directors: the acknowledgements they owe (:func:`permissions.is_asked_for_acknowledgements`).

Each item goes once the work is done: the proposal published or sent back, the last school
acknowledged, the director's acknowledgement given.

A person's unread posts and the acknowledgements they owe are kept per person
(``accounts.roles.kept_for``) under the version of the posts and acknowledgements
(``models.NEWS_VERSION``, bumped by their signals and by the services' bulk writes) and of the
person's reads (``models.reads_version``, bumped when they open a post).
"""

from django.urls import reverse
from django.utils.formats import date_format

from accounts.home import TodoItem
from accounts.roles import kept_for

from . import permissions, selectors
from .models import NEWS_VERSION, Feed, reads_version

UNREAD_SHOWN = 5
FOLLOWED_SHOWN = 3
OWED_SHOWN = 5


def home_panel_kept(request) -> list[str]:
    """The panel's HTML is kept under the versions its unread posts are kept under."""
    return [NEWS_VERSION, reads_version(request.user.pk)]


def home_panel_context(request):
    user = request.user
    if not permissions.feeds_visible_to(user):
        return None
    unread = kept_for(
        user,
        "news:unread",
        [NEWS_VERSION, reads_version(user.pk)],
        lambda: selectors.unread_posts(user=user, limit=UNREAD_SHOWN),
    )
    return {"unread": unread}


def todo_kept(request) -> list[str]:
    """« À faire »'s items are kept under the posts' and acknowledgements' version (what they say
    and who sees them: the person's memberships, which ``kept_for`` adds)."""
    return [NEWS_VERSION]


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


def _due(post) -> str:
    return f"avant le {date_format(post.ack_due_date, 'l j F Y')}" if post.ack_due_date else ""


def todo_items(request) -> list[TodoItem]:
    user = request.user
    items: list[TodoItem] = []
    if permissions.can_review_proposals(user):
        proposals = selectors.proposals_to_review(limit=1)
        if proposals.total:
            oldest = proposals.items[0]
            items.append(
                TodoItem(
                    text=_plural(proposals.total, "proposition à valider", "propositions à valider"),
                    url=oldest.get_absolute_url() if proposals.total == 1 else reverse("news:write"),
                    detail=f"« {oldest.title} »" if proposals.total == 1 else f"La plus ancienne : « {oldest.title} »",
                )
            )
    if permissions.follows_acknowledgements(user):
        group = "Accusés de lecture manquants"
        missing = selectors.acknowledgements_missing(user=user, limit=FOLLOWED_SHOWN)
        for post in missing:
            items.append(
                TodoItem(
                    text=f"{post.title} : {post.acknowledged} / {post.expected} écoles",
                    url=reverse("news:acknowledgements", args=[post.pk]),
                    detail=_due(post),
                    group=group,
                )
            )
        if missing.others:
            url = reverse("news:feed", args=[Feed.DIRECTORS])
            items.append(TodoItem(text="et " + _plural(missing.others, "autre", "autres"), url=url, group=group))
    if permissions.is_asked_for_acknowledgements(user):
        # Kept as the items themselves: a few strings are quicker to read back than the posts.
        items.extend(kept_for(user, "news:owed", [NEWS_VERSION], lambda: _owed_items(user)))
    return items


def _owed_items(user) -> list[TodoItem]:
    group = "Accusés de lecture attendus"
    owed = selectors.acknowledgements_owed(user=user, limit=OWED_SHOWN)
    items = [TodoItem(text=post.title, url=post.get_absolute_url(), detail=_due(post), group=group) for post in owed]
    if owed.others:
        url = reverse("news:feed", args=[Feed.DIRECTORS])
        items.append(TodoItem(text="et " + _plural(owed.others, "autre", "autres"), url=url, group=group))
    return items
