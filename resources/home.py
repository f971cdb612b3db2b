"""The library's panel on "Accueil": the documents new or updated for me (two queries), kept per
person under the versions of the library and of the person's reads (``models``)."""

from accounts.roles import kept_for

from . import selectors
from .models import RESOURCES_VERSION, reads_version


def home_panel_kept(request) -> list[str]:
    """The panel's HTML is kept under the versions its documents are kept under."""
    return [RESOURCES_VERSION, reads_version(request.user.pk)]


def home_panel_context(request) -> dict | None:
    user = request.user
    if not user.is_authenticated:
        return None
    documents = kept_for(
        user, "resources:new", [RESOURCES_VERSION, reads_version(user.pk)], lambda: selectors.new_for(user)
    )
    if not documents:
        return None
    return {"documents": documents}
