"""The frise's drawing (its SVG and its list), rendered once and kept in the shared cache.

At académie scale a year's frise draws thousands of marks: rendering them is most of the page's
cost (``make bench``, docs/architecture/perf.md). The rendered HTML of the drawing — not the page
around it, not the filter form, nothing with a CSRF token — is kept under a key made of:

* the school year, the period, the categories and the list's page shown;
* today's date (the « Aujourd’hui » line, and a new key each day);
* the viewer's audience (``selectors.events_audience_key``): people who see the same events share
  an entry, people who would see different ones never do;
* and, through ``ent.versions.cached``, the versions of the events (``timeline``: :func:`frise_changed`,
  called by the signals of ``Event`` and its audience) and of the school holidays (``holidays``),
  both bumped whoever writes the rows (a service, the admin, a factory); ``bulk_create`` sends no
  signal, so the benchmark's bulk copy calls :func:`frise_changed` itself.

The drawing holds nothing personal: event pages' addresses, dates, titles, places, schools — the
same for everyone who sees the event (no read marks, no calendar token).

What no version bump follows: a school renamed (its name is printed with its events). An entry
lives :data:`FRAGMENT_TIMEOUT` seconds at most, so such a change shows within the hour.
"""

from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from ent import versions

from . import selectors
from .dates import SchoolYear
from .presenters import FriseHead, frise_head

FRISE_VERSION_KEY = versions.key("timeline")
FRAGMENT_TIMEOUT = 60 * 60
DRAWING_TEMPLATE = "timeline/frise.html#frise-drawing"


def frise_version() -> str | None:
    return versions.current("timeline")


def frise_changed() -> None:
    """Events changed: every cached drawing (and Accueil's next events) is stale (``ent.versions.bump``: now, so that this
    transaction's own later reads do not meet the old drawing, and again once it commits, because
    another request may render between the two from the data as it was before the commit). The
    holidays have their own version, bumped by their rows' signals (``timeline.apps``)."""
    versions.bump("timeline")


@dataclass(frozen=True)
class FriseDrawing:
    head: FriseHead
    html: SafeString
    cached: bool


def fragment_key(*, user, year: SchoolYear, period_key: str, categories, today: date, page=None) -> str:
    """What names a drawing besides the versions of the events and the holidays."""
    return ":".join(
        [
            "timeline:frise",
            str(year.start_year),
            period_key,
            ",".join(sorted(categories)) or "-",
            str(page or "-"),
            today.isoformat(),
            selectors.events_audience_key(user),
        ]
    )


def frise_drawing(*, user, year: SchoolYear, period_key: str, categories, today: date, page=None) -> FriseDrawing:
    """The frise's drawing as this person sees it, from the cache when someone with the same audience
    saw it since the last change of the events or the holidays; ``page``: the list's page asked for
    (a number, or None for the default one)."""
    period = year.period(period_key)
    categories = list(categories)
    rendered = []

    def render():
        frise = selectors.frise(
            user=user, year=year, period_key=period.key, categories=categories, today=today, page=page
        )
        # Rendered without the request: nothing personal (no CSRF token, no user) can get into it.
        rendered.append(frise)
        return str(render_to_string(DRAWING_TEMPLATE, {"frise": frise})), frise.event_count

    html, event_count = versions.cached(
        ["timeline", "holidays"],
        fragment_key(user=user, year=year, period_key=period.key, categories=categories, today=today, page=page),
        render,
        FRAGMENT_TIMEOUT,
    )
    if rendered:
        head = rendered[0].head
    else:
        head = frise_head(year=year, period=period, categories=categories, event_count=event_count)
    return FriseDrawing(head=head, html=mark_safe(html), cached=not rendered)  # noqa: S308 - our own rendering of the template
