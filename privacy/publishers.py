"""Every service that publishes photos or recordings, declared in one place.

Each publishing service calls ``privacy.services.check_publication(media, reach=…, publisher=…)``
with its own key; the check refuses an unregistered key, and ``tests/privacy/test_publishers.py``
walks every key registered here (refused without consent, published with it). A new publisher
therefore registers here — in its app's ``ready()`` — and the test fails until it is walked.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Publisher:
    key: str
    label: str
    service: str  # dotted path of the service that calls the check (for people and the docs)


_PUBLISHERS: dict[str, Publisher] = {}


def register(key: str, *, label: str, service: str) -> None:
    publisher = Publisher(key, label, service)
    existing = _PUBLISHERS.get(key)
    if existing is not None and existing != publisher:
        raise ValueError(f"Publisher {key!r} is already registered differently: {existing}")
    _PUBLISHERS[key] = publisher


def get(key: str) -> Publisher:
    try:
        return _PUBLISHERS[key]
    except KeyError:
        raise LookupError(f"Unregistered publisher {key!r}: call privacy.publishers.register()") from None


def all_publishers() -> list[Publisher]:
    return sorted(_PUBLISHERS.values(), key=lambda p: p.key)


# What a publisher made from media that a withdrawal takes down (an exported book): each function
# is called with the withheld ``MediaFile``s, in the withdrawal's transaction.
_TAKEDOWNS: dict[str, Callable] = {}


def register_takedown(key: str, takedown: Callable) -> None:
    _TAKEDOWNS[key] = takedown


def takedowns() -> list[Callable]:
    return [_TAKEDOWNS[key] for key in sorted(_TAKEDOWNS)]
