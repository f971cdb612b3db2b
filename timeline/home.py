"""The frise's panel on "Accueil": the next events and the deadlines due within 15 days."""

from . import selectors


def home_panel_context(request) -> dict | None:
    if not request.user.is_authenticated:
        return None
    summary = selectors.home_summary(user=request.user)
    return {"summary": summary}
