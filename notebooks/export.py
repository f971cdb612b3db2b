"""From the frozen copies of a notebook to the renderers' :class:`notebooks.book.Book`.

The book is made of the copies listed on the :class:`~notebooks.models.BookExport` (fixed when it
was asked for), never of the pages as they are now: a later edit does not change an edition. Media
files are resolved to local paths through Django's storage (copied into ``workdir`` when the
storage has no local path).
"""

import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse

from ent.dates import format_day
from uploads.models import MediaFile

from .models import BookExport, PageEdition

# The hex value of each DSFR illustrative colour a notebook may take (its "main" shade).
COLOUR_HEX = {
    "blue-ecume": "#465f9d",
    "green-emeraude": "#00a95f",
    "purple-glycine": "#a558a0",
    "orange-terre-battue": "#e4794a",
    "pink-tuile": "#ce614a",
    "yellow-tournesol": "#c8aa39",
}


def _site_url(path: str) -> str:
    return settings.ENT_SITE_URL.rstrip("/") + path


def _local_path(field_file, workdir: Path) -> str | None:
    if not field_file:
        return None
    try:
        return default_storage.path(field_file.name)
    except NotImplementedError:
        target = workdir / Path(field_file.name).name
        with default_storage.open(field_file.name, "rb") as source, open(target, "wb") as out:
            shutil.copyfileobj(source, out)
        return str(target)


def _image(media: MediaFile | None, workdir: Path, cls):
    """An image of the book (``cls``: ``ImageBlock`` or ``BookImage``), or None if its file is not ready."""
    if media is None or not media.is_ready:
        return None
    path = _local_path(media.display_jpeg or media.display_webp, workdir)
    if path is None:
        return None
    return cls(path=path, alt=media.alt_text, width=media.width or 0, height=media.height or 0)


def build_book(export: BookExport, workdir: Path):
    """The :class:`notebooks.book.Book` of this export (its copies, in order)."""
    from notebooks import book

    notebook = export.notebook
    editions = {e.pk: e for e in PageEdition.objects.filter(pk__in=export.editions)}
    ordered = [editions[pk] for pk in export.editions if pk in editions]
    media_ids = {b["media_id"] for e in ordered for b in e.content.get("blocks", []) if b.get("media_id")}
    if notebook.cover_id:
        media_ids.add(notebook.cover_id)
    media = MediaFile.objects.in_bulk(media_ids)
    url = _site_url(reverse("notebooks:notebook-detail", args=[notebook.slug]))
    pages = []
    for edition in ordered:
        content = edition.content
        blocks = []
        for item in content.get("blocks", []):
            kind, file = item.get("kind"), media.get(item.get("media_id"))
            if kind == "texte":
                blocks.append(book.TextBlock(html=item.get("html", "")))
            elif kind == "image":
                image = _image(file, workdir, book.ImageBlock)
                if image is not None:
                    blocks.append(image)
            elif kind == "audio" and file is not None and file.is_ready:
                path = _local_path(file.audio, workdir)
                if path is not None:
                    blocks.append(
                        book.AudioBlock(
                            path=path,
                            transcript=item.get("transcript", ""),
                            url=_site_url(file.url("audio")),
                            duration=float(file.duration or 0),
                        )
                    )
        pages.append(
            book.BookPage(
                title=content.get("title", ""),
                school=content.get("school", ""),
                class_label=content.get("class_label", ""),
                authors=tuple(content.get("authors", [])),
                blocks=tuple(blocks),
            )
        )
    return book.Book(
        title=notebook.title,
        subtitle=notebook.subtitle,
        theme=notebook.theme,
        colour=COLOUR_HEX.get(notebook.colour, "#000091"),
        presentation_html=str(notebook.presentation.html),
        cover=_image(media.get(notebook.cover_id), workdir, book.BookImage) if notebook.cover_id else None,
        pages=tuple(pages),
        edition_label=f"Édition du {format_day(export.created_at)}",
        url=url,
        # Stable for one content: the same edition keeps the same EPUB identifier.
        identifier=f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{url}#{export.fingerprint}')}",
    )


def render(export: BookExport, out_path: Path, workdir: Path, progress=None) -> None:
    from notebooks import book

    renderer = book.render_pdf if export.format == BookExport.Format.PDF else book.render_epub
    renderer(build_book(export, workdir), str(out_path), progress=progress)
