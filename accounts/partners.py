"""Schools that share a project: a registry the feature apps fill, read by whoever needs it.

The messaging lets a director or a teacher write to the schools they "share a project with"; what
a project is belongs to the feature apps (a project blog co-owned by several schools in ``blogs``,
a news project post several schools registered to in ``news``). ``accounts`` depends on no feature
app, so each of them registers, from its ``AppConfig.ready()``, a function of its own selectors::

    partners.register(selectors.project_partner_schools)

taking a set of structure ids and returning the ids of the schools sharing one of its projects
with one of them. :func:`partner_schools` asks every registered function (each one or two queries)
and leaves out the given structures themselves.
"""

from collections.abc import Callable, Iterable

_registry: list[Callable[[frozenset], Iterable[int]]] = []


def register(fn: Callable[[frozenset], Iterable[int]]) -> None:
    """Declare a source of partner schools (idempotent)."""
    if fn not in _registry:
        _registry.append(fn)


def unregister(fn) -> None:
    """For tests."""
    if fn in _registry:
        _registry.remove(fn)


def partner_schools(structure_ids: Iterable[int]) -> set[int]:
    """The ids of the schools sharing a project with one of these structures (not themselves)."""
    ids = frozenset(structure_ids)
    if not ids:
        return set()
    found: set[int] = set()
    for fn in _registry:
        found.update(fn(ids))
    return found - ids
