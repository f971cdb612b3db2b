"""Every write of the library: folders, documents, their files and versions, read markers, counts."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from audit.services import record
from ent import versions
from ent.queue import enqueue_on_commit
from mail.text import search_key
from uploads.models import MediaFile
from uploads.services import media_errors_on, media_upload

from . import permissions
from .models import Document, Folder, ReadMarker, ResourceAction, Version, reads_version

FOLDER_FIELDS = ("theme", "name", "description", "position", "audience")
DOCUMENT_FIELDS = ("title", "summary", "tags", "school_year")


def _require_manager(actor) -> None:
    if not permissions.can_manage(actor):
        raise PermissionDenied("Seule l’équipe de circonscription tient la bibliothèque de ressources.")


def _check_school_year(value: str) -> None:
    if not value:
        return
    first, sep, second = value.partition("-")
    if not (sep and first.isdigit() and second.isdigit() and int(second) == int(first) + 1):
        raise ValidationError({"school_year": "Écrivez l’année scolaire ainsi : 2026-2027."})


@transaction.atomic
def folder_create(*, actor, audience_structures=(), **fields) -> Folder:
    _require_manager(actor)
    folder = Folder(**{k: v for k, v in fields.items() if k in FOLDER_FIELDS})
    folder.full_clean()
    folder.save()
    folder.audience_structures.set(audience_structures)
    record(actor=actor, target=folder, action=ResourceAction.FOLDER_CREATED)
    return folder


@transaction.atomic
def folder_update(*, folder: Folder, actor, audience_structures=None, **fields) -> Folder:
    _require_manager(actor)
    # Compared with the stored row: the admin's model form has already copied the new values.
    stored_name = Folder.objects.filter(pk=folder.pk).values_list("name", flat=True).get()
    for name in FOLDER_FIELDS:
        if name in fields:
            setattr(folder, name, fields[name])
    folder.full_clean()
    folder.save()
    if audience_structures is not None:
        folder.audience_structures.set(audience_structures)
    if folder.name != stored_name:
        from .search import folder_documents_index

        folder_documents_index(folder)  # their results show the folder's name
    record(actor=actor, target=folder, action=ResourceAction.FOLDER_UPDATED)
    return folder


@transaction.atomic
def folder_delete(*, folder: Folder, actor) -> None:
    _require_manager(actor)
    record(actor=actor, target=folder, action=ResourceAction.FOLDER_DELETED)
    folder.delete()


def _refresh_search_text(document: Document) -> None:
    document.search_text = search_key(document.title, document.summary, document.tags, document.text)


def _index(document: Document) -> None:
    """The site search's entry (``resources/search.py``), rewritten after each write."""
    from .search import document_index

    document_index(document)


def _add_version(document: Document, *, file, actor) -> Version:
    with media_errors_on(file="file"):
        media = media_upload(file=file, kind=MediaFile.Kind.DOCUMENT, uploaded_by=actor, holder=document)
    version = Version.objects.create(document=document, number=document.version, media=media, uploaded_by=actor)
    document.current = media
    from .tasks import extract_text

    enqueue_on_commit(extract_text, version.pk)
    return version


@transaction.atomic
def document_create(*, folder: Folder, file, actor, **fields) -> Document:
    _require_manager(actor)
    _check_school_year(fields.get("school_year", ""))
    document = Document(folder=folder, created_by=actor, **{k: v for k, v in fields.items() if k in DOCUMENT_FIELDS})
    document.full_clean(exclude=["current"])
    _refresh_search_text(document)
    document.save()
    _add_version(document, file=file, actor=actor)
    document.save(update_fields=["current"])
    _index(document)
    record(actor=actor, target=document, action=ResourceAction.DOCUMENT_CREATED)
    return document


@transaction.atomic
def document_update(*, document: Document, actor, **fields) -> Document:
    """Title, summary, tags, school year, folder: no new version, no « Mis à jour »."""
    _require_manager(actor)
    _check_school_year(fields.get("school_year", ""))
    for name in (*DOCUMENT_FIELDS, "folder"):
        if name in fields:
            setattr(document, name, fields[name])
    document.full_clean(exclude=["current"])
    _refresh_search_text(document)
    document.save()
    _index(document)
    record(actor=actor, target=document, action=ResourceAction.DOCUMENT_UPDATED)
    return document


@transaction.atomic
def document_replace_file(*, document: Document, file, actor) -> Document:
    """A new version: the earlier files are kept; everyone sees « Mis à jour le … »."""
    _require_manager(actor)
    document = Document.objects.select_for_update().get(pk=document.pk)
    document.version += 1
    document.updated_at = timezone.now()
    _add_version(document, file=file, actor=actor)
    document.text = ""
    _refresh_search_text(document)
    document.save(update_fields=["version", "updated_at", "current", "text", "search_text"])
    _index(document)
    record(actor=actor, target=document, action=ResourceAction.DOCUMENT_REPLACED)
    return document


@transaction.atomic
def document_delete(*, document: Document, actor) -> None:
    _require_manager(actor)
    record(actor=actor, target=document, action=ResourceAction.DOCUMENT_DELETED)
    from .search import document_unindex

    document_unindex(document.pk)
    Version.objects.filter(document=document).delete()
    document.current = None
    document.save(update_fields=["current"])
    document.delete()  # uploads deletes the files of every version (the document holds them)


def document_mark_read(*, user, document: Document, known: int | None = None) -> bool:
    """This person has seen the current version. Writes only when the marker changes; ``known`` is
    the version already read (from the page's own query), to skip the read of the marker."""
    if not user.is_authenticated or known == document.version:
        return False
    updated = ReadMarker.objects.filter(user=user, document=document).exclude(version=document.version)
    if updated.update(version=document.version):
        versions.bump(reads_version(user.pk))  # update() sends no signal
        return True
    _, created = ReadMarker.objects.get_or_create(user=user, document=document, defaults={"version": document.version})
    if created:
        versions.bump(reads_version(user.pk))
    return created


def document_count_download(*, document: Document) -> None:
    """One UPDATE, no read: the district team's download count."""
    Document.objects.filter(pk=document.pk).update(download_count=F("download_count") + 1)


def document_store_text(*, version_id: int, text: str) -> bool:
    """Keep the text extracted from a version's file, if it is still the document's current one."""
    with transaction.atomic():
        version = Version.objects.select_related("document").filter(pk=version_id).first()
        if version is None:
            return False
        document = Document.objects.select_for_update().get(pk=version.document_id)
        if document.current_id != version.media_id:
            return False
        document.text = text
        _refresh_search_text(document)
        document.save(update_fields=["text", "search_text"])
        _index(document)
        return True
