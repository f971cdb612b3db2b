"""Ressources in the search: « Documents », with the text inside their files, read through
:func:`resources.permissions.folders_visible_to` (a folder's audience decides)."""

from resources import permissions
from resources.models import Document, Folder
from search.index import entry_provider, index_refresh, index_remove, reindex_all
from search.registry import register

KIND = "ressources"


def document_index(document: Document) -> None:
    """The document's search entry: its title, summary, tags and the text of its current file
    (called by the services that write a document, and by the text extraction)."""
    index_refresh(
        kind=KIND,
        object_id=document.pk,
        title=document.title,
        body=" ".join(part for part in (document.summary, document.tags, document.text) if part),
        place=f"Ressources, {document.folder.name}",
        url=document.get_absolute_url(),
        date=document.updated_at or document.created_at,
    )


def folder_documents_index(folder: Folder) -> int:
    """Rewrite the entries of a folder's documents (their place is the folder's name): called by
    ``folder_update`` when the name changes, in its transaction."""
    return reindex_all(Document.objects.filter(folder=folder).select_related("folder"), document_index)


def document_unindex(document_id: int) -> None:
    index_remove(kind=KIND, object_id=document_id)


register(
    entry_provider(
        kind=KIND,
        label="Documents des ressources",
        order=35,
        reindex=lambda: reindex_all(Document.objects.select_related("folder"), document_index),
        visible=lambda user: Document.objects.filter(
            folder__in=Folder.objects.filter(permissions.folders_visible_to(user))
        ).values("pk"),
    )
)
