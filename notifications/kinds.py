"""Kinds of notification: what an app tells people about, and how often it e-mails by default.

Each app registers its kinds once, in its ``AppConfig.ready()``::

    from notifications.kinds import Frequency, register

    register(
        "news.published",
        label="Nouvelle actualité",
        app_label="news",
        app_name="Actualités",
        default_frequency=Frequency.DAILY,
        receivers=lambda user: can_view_feed(user, Feed.PEDAGOGY),
    )

``receivers(user) -> bool`` says who can ever receive the kind, asking the app's own permissions
(the directors' information: directors and the district team; proposals to validate: the district
team). Without it, every signed-in person can. The registry drives the preferences page (one choice
per kind this person can receive, grouped by app) and the digests (grouped by app). ``notify()``
refuses a kind that was not registered.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", "Immédiatement"
    DAILY = "daily", "Résumé quotidien"
    WEEKLY = "weekly", "Résumé hebdomadaire"
    NEVER = "never", "Jamais"


def everyone(user) -> bool:
    """The default ``receivers``: every signed-in person can receive the kind."""
    return True


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    app_label: str
    app_name: str
    default_frequency: str
    # Not compared: registering again (a second ``ready()``) brings a new function of the same meaning.
    receivers: Callable = field(default=everyone, compare=False, repr=False)

    def can_receive(self, user) -> bool:
        """May this person ever be told of this kind (so be offered a choice about it)?"""
        return user is not None and user.is_authenticated and bool(self.receivers(user))


_KINDS: dict[str, Kind] = {}


def register(
    key: str,
    *,
    label: str,
    app_label: str,
    app_name: str,
    default_frequency: str,
    receivers: Callable | None = None,
) -> None:
    """Declare a kind of notification. Registering the same kind again with the same values is a no-op.

    ``receivers(user) -> bool``: who can receive it, from the app's permissions (default: everyone).
    """
    if not key or len(key) > 80:
        raise ValueError(f"A notification kind key has 1 to 80 characters: {key!r}")
    if default_frequency not in Frequency.values:
        raise ValueError(f"Unknown frequency for {key!r}: {default_frequency!r} (use notifications.kinds.Frequency)")
    if receivers is not None and not callable(receivers):
        raise TypeError(f"receivers of {key!r} must be a function of the person: {receivers!r}")
    kind = Kind(key, label, app_label, app_name, Frequency(default_frequency).value, receivers or everyone)
    existing = _KINDS.get(key)
    if existing is not None and existing != kind:
        raise ValueError(f"Notification kind {key!r} is already registered differently: {existing}")
    _KINDS[key] = kind


def get(key: str) -> Kind:
    """The registered kind, or ``LookupError`` (register it in the app's ``AppConfig.ready()``)."""
    try:
        return _KINDS[key]
    except KeyError:
        raise LookupError(f"Unregistered notification kind {key!r}: call notifications.kinds.register()") from None


def describe(key: str) -> Kind:
    """The kind for display: a kind no longer registered (its app was removed) still shows."""
    return _KINDS.get(key) or Kind(key, key, "", "Autres", Frequency.NEVER)


def all_kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda k: (k.app_name.casefold(), k.label.casefold()))


def receivable_by(user) -> list[Kind]:
    """The kinds this person can receive (:meth:`Kind.can_receive`), in :func:`all_kinds` order."""
    return [kind for kind in all_kinds() if kind.can_receive(user)]


def grouped_by_app(kinds=None) -> list[tuple[str, list[Kind]]]:
    """``[(app_name, [kind, …]), …]`` in a stable, alphabetical order."""
    groups: dict[str, list[Kind]] = {}
    for kind in sorted(
        kinds if kinds is not None else _KINDS.values(), key=lambda k: (k.app_name.casefold(), k.label.casefold())
    ):
        groups.setdefault(kind.app_name, []).append(kind)
    return list(groups.items())
