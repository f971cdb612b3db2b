"""The blogs' section of a school's page: its blogs and the projects it takes part in."""

from accounts.models import Structure

from . import selectors
from .permissions import can_create_school_blog


def structure_section_context(request, structure) -> dict | None:
    """Left out for a team, and for a school with no blog this person may read or open."""
    if structure.kind != Structure.Kind.SCHOOL:
        return None
    blogs = selectors.structure_blogs(user=request.user, structure=structure)
    can_create = can_create_school_blog(request.user, structure)
    if not (blogs["school"] or blogs["projects"] or can_create):
        return None
    return {**blogs, "can_create": can_create}
