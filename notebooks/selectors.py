"""Reads of the notebooks, by who asks. Each costs a bounded number of queries, whatever the data."""

import difflib
import html as html_lib
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeString

from accounts.models import Structure, User
from accounts.permissions import acts_for_district, schools_directed_by
from ent.lists import Cut, first_of
from ent.richtext import RichText
from uploads.models import MediaFile

from . import permissions
from .models import Block, BookExport, Notebook, Page, PageLock


class Tab:
    RECENT = "recents"
    OPEN = "ouverts"
    CLOSED = "fermes"
    LABELS = {RECENT: "Les plus récents", OPEN: "Ouverts aux contributions", CLOSED: "Fermés"}


def notebook_list(*, user, tab: str = Tab.RECENT) -> QuerySet[Notebook]:
    today = timezone.localdate()
    notebooks = (
        Notebook.objects.filter(permissions.notebooks_visible_to(user))
        .select_related("cover", "school")
        .annotate(page_count=Count("pages", filter=Q(pages__published_edition__isnull=False)))
    )
    if tab == Tab.OPEN:
        return notebooks.filter(opens_on__lte=today, closes_on__gte=today).order_by("closes_on", "pk")
    if tab == Tab.CLOSED:
        return notebooks.filter(closes_on__lt=today).order_by("-closes_on", "-pk")
    return notebooks.order_by("-created_at", "-pk")


def notebook_by_slug(*, slug: str) -> Notebook | None:
    return Notebook.objects.select_related("cover", "school").filter(slug=slug).first()


def open_notebooks_for(*, user, limit: int = 3) -> Cut:
    """The notebooks open today to which this person may add pages (the Accueil panel)."""
    today = timezone.localdate()
    notebooks = (
        Notebook.objects.filter(permissions.notebooks_contributed_by(user), opens_on__lte=today, closes_on__gte=today)
        .select_related("cover")
        .defer("presentation")  # kept per person in the shared cache (notebooks.home): a title and a date shown
        .order_by("closes_on", "pk")
    )
    return first_of(notebooks, limit)


def structure_notebooks(*, user, structure: Structure, limit: int = 6) -> Cut:
    """The notebooks this person reads that belong to this school or have published pages of it."""
    notebooks = (
        Notebook.objects.filter(permissions.notebooks_visible_to(user))
        .filter(Q(school=structure) | Q(pk__in=Page.objects.published().filter(school=structure).values("notebook_id")))
        .order_by("-created_at", "-pk")
    )
    return first_of(notebooks, limit)


def schools_for_new_notebook(*, user) -> QuerySet[Structure] | None:
    """The schools a director may open a notebook for; None for the district team (any, or none)."""
    if acts_for_district(user):
        return None
    return Structure.objects.filter(pk__in=schools_directed_by(user)).order_by("name")


def _prefetched_pages():
    return Page.objects.select_related("school", "published_edition").prefetch_related(
        Prefetch("authors", queryset=User.objects.order_by("last_name", "first_name"))
    )


def notebook_pages(*, notebook: Notebook, user) -> list[Page]:
    """The pages of the notebook this person sees, in order, each with ``shown_title``, ``may_edit``
    and ``lock`` (the live lock, if any). A bounded number of queries."""
    now = timezone.now()
    pages = list(
        _prefetched_pages()
        .filter(notebook=notebook)
        .filter(permissions.pages_visible_to(user))
        .prefetch_related(
            Prefetch("lock", queryset=PageLock.objects.filter(expires_at__gt=now).select_related("holder"))
        )
        .order_by("position", "pk")
        .distinct()
    )
    for page in pages:
        page.notebook = notebook
        page.may_edit = permissions.can_edit_page(user, page)
        page.shown_title = (
            page.title if page.may_edit or not page.published_edition else page.published_edition.content["title"]
        )
        try:
            page.live_lock = page.lock
        except PageLock.DoesNotExist:
            page.live_lock = None
    return pages


def page_in_notebook(*, notebook: Notebook, pk: int) -> Page | None:
    page = _prefetched_pages().filter(notebook=notebook, pk=pk).first()
    if page is not None:
        page.notebook = notebook
    return page


@dataclass
class ShownBlock:
    """A block as a page shows it, from the working copy or from a frozen copy."""

    kind: str
    html: SafeString
    media: MediaFile | None
    caption: str
    transcript: str
    pk: int | None = None


def working_blocks(*, page: Page) -> list[ShownBlock]:
    return [
        ShownBlock(b.kind, b.body.html, b.media, b.caption, b.transcript, b.pk)
        for b in page.blocks.select_related("media").order_by("position", "pk")
    ]


def edition_blocks(*, content: dict) -> list[ShownBlock]:
    """The blocks of a frozen copy, their files in one query."""
    items = content.get("blocks", [])
    media = MediaFile.objects.in_bulk([b["media_id"] for b in items if b.get("media_id")])
    return [
        ShownBlock(
            b.get("kind", ""),
            RichText(b.get("html", ""), Block._meta.get_field("body")).html,
            media.get(b.get("media_id")),
            b.get("caption", ""),
            b.get("transcript", ""),
        )
        for b in items
    ]


def editable_blocks(*, page: Page) -> list[Block]:
    return list(page.blocks.select_related("media").order_by("position", "pk"))


def review_queue(*, notebook: Notebook) -> list[Page]:
    """The pages waiting for validation, oldest proposal first, each with ``changes`` (see :func:`proposal_changes`)."""
    pages = list(
        _prefetched_pages().filter(notebook=notebook, status=Page.Status.PROPOSED).order_by("proposed_at", "pk")
    )
    for page in pages:
        page.notebook = notebook
        page.changes = proposal_changes(page.previous_proposal, page.proposal)
    return pages


def _plain(value: str) -> str:
    return " ".join(html_lib.unescape(strip_tags(value.replace("</p>", " </p>"))).split())


def _lines(content: dict) -> list[str]:
    if not content:
        return []
    lines = [f"Titre : {content.get('title', '')}", f"Classe : {content.get('class_label', '')}"]
    for n, block in enumerate(content.get("blocks", []), start=1):
        kind = block.get("kind")
        if kind == Block.Kind.TEXT:
            lines.append(f"Bloc {n}, texte : {_plain(block.get('html', ''))}")
        elif kind == Block.Kind.IMAGE:
            lines.append(f"Bloc {n}, image : {block.get('alt', '')} (fichier {block.get('media_id')})")
        else:
            lines.append(f"Bloc {n}, enregistrement (fichier {block.get('media_id')}) : {block.get('transcript', '')}")
    return lines


@dataclass(frozen=True)
class Change:
    sign: str  # "+" added, "-" removed
    text: str


def proposal_changes(previous: dict, current: dict) -> list[Change] | None:
    """What changed since the last proposal (or the last published copy): lines removed and added.
    None for a first proposal (everything is new)."""
    if not previous:
        return None
    changes = []
    for line in difflib.ndiff(_lines(previous), _lines(current)):
        if line[:2] in ("+ ", "- "):
            changes.append(Change(line[0], line[2:]))
    return changes


def book_state(*, notebook: Notebook) -> dict:
    """The latest export of each format (what readers download) and the one being made, if any."""
    exports = list(notebook.exports.order_by("-created_at", "-pk")[:20])
    ready = {}
    for export in exports:
        if export.is_ready and export.format not in ready:
            ready[export.format] = export
    working = [e for e in exports if e.is_working]
    failed = [e for e in exports if e.status == BookExport.Status.FAILED][:1]
    return {"ready": [ready[f] for f in BookExport.Format.values if f in ready], "working": working, "failed": failed}
