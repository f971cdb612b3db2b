"""Values kept under a version: read again only when the data they come from changed.

A *version* is a random token in the shared cache, one per kind of data (``district``,
``holidays``, ``blog:12``…). The services that write that data call :func:`bump`: a new token
now, for the rest of this process's transaction, and another once the transaction commits, so that
a process that read the old data in between does not keep it under the new version. Two ways of
keeping a value:

- :class:`ProcessMemo`: in each process's memory (the district's name, the school holidays): a
  request pays one cache read, the version, and the database only after a change;
- :func:`cached`: in the shared cache, next to the versions it depends on (a blog's archive months
  and tags): one cache round trip reads the versions and the value together.

Without Redis (an outage, see ``ent.cache``) there is no version: nothing is kept and every read
goes to the database, as it would without these helpers.
"""

import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

KEPT_FOR = 7 * 24 * 3600  # a cached value nobody asks for leaves the cache after a week

#: What every value kept by :func:`cached` is stored under, before its ``what``.
CACHED_PREFIX = "ent:cached:"


def key(name: str) -> str:
    return f"ent:version:{name}"


def bump(*names: str) -> None:
    """The data of ``names`` changed: whatever was kept under their versions is read again."""

    def renew():
        cache.set_many({key(name): uuid.uuid4().hex for name in names}, None)

    renew()
    transaction.on_commit(renew)


def follow(name: str, *models, m2m=()) -> None:
    """Bump ``name`` whenever a row of ``models`` is saved or deleted, or a relation of the ``m2m``
    through models changes: through their signals, so that the services, the admin and the test
    factories all bump it. Bulk writes (``bulk_create``, ``update()``) send none: whoever makes
    them calls :func:`bump` (from an ``AppConfig.ready()``)."""

    def changed(sender, action="post_", **kwargs):
        if action.startswith("post_"):
            bump(name)

    for model in models:
        uid = f"ent.versions:{name}:{model._meta.label}"
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}:save")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}:delete")
    for through in m2m:
        m2m_changed.connect(
            changed, sender=through, weak=False, dispatch_uid=f"ent.versions:{name}:{through._meta.label}"
        )


def _versions(names: Iterable[str], found: dict) -> tuple | None:
    """The versions of ``names`` (made for those the cache lacks), or None if the cache is unreachable."""
    versions = []
    for name in names:
        version = found.get(key(name))
        if version is None:
            # No version yet (an empty cache): make one; another process that made its own first wins.
            cache.add(key(name), uuid.uuid4().hex, None)
            version = cache.get(key(name))
            if version is None:
                return None
        versions.append(version)
    return tuple(versions)


def current(name: str) -> str | None:
    """The version of ``name`` now (made if the cache had none), or None if the cache is unreachable."""
    versions = _versions([name], {key(name): cache.get(key(name))})
    return versions[0] if versions else None


class ProcessMemo:
    """One value per process, loaded by ``load()`` again when the version of ``name`` changed."""

    def __init__(self, name: str, load: Callable[[], Any]):
        self.name, self.load = name, load
        self._memo: tuple | None = None  # (version, value)

    @property
    def version_key(self) -> str:
        return key(self.name)

    def get(self):
        version = _versions([self.name], {key(self.name): cache.get(key(self.name))})
        memo = self._memo
        if version is not None and memo is not None and memo[0] == version:
            return memo[1]
        value = self.load()
        if version is not None:  # the cache unreachable: nothing is kept, the next request reads again
            self._memo = (version, value)
        return value


def cached(names: Iterable[str], what: str, compute: Callable[[], Any], timeout: int = KEPT_FOR):
    """``compute()``, kept in the shared cache under ``what`` until a version of ``names`` changes."""
    return cached_many([(names, what, compute, timeout)])[0]


def cached_many(entries: Iterable[tuple]) -> list:
    """Several :func:`cached` at once, ``(names, what, compute, timeout)`` each: one cache round
    trip reads every value and every version (Accueil's panels)."""
    entries = [(list(names), f"{CACHED_PREFIX}{what}", compute, timeout) for names, what, compute, timeout in entries]
    wanted = {value_key for _, value_key, _, _ in entries} | {key(n) for names, *_ in entries for n in names}
    found = cache.get_many(sorted(wanted))
    values = []
    for names, value_key, compute, timeout in entries:
        versions = _versions(names, found)
        entry = found.get(value_key)
        if versions is not None and entry is not None and entry[0] == versions:
            values.append(entry[1])
            continue
        value = compute()
        if versions is not None:
            cache.set(value_key, (versions, value), timeout)
        values.append(value)
    return values


def for_today(user_id: int, what: str) -> str:
    """The key of ``what`` for one person and today (``<what>:<pk>:<date>``): what depends on the day
    (a membership starting, a notebook closing) is read again the next day."""
    return f"{what}:{user_id}:{timezone.localdate().isoformat()}"


def cached_for_today(user_id: int, what: str, names: Iterable[str], compute: Callable[[], Any], timeout: int):
    """:func:`cached` for one person and today (:func:`for_today`)."""
    return cached(names, for_today(user_id, what), compute, timeout)
