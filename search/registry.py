"""The providers of the search: one per kind of result, registered by the app that owns it.

An app's ``search.py`` calls :func:`register` with a :class:`Provider`; its ``search(user, query)``
returns the matching rows **starting from the app's own ``*_visible_to(user)`` filter**, ordered
by relevance then date, as a lazy queryset (or a list for what is not in the database), so that
the page reads a cut of it in one query (``ent.lists.first_of``) or a page of it. ``present(row,
query, user)`` turns a row into a :class:`Result`. See ``docs/architecture/search.md``.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.safestring import SafeString

from search.text import Query


@dataclass(frozen=True)
class Result:
    title: SafeString  # highlighted
    url: str
    excerpt: SafeString = SafeString("")
    date: dt.date | dt.datetime | None = None
    place: str = ""


@dataclass(frozen=True)
class Provider:
    kind: str  # "news", "blogs", … the ``type`` of the URL
    label: str  # « Actualités »
    order: int
    search: Callable  # (user, Query) -> QuerySet | list, ordered by relevance then date
    present: Callable  # (row, Query, user) -> Result
    available: Callable = field(default=lambda user: True)  # shown at all to this person
    reindex: Callable | None = None  # () -> int: writes every entry again (``manage.py search_reindex``)


_providers: dict[str, Provider] = {}


def register(provider: Provider) -> Provider:
    _providers[provider.kind] = provider
    return provider


def providers(user=None) -> list[Provider]:
    found = sorted(_providers.values(), key=lambda p: p.order)
    return [p for p in found if user is None or p.available(user)]


def get(kind: str) -> Provider | None:
    return _providers.get(kind)


__all__ = ["Provider", "Query", "Result", "get", "providers", "register"]
