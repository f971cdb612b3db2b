"""What the messaging puts on "Accueil": the latest unread messages (one query, however many,
kept in the cache with the header's counts until the person's unread messages change)."""

from ent.header import kept_with_unread, unread_versions

from . import permissions, selectors

UNREAD_SHOWN = 5


def home_panel_kept(request) -> list[str]:
    """The panel's HTML is kept under the versions of the person's unread things (as the menu's count)."""
    return unread_versions(request.user.pk)


def home_panel_context(request):
    if not permissions.has_mailbox(request.user):
        return None
    user = request.user
    return {
        "unread": kept_with_unread(user, "mail:home", lambda: selectors.latest_unread(user=user, limit=UNREAD_SHOWN))
    }
