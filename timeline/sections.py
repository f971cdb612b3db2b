"""The frise's section of a school's page: the coming events that concern it."""

from . import selectors


def structure_section_context(request, structure) -> dict | None:
    if not request.user.is_authenticated:
        return None
    return {"events": selectors.structure_events(user=request.user, structure=structure)}
