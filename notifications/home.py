"""The "Accueil" panel: the person's latest unread notifications (hidden when there are none),
kept in the cache with the header's counts until the person's unread notifications change."""

from ent.header import kept_with_unread, unread_versions

from . import selectors

SHOWN = 5


def home_panel_kept(request) -> list[str]:
    """The panel's HTML is kept under the versions of the person's unread things (as the bell's count)."""
    return unread_versions(request.user.pk)


def home_panel_context(request) -> dict | None:
    unread = selectors.unread_count_for_request(request)  # shared with the bell: no extra query
    if not unread:
        return None
    user = request.user
    notifications = kept_with_unread(
        user, "notifications:home", lambda: selectors.latest_unread(user=user, limit=SHOWN)
    )
    return {"notifications": notifications, "unread": unread, "others": unread - len(notifications)}
