"""The common book ("le livre commun") of a notebook, rendered as PDF and EPUB 3.

This package knows nothing of the models: the export task builds a :class:`Book` (plain frozen
dataclasses, media as local file paths) from a book edition and hands it to :func:`render_pdf`
or :func:`render_epub`. Every text field is plain text (escaped when rendered) except
``TextBlock.html`` and ``Book.presentation_html``, which are the editor's rich text: they are
sanitised again with the house nh3 policy and serialised as well-formed XHTML here.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AudioBlock",
    "Book",
    "BookImage",
    "BookPage",
    "ImageBlock",
    "TextBlock",
    "render_epub",
    "render_pdf",
]


@dataclass(frozen=True)
class BookImage:
    """An image file on the local disk (JPEG, PNG or WebP) with its alternative text."""

    path: str
    alt: str
    width: int
    height: int


@dataclass(frozen=True)
class TextBlock:
    """Rich text from the site's editor (sanitised, but not always well-formed XHTML)."""

    html: str


@dataclass(frozen=True)
class ImageBlock:
    """An image block: ``path`` is a local file (JPEG or WebP); ``alt`` is required."""

    path: str
    alt: str
    width: int
    height: int


@dataclass(frozen=True)
class AudioBlock:
    """A recording: ``path`` is a local ``.m4a``; ``url`` an absolute link to it on the site."""

    path: str
    transcript: str
    url: str
    duration: float


@dataclass(frozen=True)
class BookPage:
    """One page of the book and its credits (« École de Mirebeau », « CE1 », authors)."""

    title: str
    school: str
    class_label: str
    authors: tuple[str, ...]
    blocks: tuple  # of TextBlock | ImageBlock | AudioBlock, in order


@dataclass(frozen=True)
class Book:
    """A book edition: ``identifier`` is a stable ``urn:uuid:…`` (the EPUB's unique identifier)."""

    title: str
    subtitle: str
    theme: str
    colour: str  # a CSS hex colour, e.g. "#000091"
    presentation_html: str
    cover: BookImage | None
    pages: tuple[BookPage, ...]
    edition_label: str
    url: str
    identifier: str


def render_pdf(book: Book, out_path: str, progress=None) -> None:
    """Write the book as a tagged PDF/UA-1 A4 file at ``out_path``.

    ``progress(done, total)`` is called with increasing ``done`` values, ending at ``total``.
    """
    from .pdf import render_pdf as _render

    _render(book, out_path, progress=progress)


def render_epub(book: Book, out_path: str, progress=None) -> None:
    """Write the book as an EPUB 3 file at ``out_path`` (valid for EPUBCheck 5).

    ``progress(done, total)`` is called with increasing ``done`` values, ending at ``total``.
    """
    from .epub import render_epub as _render

    _render(book, out_path, progress=progress)
