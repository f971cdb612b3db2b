"""The notebooks on "Accueil": those open today to which this person may add pages."""

from . import selectors


def open_notebooks_panel(request):
    if not request.user.is_authenticated:
        return None
    notebooks = selectors.open_notebooks_for(user=request.user)
    if not notebooks:
        return None
    return {"notebooks": notebooks}
