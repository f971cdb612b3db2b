"""The news section of a school's page: the newest posts addressed to it that the viewer may open."""

from . import selectors
from .permissions import feeds_visible_to


def structure_section_context(request, structure) -> dict | None:
    if not feeds_visible_to(request.user):
        return None
    return {"posts": selectors.structure_news(user=request.user, structure=structure)}
