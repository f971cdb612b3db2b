"""The news panel of "Accueil": the newest unread posts and the acknowledgements still owed."""

from . import selectors
from .permissions import feeds_visible_to


def home_panel_context(request):
    user = request.user
    if not feeds_visible_to(user):
        return None
    return {
        "unread": selectors.unread_posts(user=user, limit=5),
        "owed": selectors.acknowledgements_owed(user=user, limit=5),
    }
