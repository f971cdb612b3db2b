"""Permission rules written once and read two ways: as a ``Q`` for lists, as a check for one object.

A "may this person see…" rule has two halves — the ``Q`` that keeps the rows of a list, and the
``can_…`` answer for the one object a page opened — and when each is written by hand they drift
apart. A :class:`Predicate` is the rule itself; both halves are read from it (the same idea as
Kolibri's permission classes, where ``IsOwn("user_id")`` gives the filter and the check)::

    published = where(status__in=["publie", "archive"], published_at__lte=now)
    rule = where(feed__in=feeds) & (where(author_id=user.pk) | published)
    Post.objects.filter(rule.q())   # the list
    rule.check(post)                # the one object: the same answer, row by row

Building blocks:

* :func:`where` — field lookups, as in ``filter()``: ``exact``, ``in``, ``lt``, ``lte``, ``gt``,
  ``gte``, ``isnull``, across foreign keys with ``__`` (``blog__is_public``);
* :data:`EVERYTHING` and :data:`NOTHING`;
* ``&``, ``|`` (the check short-circuits left to right: put the cheap test first);
* :func:`related` — a rule about a related object (``related("blog", readers)``);
* :func:`pair` — a leaf whose two halves are written by another module that keeps them in step
  itself (``accounts.audiences.addressed_to``, a many-to-many subquery);
* :meth:`Predicate.remembered` — keep the check's answer on the object (one query per object and
  person however many times a page asks).

``q(prefix)`` takes the lookup path from the queried model (``"post__"``), as ``audience_filter``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

_OPERATORS = {
    "exact": lambda value, arg: value == arg,
    "in": lambda value, arg: value is not None and value in arg,
    "lt": lambda value, arg: value is not None and value < arg,
    "lte": lambda value, arg: value is not None and value <= arg,
    "gt": lambda value, arg: value is not None and value > arg,
    "gte": lambda value, arg: value is not None and value >= arg,
    "isnull": lambda value, arg: (value is None) == bool(arg),
}
_MISSING = object()


class Predicate:
    """A rule about objects of one model: :meth:`q` for querysets, :meth:`check` for one object."""

    def q(self, prefix: str = "") -> Q:
        raise NotImplementedError

    def check(self, obj) -> bool:
        raise NotImplementedError

    def __and__(self, other: "Predicate") -> "Predicate":
        return _All((self, other))

    def __or__(self, other: "Predicate") -> "Predicate":
        return _Any((self, other))

    def remembered(self, key: str, person_id) -> "Predicate":
        """The same rule, whose check is computed once per object and person (kept in ``obj.__dict__``)."""
        return _Remembered(self, key, person_id)


@dataclass(frozen=True)
class _Constant(Predicate):
    value: bool

    def q(self, prefix: str = "") -> Q:
        return Q() if self.value else Q(pk__in=[])

    def check(self, obj) -> bool:
        return self.value


EVERYTHING: Predicate = _Constant(True)
NOTHING: Predicate = _Constant(False)


@dataclass(frozen=True)
class _Lookup(Predicate):
    path: tuple[str, ...]
    operator: str
    arg: Any

    def q(self, prefix: str = "") -> Q:
        lookup = "__".join(self.path) + ("" if self.operator == "exact" else f"__{self.operator}")
        return Q(**{f"{prefix}{lookup}": self.arg})

    def check(self, obj) -> bool:
        value = obj
        for name in self.path:
            value = getattr(value, name, _MISSING) if value is not None else None
            if value is _MISSING:
                raise AttributeError(f"{type(obj).__name__} has no {'.'.join(self.path)}")
        return _OPERATORS[self.operator](value, self.arg)


def where(**lookups) -> Predicate:
    """Every lookup holds (like ``filter(**lookups)``); a lookup ends with an operator or means ``exact``."""
    parts = []
    for key, arg in lookups.items():
        *path, last = key.split("__")
        if last in _OPERATORS and path:
            operator = last
        else:
            path, operator = [*path, last], "exact"
        if operator == "in":
            arg = tuple(arg)
        parts.append(_Lookup(tuple(path), operator, arg))
    if not parts:
        return EVERYTHING
    return parts[0] if len(parts) == 1 else _All(tuple(parts))


@dataclass(frozen=True)
class _All(Predicate):
    parts: tuple[Predicate, ...]

    def q(self, prefix: str = "") -> Q:
        result = Q()
        for part in self.parts:
            result &= part.q(prefix)
        return result

    def check(self, obj) -> bool:
        return all(part.check(obj) for part in self.parts)


@dataclass(frozen=True)
class _Any(Predicate):
    parts: tuple[Predicate, ...]

    def q(self, prefix: str = "") -> Q:
        result = None
        for part in self.parts:
            if part is NOTHING:
                continue
            part_q = part.q(prefix)
            if not part_q:  # an empty Q keeps every row: so does the whole alternative
                return Q()
            result = part_q if result is None else result | part_q
        return Q(pk__in=[]) if result is None else result

    def check(self, obj) -> bool:
        return any(part.check(obj) for part in self.parts)


@dataclass(frozen=True)
class _Related(Predicate):
    name: str
    rule: Predicate

    def q(self, prefix: str = "") -> Q:
        return self.rule.q(f"{prefix}{self.name}__")

    def check(self, obj) -> bool:
        related_obj = getattr(obj, self.name)
        return related_obj is not None and self.rule.check(related_obj)


def related(name: str, rule: Predicate) -> Predicate:
    """``rule`` holds for the object at the foreign key ``name`` (``related("blog", readers)``)."""
    return _Related(name, rule)


@dataclass(frozen=True)
class _Pair(Predicate):
    make_q: Callable[[str], Q]
    make_check: Callable[[Any], bool]

    def q(self, prefix: str = "") -> Q:
        return self.make_q(prefix)

    def check(self, obj) -> bool:
        return self.make_check(obj)


def pair(*, q: Callable[[str], Q], check: Callable[[Any], bool]) -> Predicate:
    """A leaf given by both halves, for what lookups cannot say (a subquery, an audience).

    Its author keeps the two halves in step and tests that they agree.
    """
    return _Pair(q, check)


@dataclass(frozen=True)
class _Remembered(Predicate):
    rule: Predicate
    key: str
    person_id: Any

    def q(self, prefix: str = "") -> Q:
        return self.rule.q(prefix)

    def check(self, obj) -> bool:
        answers = obj.__dict__.setdefault(self.key, {})
        if self.person_id not in answers:
            answers[self.person_id] = self.rule.check(obj)
        return answers[self.person_id]
