"""What "Accueil" shows, contributed by the other apps: their panels and the person's « À faire ».

An app registers a panel in its ``AppConfig.ready()``::

    from accounts import home
    home.register(home.Panel(key="news", order=10, template="news/home_panel.html", context=news_home_context))

``context(request)`` returns the panel's template context, or ``None`` to hide the panel.

An app registers what a person has to do the same way::

    home.register_todo(home.TodoSource(key="news", order=10, items=news_todo_items))

``items(request)`` returns a list of :class:`TodoItem` (empty when there is nothing to do). Each
item links to the page where the work is done, and the app's selector stops returning it once the
work is done. Which person gets which items is asked to the app's ``permissions.py``; accounts
knows no feature app. The « À faire » panel (``templates/accounts/home_todo.html``) lists every
source's items in ``order``; items of one source sharing a ``group`` are listed under it.

Each panel's and each source's cost must not grow with the data: they run on every visit to
"Accueil" (the tests pin the page's query count at N and 10×N rows).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    key: str
    order: int
    template: str
    context: Callable


@dataclass(frozen=True)
class TodoItem:
    """One thing to do: « 1 proposition à valider », « Semaine 15 : aucun tutoriel »…

    ``text`` is the link to where it is done (``url``); ``detail`` says more in a line (a title, a
    date); ``group`` gathers items of one kind under a heading (« Accusés de lecture attendus »).
    """

    text: str
    url: str
    detail: str = ""
    group: str = ""


@dataclass(frozen=True)
class TodoSource:
    key: str
    order: int
    items: Callable


_PANELS: dict[str, Panel] = {}
_TODO_SOURCES: dict[str, TodoSource] = {}


def register(panel: Panel) -> None:
    _PANELS[panel.key] = panel


def register_todo(source: TodoSource) -> None:
    _TODO_SOURCES[source.key] = source


def panels_for(request) -> list[tuple[Panel, dict]]:
    rendered = []
    for panel in sorted(_PANELS.values(), key=lambda p: p.order):
        context = panel.context(request)
        if context is not None:
            rendered.append((panel, context))
    return rendered


def todo_for(request) -> list[TodoItem]:
    """Everything this person has to do, source after source."""
    items: list[TodoItem] = []
    for source in sorted(_TODO_SOURCES.values(), key=lambda s: s.order):
        items.extend(source.items(request))
    return items


# --- accounts' own panel ---------------------------------------------------------------------------
def app_links_panel(request) -> dict | None:
    """« Mes applis » on "Accueil": the outside services shown to the person, if any (cached: no query)."""
    from .selectors import app_links_for

    if not request.user.is_authenticated:
        return None
    app_links = app_links_for(user=request.user)
    return {"app_links": app_links} if app_links else None


def adoption_panel(request) -> dict | None:
    """A link to « Tableau de bord » for those who may see it (the district team)."""
    from .permissions import can_view_adoption

    return {} if can_view_adoption(request.user) else None
