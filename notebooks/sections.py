"""The notebooks' section of a school's page (``accounts.structure_page``)."""

from . import selectors


def structure_section_context(request, structure):
    if not request.user.is_authenticated:
        return None
    notebooks = selectors.structure_notebooks(user=request.user, structure=structure)
    if not notebooks:
        return None
    return {"notebooks": notebooks}
