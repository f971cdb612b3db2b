"""Panels of the "Accueil" page, contributed by the other apps.

An app registers a panel in its ``AppConfig.ready()``::

    from accounts import home
    home.register(home.Panel(key="news", order=10, template="news/home_panel.html", context=news_home_context))

``context(request)`` returns the panel's template context, or ``None`` to hide the panel. Each
panel's cost must not grow with the data: it is rendered on every visit to "Accueil".
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    key: str
    order: int
    template: str
    context: Callable


_PANELS: dict[str, Panel] = {}


def register(panel: Panel) -> None:
    _PANELS[panel.key] = panel


def panels_for(request) -> list[tuple[Panel, dict]]:
    rendered = []
    for panel in sorted(_PANELS.values(), key=lambda p: p.order):
        context = panel.context(request)
        if context is not None:
            rendered.append((panel, context))
    return rendered


# --- accounts' own panel ---------------------------------------------------------------------------
def app_links_panel(request) -> dict | None:
    """« Mes applis » on "Accueil": the outside services shown to the person, if any (cached: no query)."""
    from .selectors import app_links_for

    if not request.user.is_authenticated:
        return None
    app_links = app_links_for(user=request.user)
    return {"app_links": app_links} if app_links else None
