"""The frise's drawing (its SVG and its list), rendered once and kept in the shared cache.

At académie scale a year's frise draws thousands of marks: rendering them is most of the page's
cost (``make bench``, docs/architecture/perf.md). The rendered HTML of the drawing — not the page
around it, not the filter form, nothing with a CSRF token — is kept under a key made of:

* the school year, the period and the categories shown;
* today's date (the « Aujourd’hui » line, and a new key each day);
* the viewer's audience (``selectors.events_audience_key``): people who see the same events share
  an entry, people who would see different ones never do;
* the version of the timeline's data (``FRISE_VERSION_KEY``, one integer in the cache), which
  every write of events or school holidays bumps (:func:`frise_changed`).

The drawing holds nothing personal: event pages' addresses, dates, titles, places, schools — the
same for everyone who sees the event (no read marks, no calendar token).

What no version bump follows: a school renamed (its name is printed with its events). An entry
lives :data:`FRAGMENT_TIMEOUT` seconds at most, so such a change shows within the hour.
"""

import secrets
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from . import selectors
from .dates import SchoolYear
from .presenters import FriseHead, frise_head

FRISE_VERSION_KEY = "timeline:frise-version"
FRAGMENT_TIMEOUT = 60 * 60
DRAWING_TEMPLATE = "timeline/frise.html#frise-drawing"


def _new_version() -> int:
    # Not 1: should the version key be evicted (or the cache emptied) while entries made under an
    # old version survive, a random start does not meet them again.
    return secrets.randbits(48)


def frise_version() -> int:
    version = cache.get(FRISE_VERSION_KEY)
    if version is None:
        cache.add(FRISE_VERSION_KEY, _new_version(), None)
        version = cache.get(FRISE_VERSION_KEY)
    return version if version is not None else _new_version()  # cache unreachable: a key met by no one


def _bump() -> None:
    try:
        cache.incr(FRISE_VERSION_KEY)
    except ValueError:  # no version yet (or the cache unreachable): a fresh one
        cache.set(FRISE_VERSION_KEY, _new_version(), None)


def frise_changed() -> None:
    """Events or school holidays changed: every cached drawing is stale.

    Bumped now, so that this transaction's own later reads (and a test's, inside its transaction)
    do not meet the old drawing; and again once the transaction commits, because another request
    may render between the two from the data as it was before the commit and keep it under the
    version of the first bump. Outside a transaction, ``on_commit`` runs at once (a second bump,
    harmless).
    """
    _bump()
    transaction.on_commit(_bump)


@dataclass(frozen=True)
class FriseDrawing:
    head: FriseHead
    html: SafeString
    cached: bool


def fragment_key(*, user, year: SchoolYear, period_key: str, categories, today: date) -> str:
    return ":".join(
        [
            "timeline:frise",
            str(frise_version()),
            str(year.start_year),
            period_key,
            ",".join(sorted(categories)) or "-",
            today.isoformat(),
            selectors.events_audience_key(user),
        ]
    )


def frise_drawing(*, user, year: SchoolYear, period_key: str, categories, today: date) -> FriseDrawing:
    """The frise's drawing as this person sees it, from the cache when someone with the same audience
    saw it since the last change."""
    period = year.period(period_key)
    categories = list(categories)
    key = fragment_key(user=user, year=year, period_key=period.key, categories=categories, today=today)
    kept = cache.get(key)
    if kept is not None:
        html, event_count = kept
        head = frise_head(year=year, period=period, categories=categories, event_count=event_count)
        return FriseDrawing(head=head, html=mark_safe(html), cached=True)  # noqa: S308 - our own rendering of the template
    frise = selectors.frise(user=user, year=year, period_key=period.key, categories=categories, today=today)
    # Rendered without the request: nothing personal (no CSRF token, no user) can get into it.
    html = render_to_string(DRAWING_TEMPLATE, {"frise": frise})
    cache.set(key, (str(html), frise.event_count), FRAGMENT_TIMEOUT)
    return FriseDrawing(head=frise.head, html=mark_safe(html), cached=False)  # noqa: S308 - our own rendering of the template
