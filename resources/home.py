"""The library's panel on "Accueil": the documents new or updated for me (two queries)."""

from . import selectors


def home_panel_context(request) -> dict | None:
    if not request.user.is_authenticated:
        return None
    documents = selectors.new_for(request.user)
    if not documents:
        return None
    return {"documents": documents}
