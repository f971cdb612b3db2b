"""What "Accueil" shows, contributed by the other apps: their panels and the person's « À faire ».

An app registers a panel in its ``AppConfig.ready()``::

    from accounts import home
    home.register(home.Panel(key="news", order=10, template="news/home_panel.html", context=news_home_context))

``context(request)`` returns the panel's template context, or ``None`` to hide the panel.

A panel whose drawing costs (a list of posts, events, messages) says under which versions
(``ent.versions``) its HTML may be kept: ``kept=lambda request: [NEWS_VERSION, ...]``, the
versions of *everything* it draws (``ent.fragments.kept_for``: per person and day, with their
memberships' versions, 15 minutes at most). The context is then read and the panel drawn only when
one of them changed. A panel without ``kept`` is drawn on every visit.

An app registers what a person has to do the same way::

    home.register_todo(home.TodoSource(key="news", order=10, items=news_todo_items))

``items(request)`` returns a list of :class:`TodoItem` (empty when there is nothing to do). Each
item links to the page where the work is done, and the app's selector stops returning it once the
work is done. Which person gets which items is asked to the app's ``permissions.py``; accounts
knows no feature app. The « À faire » panel (``templates/accounts/home_todo.html``) lists every
source's items in ``order``; items of one source sharing a ``group`` are listed under it. Like a
panel, a source says under which versions its items may be kept (``kept=``); when every source
does, « À faire » is kept as HTML under all of them, read in the same round trip as the panels.

Each panel's and each source's cost must not grow with the data: they run on every visit to
"Accueil" (the tests pin the page's query count at N and 10×N rows).
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    key: str
    order: int
    template: str
    context: Callable
    kept: Callable | None = None  # kept(request): the versions of what the panel draws (see above)
    kept_timeout: int | None = None  # fragments.RELATIVE_TIMES for a panel saying « il y a 5 minutes »


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
    kept: Callable | None = None  # kept(request): the versions of what the items say (as a panel's)


_PANELS: dict[str, Panel] = {}
_TODO_SOURCES: dict[str, TodoSource] = {}


def register(panel: Panel) -> None:
    _PANELS[panel.key] = panel


def register_todo(source: TodoSource) -> None:
    _TODO_SOURCES[source.key] = source


TODO_TEMPLATE = "accounts/home_todo.html"


def parts_for(request) -> tuple[str, list[str]]:
    """The HTML of « À faire » ("" when there is nothing to do) and of each panel shown to this
    person, in ``order`` (the hidden ones left out). What may be kept is read in one round trip."""
    from ent import fragments

    panels = sorted(_PANELS.values(), key=lambda p: p.order)
    kept = [panel for panel in panels if panel.kept is not None]
    parts = [
        (
            f"home:{panel.key}",
            panel.kept(request),
            panel.template,
            functools.partial(_panel_context, panel, request),
            panel.kept_timeout,
        )
        for panel in kept
    ]
    todo_names = _todo_kept(request)
    if todo_names is not None:
        parts.append(("home:todo", todo_names, TODO_TEMPLATE, functools.partial(_todo_context, request), None))
    kept_html = fragments.kept_many(request, parts)
    todo_html = kept_html.pop() if todo_names is not None else None
    html_of = dict(zip((panel.key for panel in kept), kept_html, strict=True))
    drawn = []
    for panel in panels:
        html = html_of.get(panel.key)
        if html is None:
            html = fragments.with_token(
                request, fragments.draw(request, panel.template, _panel_context(panel, request))
            )
        if html.strip():
            drawn.append(html)
    if todo_html is None:
        todo_html = fragments.draw(request, TODO_TEMPLATE, _todo_context(request))
    return fragments.with_token(request, todo_html.strip()), drawn


def _panel_context(panel: Panel, request) -> dict | None:
    context = panel.context(request)
    return None if context is None else {"panel": context}


def _todo_kept(request) -> list[str] | None:
    """The versions of every source's items, or ``None`` when one source may not be kept."""
    names: dict[str, None] = {}
    for source in _TODO_SOURCES.values():
        if source.kept is None:
            return None
        names.update(dict.fromkeys(source.kept(request)))
    return list(names)


def _todo_context(request) -> dict:
    return {"todo": todo_for(request)}


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


def app_links_kept(request) -> list[str]:
    """The panel's HTML is kept under the links' version (and the person's memberships': their audience)."""
    from .models import APP_LINKS_VERSION

    return [APP_LINKS_VERSION]


def adoption_panel(request) -> dict | None:
    """A link to « Tableau de bord » for those who may see it (the district team)."""
    from .permissions import can_view_adoption

    return {} if can_view_adoption(request.user) else None
