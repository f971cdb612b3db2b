"""The projects a consent request may name, offered by the apps that hold them.

A feature app registers, in its ``ready()``, where its projects of a school are found::

    projects.register(ConsentRequest.Project.NOTEBOOK, lambda school: notebooks_of_school(school))

so that ``privacy`` knows no feature model: the request form offers the registered projects of its
school, and a request keeps the chosen object (a generic relation).
"""

from collections.abc import Callable

_SOURCES: dict[str, Callable] = {}


def register(project: str, source: Callable) -> None:
    """``source(school)`` returns that school's projects of this kind (model instances with a ``str``)."""
    _SOURCES[project] = source


def projects_of(school) -> dict[str, list]:
    return {kind: list(source(school)) for kind, source in _SOURCES.items()}


# What a holder of media (a page, a post, a message) is published as: its project and its reach,
# so that a withdrawal hides only the media no consent covers any more.
_HOLDERS: dict[str, tuple[Callable, Callable]] = {}


def register_holder(model, *, project: Callable, reach: Callable | None = None) -> None:
    """``project(holder)`` → the notebook, blog or post the media is published in (or None);
    ``reach(holder)`` → its ``Channel`` (default: inside the ENT)."""
    _HOLDERS[model._meta.label_lower] = (project, reach or (lambda holder: "ent"))


def publication_of(holder) -> tuple[object, str]:
    """(project, reach) of a holder; an unregistered one: (None, "ent")."""
    project, reach = _HOLDERS.get(type(holder)._meta.label_lower, (lambda h: None, lambda h: "ent"))
    return project(holder), reach(holder)
