"""The "Accueil" panel: the person's latest unread notifications (hidden when there are none)."""

from . import selectors

SHOWN = 5


def home_panel_context(request) -> dict | None:
    unread = selectors.unread_count_for_request(request)  # shared with the bell: no extra query
    if not unread:
        return None
    notifications = selectors.latest_unread(user=request.user, limit=SHOWN)
    return {"notifications": notifications, "unread": unread, "others": unread - len(notifications)}
