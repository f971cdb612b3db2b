"""The book made ready to print, once for both renderers: every text as it will be written.

Plain texts stay ``str`` (the templates escape them); rich texts become :class:`SafeString` XHTML
fragments made by :func:`notebooks.book.xhtml.rich_text`, the only markup a template prints as is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.safestring import SafeString, mark_safe

from . import AudioBlock, Book, BookPage, ImageBlock, TextBlock
from .xhtml import (
    credits,
    duration_label,
    join_names,
    paragraphs,
    plain,
    rich_text,
    safe_colour,
    safe_url,
    short_url,
    text_colour_on,
)


@dataclass
class Block:
    kind: str  # "text", "image" or "audio"
    source: TextBlock | ImageBlock | AudioBlock
    html: SafeString | str = ""
    alt: str = ""
    transcript: list[list[str]] = field(default_factory=list)
    url: str = ""
    short_url: str = ""
    duration: str = ""
    number: int = 0  # the recording's number in the book (1, 2, …), for its label and its files
    extra: dict = field(default_factory=dict)  # what one renderer adds (file names, QR codes)


@dataclass
class Page:
    number: int
    anchor: str
    title: str
    credits: str
    school: str
    class_label: str
    authors: str
    blocks: list[Block]
    source: BookPage
    extra: dict = field(default_factory=dict)  # what one renderer adds (its file name)


def _block(block, *, top_heading: int, audio_number: int) -> Block:
    if isinstance(block, TextBlock):
        return Block(kind="text", source=block, html=mark_safe(rich_text(block.html, top_heading=top_heading)))  # noqa: S308 - sanitised, serialised XHTML
    if isinstance(block, ImageBlock):
        return Block(kind="image", source=block, alt=plain(block.alt))
    if isinstance(block, AudioBlock):
        return Block(
            kind="audio",
            source=block,
            transcript=paragraphs(block.transcript),
            url=safe_url(block.url),
            short_url=short_url(block.url),
            duration=duration_label(block.duration),
            number=audio_number,
        )
    raise TypeError(f"Bloc inconnu : {type(block).__name__}")


def pages_of(book: Book, *, top_heading: int) -> list[Page]:
    """The book's pages, numbered from 1, with their blocks ready (headings from ``top_heading``)."""
    pages, audio_number = [], 0
    for number, page in enumerate(book.pages, start=1):
        blocks = []
        for block in page.blocks:
            if isinstance(block, AudioBlock):
                audio_number += 1
            blocks.append(_block(block, top_heading=top_heading, audio_number=audio_number))
        pages.append(
            Page(
                number=number,
                anchor=f"page-{number}",
                title=plain(page.title) or f"Page {number}",
                credits=credits(page),
                school=plain(page.school),
                class_label=plain(page.class_label),
                authors=join_names(page.authors),
                blocks=blocks,
                source=page,
            )
        )
    return pages


def book_context(book: Book, *, top_heading: int) -> dict:
    """What both templates share: the book's texts, its colour, its authors (each once, in order)."""
    creators = list(dict.fromkeys(plain(a) for page in book.pages for a in page.authors if str(a or "").strip()))
    return {
        "title": plain(book.title) or "Livre commun",
        "subtitle": plain(book.subtitle),
        "theme": plain(book.theme),
        "edition_label": plain(book.edition_label),
        "url": safe_url(book.url),
        "short_url": short_url(book.url),
        "colour": safe_colour(book.colour),
        "text_colour": text_colour_on(safe_colour(book.colour)),
        "presentation": mark_safe(rich_text(book.presentation_html, top_heading=top_heading)),  # noqa: S308 - sanitised, serialised XHTML
        "cover_alt": plain(book.cover.alt) if book.cover else "",
        "authors": join_names(creators),
        "creators": creators,
    }
