"""The sections of a school's page (``/ecoles/<code>/``), contributed by the other apps.

``accounts`` draws a structure's identity and members; the feature apps add what they know of
its life: the blogs add its blogs and projects, the timeline its coming events, news what the
district addressed to it. An app registers its section in ``AppConfig.ready()``::

    from accounts import structure_page
    structure_page.register(
        structure_page.Section(key="blogs", order=10, template="blogs/structure_section.html", context=blogs_of)
    )

``context(request, structure)`` returns the section's template context, or ``None`` to leave it
out (nothing is shown for it, not even a title). It reads through the app's own selectors, so
that the viewer sees only what they may see, and its cost must not grow with the data (the page's
query count is pinned in the tests).

Two regions: :attr:`Region.SECTIONS`, the body of the page (a ``<section>`` with an ``<h2>``), and
:attr:`Region.ACTIONS`, links under the structure's name (each template draws one ``<li>`` of a
button group). Apps still to come plug in here the same way: the notebooks as a section, and the
mailbox as an action (« Écrire à la direction »). Until they register, the page shows nothing of them.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum


class Region(StrEnum):
    SECTIONS = "sections"
    ACTIONS = "actions"


@dataclass(frozen=True)
class Section:
    key: str
    order: int
    template: str
    context: Callable
    region: Region = Region.SECTIONS


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    _SECTIONS[section.key] = section


def sections_for(request, structure) -> dict[Region, list[tuple[Section, dict]]]:
    """The sections to draw for this person and structure, by region, in order."""
    rendered: dict[Region, list[tuple[Section, dict]]] = {region: [] for region in Region}
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        context = section.context(request, structure)
        if context is not None:
            rendered[section.region].append((section, context))
    return rendered
