"""The notebooks on "Accueil": those open today to which this person may add pages, kept per
person and day under the notebooks' version (``models.NOTEBOOKS_VERSION``)."""

from accounts.roles import kept_for

from . import selectors
from .models import NOTEBOOKS_VERSION


def open_notebooks_kept(request) -> list[str]:
    """The panel's HTML is kept under the version its notebooks are kept under."""
    return [NOTEBOOKS_VERSION]


def open_notebooks_panel(request):
    user = request.user
    if not user.is_authenticated:
        return None
    notebooks = kept_for(user, "notebooks:open", [NOTEBOOKS_VERSION], lambda: selectors.open_notebooks_for(user=user))
    if not notebooks:
        return None
    return {"notebooks": notebooks}
