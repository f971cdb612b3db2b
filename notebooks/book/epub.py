"""The book as an EPUB 3 (3.3) file, accessible, valid for EPUBCheck 5.

The zip holds ``mimetype`` first and stored, ``META-INF/container.xml``, and under ``EPUB/``: the
package document (``package.opf``, with the EPUB Accessibility 1.1 metadata), the navigation
document (``nav.xhtml``: contents and landmarks), a cover, a presentation page, one XHTML file
per page, the stylesheet, the images and the recordings (``.m4a``, ``audio/mp4``, played by
``<audio controls>`` with their transcript next to them). Every file is written from a template
of ``templates/notebooks/book/epub/``; plain texts are escaped by the templates, rich texts are
the XHTML fragments of :mod:`notebooks.book.xhtml`.
"""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime

from django.template.loader import render_to_string
from PIL import Image

from . import Book
from .content import book_context, pages_of
from .xhtml import xml_text

IMAGE_TYPES = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
    "GIF": ("image/gif", "gif"),
}


def _image_type(path: str) -> tuple[str, str]:
    """(media type, extension) of an image file, read from its content (not from its name)."""
    with Image.open(path) as image:
        kind = image.format
    if kind not in IMAGE_TYPES:
        raise ValueError(f"Format d’image non pris en charge dans le livre : {kind}")
    return IMAGE_TYPES[kind]


def _write(archive: zipfile.ZipFile, name: str, data: bytes | str, *, compress: bool = True) -> None:
    info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)


def render_epub(book: Book, out_path: str, progress=None, *, modified: datetime | None = None) -> None:
    pages = pages_of(book, top_heading=2)
    total = len(pages) + 2
    done = 0

    def step():
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    context = book_context(book, top_heading=2)
    modified = (modified or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    manifest = []  # (id, href, media type, properties)
    media_files = []  # (name in the zip, local path)
    has_image = book.cover is not None
    has_audio = False

    if book.cover is not None:
        media_type, ext = _image_type(book.cover.path)
        context["cover_href"] = f"images/couverture.{ext}"
        manifest.append(("cover-image", context["cover_href"], media_type, "cover-image"))
        media_files.append((context["cover_href"], book.cover.path))

    for page in pages:
        page.extra = {"file": f"page-{page.number:03d}.xhtml", "id": f"page-{page.number:03d}"}
        for index, block in enumerate(page.blocks, start=1):
            if block.kind == "image":
                has_image = True
                media_type, ext = _image_type(block.source.path)
                href = f"images/page-{page.number:03d}-{index:02d}.{ext}"
                block.extra["href"] = href
                manifest.append((f"img-{page.number:03d}-{index:02d}", href, media_type, ""))
                media_files.append((href, block.source.path))
            elif block.kind == "audio":
                has_audio = True
                href = f"audio/enregistrement-{block.number:03d}.m4a"
                block.extra["href"] = href
                manifest.append((f"audio-{block.number:03d}", href, "audio/mp4", ""))
                media_files.append((href, block.source.path))

    context.update(
        pages=pages,
        identifier=_identifier(book.identifier),
        modified=modified.strftime("%Y-%m-%dT%H:%M:%SZ"),
        has_image=has_image,
        has_audio=has_audio,
        has_presentation=bool(str(context["presentation"]).strip()),
        manifest=[{"id": i, "href": h, "media_type": m, "properties": p} for i, h, m, p in manifest],
    )

    with zipfile.ZipFile(out_path, "w") as archive:
        _write(archive, "mimetype", "application/epub+zip", compress=False)
        _write(archive, "META-INF/container.xml", render_to_string("notebooks/book/epub/container.xml"))
        _write(archive, "EPUB/css/livre.css", render_to_string("notebooks/book/epub/livre.css", context))
        _write(archive, "EPUB/couverture.xhtml", render_to_string("notebooks/book/epub/cover.xhtml", context))
        if context["has_presentation"]:
            _write(
                archive, "EPUB/presentation.xhtml", render_to_string("notebooks/book/epub/presentation.xhtml", context)
            )
        for page in pages:
            _write(
                archive,
                f"EPUB/{page.extra['file']}",
                render_to_string("notebooks/book/epub/page.xhtml", {**context, "page": page}),
            )
            step()
        _write(archive, "EPUB/nav.xhtml", render_to_string("notebooks/book/epub/nav.xhtml", context))
        _write(archive, "EPUB/package.opf", render_to_string("notebooks/book/epub/package.opf", context))
        for name, path in media_files:
            # Images and AAC are compressed already: stored as they are.
            with open(path, "rb") as handle:
                _write(archive, f"EPUB/{name}", handle.read(), compress=False)
        step()
    step()


def _identifier(value: str) -> str:
    value = xml_text(value).strip()
    if not value:
        raise ValueError("Le livre n’a pas d’identifiant (urn:uuid:…).")
    return value
