"""What the messaging puts on "Accueil": the latest unread messages (one query, however many)."""

from . import permissions, selectors

UNREAD_SHOWN = 5


def home_panel_context(request):
    if not permissions.has_mailbox(request.user):
        return None
    return {"unread": selectors.latest_unread(user=request.user, limit=UNREAD_SHOWN)}
