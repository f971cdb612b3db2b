"""What the library shows a person: folders, documents with their « Nouveau » / « Mis à jour » mark.

Every list reads the person's read marker in the same query (a subquery): the cost does not grow
with the number of documents shown.
"""

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from . import permissions
from .models import Document, Folder, ReadMarker

NEWEST = 10


def folders_for(user):
    return (
        Folder.objects.filter(permissions.folders_visible_to(user))
        .annotate(document_count=Count("documents"))
        .order_by("theme", "position", "name")
    )


def folder_for(*, user, pk) -> Folder | None:
    return Folder.objects.filter(permissions.folders_visible_to(user), pk=pk).first()


def documents_for(user):
    """The documents of the folders this person sees, each with ``read_version`` (None: never opened)."""
    marker = ReadMarker.objects.filter(user_id=user.pk, document=OuterRef("pk")).values("version")[:1]
    return (
        Document.objects.filter(folder__in=Folder.objects.filter(permissions.folders_visible_to(user)))
        .select_related("folder", "current")
        .annotate(read_version=Subquery(marker))
    )


def document_for(*, user, pk) -> Document | None:
    return documents_for(user).filter(pk=pk).first()


def mark_of(document) -> str:
    """« Nouveau », « Mis à jour » or "" for the person whose ``read_version`` was annotated."""
    read = getattr(document, "read_version", None)
    if read is None:
        return "Nouveau"
    if read < document.version:
        return "Mis à jour"
    return ""


def with_marks(documents):
    documents = list(documents)
    for document in documents:
        document.mark = mark_of(document)
    return documents


def newest_for(user, limit: int = NEWEST):
    return with_marks(documents_for(user).order_by("-created_at", "-pk")[:limit])


def new_for(user, limit: int = 5):
    """What is new or updated for this person, newest change first (the Accueil panel)."""
    documents = (
        documents_for(user)
        .filter(Q(read_version__isnull=True) | Q(read_version__lt=F("version")))
        .annotate(changed=Coalesce("updated_at", "created_at"))
        .defer("text", "search_text")  # kept per person in the shared cache (resources.home): not the file's text
        .order_by("-changed", "-pk")
    )
    return with_marks(documents[:limit])
