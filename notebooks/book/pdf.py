"""The book as a PDF: WeasyPrint, A4, tagged PDF/UA-1, in French, with nothing fetched from the network.

One HTML document (``notebooks/book/pdf.html``) and its stylesheet (``notebooks/book/pdf.css``):
a cover, the presentation, a table of contents whose page numbers come from CSS
(``target-counter``), then one section per page, each starting on a new sheet with its credits in
the running header. Images are embedded from their files at print resolution (300 dpi at most);
a recording is printed as its transcript, a short link and a QR code (segno) to it on the site.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

import segno
from django.template.loader import render_to_string
from PIL import ImageFile

from . import Book
from .content import book_context, pages_of

_LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES
from weasyprint import CSS, HTML  # noqa: E402 - see below
from weasyprint.urls import URLFetcher, path2url  # noqa: E402

# Importing WeasyPrint makes Pillow accept truncated images in the whole process, the uploads'
# checks of a worker included (a cut JPEG would then pass as ready): the setting is put back.
ImageFile.LOAD_TRUNCATED_IMAGES = _LOAD_TRUNCATED_IMAGES

# Print resolution: images above it are resampled down to it, never up.
PRINT_DPI = 300


class LocalFetcher(URLFetcher):
    """Fetches ``data:`` URIs and the given local files only: rendering never reaches the network."""

    def __init__(self, allowed_paths, **kwargs):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False, **kwargs)
        self._allowed = {os.path.realpath(path) for path in allowed_paths}

    def fetch(self, url, headers=None):
        if url.startswith("file:"):
            from urllib.request import url2pathname

            path = os.path.realpath(url2pathname(url.split("?")[0].removeprefix("file:").removeprefix("//")))
            if path not in self._allowed:
                raise ValueError(f"Fichier non autorisé dans le livre : {url}")
        elif not url.startswith("data:"):
            raise ValueError(f"Adresse non autorisée dans le livre : {url}")
        return super().fetch(url, headers)


def qr_data_uri(url: str) -> str:
    """A QR code of ``url`` as an SVG ``data:`` URI (black on white, with its quiet zone)."""
    qr = segno.make(url, error="m", micro=False)
    svg = qr.svg_inline(scale=4, border=4, dark="#000", light="#fff", omitsize=False)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _file_url(path: str) -> str:
    return path2url(os.path.abspath(path))


def build_html(book: Book, step=lambda: None) -> tuple[str, str, list[str]]:
    """(HTML document, stylesheet, the local files it may load) for ``book``; ``step()`` after each page."""
    pages = pages_of(book, top_heading=3)
    allowed = []
    context = book_context(book, top_heading=3)
    if book.cover is not None:
        allowed.append(book.cover.path)
        context["cover_src"] = _file_url(book.cover.path)
    for page in pages:
        for block in page.blocks:
            if block.kind == "image":
                allowed.append(block.source.path)
                block.extra["src"] = _file_url(block.source.path)
            elif block.kind == "audio" and block.url:
                block.extra["qr"] = qr_data_uri(block.url)
        step()
    context["pages"] = pages
    return (
        render_to_string("notebooks/book/pdf.html", context),
        render_to_string("notebooks/book/pdf.css", context),
        allowed,
    )


def render_pdf(book: Book, out_path: str, progress=None) -> None:
    total = len(book.pages) + 2
    done = 0

    def step():
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, total)

    html, css, allowed = build_html(book, step)
    fetcher = LocalFetcher(allowed)
    document = HTML(string=html, base_url=str(Path(out_path).resolve().parent) + os.sep, url_fetcher=fetcher).render(
        stylesheets=[CSS(string=css, url_fetcher=fetcher)],
        pdf_variant="pdf/ua-1",
        pdf_tags=True,
        dpi=PRINT_DPI,
        optimize_images=True,
    )
    step()
    document.write_pdf(out_path, pdf_variant="pdf/ua-1", pdf_tags=True, dpi=PRINT_DPI, optimize_images=True)
    step()
