"""Notebooks in the search: « Pages de cahiers », read through
:func:`notebooks.permissions.pages_visible_to`.

A page that has a published copy is indexed from that copy (what its readers read, never the
edits waiting for validation); a page never published, from its current blocks (only its authors
and the notebook's managers see it).
"""

from notebooks import permissions
from notebooks.models import Page
from search.index import entry_provider, index_refresh, index_remove, reindex_all
from search.registry import register

KIND = "cahiers"


def page_index(page: Page) -> None:
    """The page's search entry (called by the services that write a page)."""
    edition = page.published_edition
    if edition is not None:
        title = edition.content.get("title") or page.title
        blocks = edition.content.get("blocks", [])
        parts = [" ".join([b.get("html") or "", b.get("caption") or "", b.get("transcript") or ""]) for b in blocks]
        date = edition.created_at
    else:
        title = page.title
        parts = [" ".join([str(b.body.html), b.caption, b.transcript]) for b in page.blocks.all()]
        date = page.updated_at or page.created_at
    index_refresh(
        kind=KIND,
        object_id=page.pk,
        title=title,
        body=" ".join(parts),
        place=page.notebook.title,
        url=page.get_absolute_url(),
        date=date,
    )


def notebook_pages_index(notebook) -> int:
    """Rewrite the entries of a notebook's pages (their place is the notebook's title): called by
    ``notebook_update`` when the title changes, in its transaction."""
    return reindex_all(
        Page.objects.filter(notebook=notebook)
        .select_related("notebook", "published_edition")
        .prefetch_related("blocks"),
        page_index,
    )


def page_unindex(page_id: int) -> None:
    index_remove(kind=KIND, object_id=page_id)


register(
    entry_provider(
        kind=KIND,
        label="Pages de cahiers",
        order=40,
        reindex=lambda: reindex_all(
            Page.objects.select_related("notebook", "published_edition").prefetch_related("blocks"), page_index
        ),
        visible=lambda user: Page.objects.filter(permissions.pages_visible_to(user)).values("pk"),
    )
)
