"""Text for the book: the editor's HTML made well-formed XHTML, plain text made safe, French spacing.

The rich text of a page is sanitised once more with the house nh3 policy (``ent.richtext``: what
the editor offers is all that is kept), parsed the way a browser would (``tinyhtml5``, WeasyPrint's
own parser) and written back as XML: every element closed, every entity resolved, the characters
that XML refuses removed. Headings are shifted so that they sit under the page's own title.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import cache

import tinyhtml5

# What XML 1.0 accepts: tab, newline, carriage return and everything from U+0020 on, less the
# surrogates and U+FFFE/U+FFFF. The rest (control characters pasted from elsewhere) is dropped.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

NBSP = "\u00a0"
NNBSP = "\u202f"  # espace fine insécable

_HEADINGS = {f"h{level}": level for level in range(1, 7)}
# Elements whose text is never touched by the French spacing (none are kept today, but a policy may grow).
_VERBATIM = {"code", "pre", "kbd", "samp"}


@cache
def _sanitize():
    from django_prose_editor.fields import create_sanitizer

    from ent.richtext import editor_extensions

    # Every heading level a field may offer survives; the levels are shifted afterwards.
    return create_sanitizer(editor_extensions(heading_levels=(1, 2, 3, 4, 5, 6)))


def xml_text(value) -> str:
    """``value`` as a string XML accepts (control characters dropped, line ends kept)."""
    return _NOT_XML.sub("", str(value or ""))


def french_spacing(text: str) -> str:
    """French typography: no-break spaces before « ; ! ? : » and inside « », typographic apostrophe.

    Only a mark that ends a word is touched (followed by a space, the end, or a closing sign), so
    that a web address written in the text (``…/page?a=1``, ``https://``) stays as it is.
    """
    text = text.replace("'", "\u2019")
    text = re.sub(r"(?<=[^\s\u00a0\u202f])[ \u00a0\u202f]?([;!?]+)(?=[\s)\]»]|$)", NNBSP + r"\1", text)
    text = re.sub(r"(?<=[^\s\u00a0\u202f])[ \u00a0\u202f]?:(?=\s|$)", NBSP + ":", text)
    text = re.sub(r"«[ \u00a0\u202f]?", "«" + NNBSP, text)
    text = re.sub(r"[ \u00a0\u202f]?»", NNBSP + "»", text)
    return text


def plain(value) -> str:
    """A plain text field as it is printed: XML-safe, French spacing (escaping is the template's job)."""
    return french_spacing(xml_text(value).strip())


def _walk_text(element: ET.Element, inside_verbatim: bool = False) -> None:
    verbatim = inside_verbatim or element.tag in _VERBATIM
    if element.text and not verbatim:
        element.text = french_spacing(element.text)
    for child in element:
        _walk_text(child, verbatim)
        if child.tail and not inside_verbatim:
            child.tail = french_spacing(child.tail)


def rich_text(html: str, *, top_heading: int = 2) -> str:
    """The editor's HTML as a well-formed XHTML fragment (no XML namespace on its elements).

    Its headings are shifted so that its highest level is ``top_heading`` at the most (a page
    titled ``<h2>`` passes ``top_heading=3``); none goes past ``<h6>``.
    """
    cleaned = _sanitize()(xml_text(html))
    root = tinyhtml5.parse(f"<!DOCTYPE html><html><body>{cleaned}</body></html>", namespace_html_elements=False)
    body = root.find("body")
    if body is None:  # pragma: no cover - the parser always makes a body
        return ""
    shift = max(0, top_heading - 2)  # the editor's first level is h2
    for element in body.iter():
        level = _HEADINGS.get(element.tag)
        if level is not None:
            element.tag = f"h{min(6, max(top_heading, level + shift))}"
        for name in list(element.attrib):
            # The policy keeps no attribute of another namespace; an XML name is required anyway.
            if not re.fullmatch(r"[A-Za-z_][\w.-]*", name):
                del element.attrib[name]
    _walk_text(body)
    text = body.text or ""
    parts = [ET.tostring(child, encoding="unicode", short_empty_elements=True) for child in body]
    body_text = _escape(text)
    return body_text + "".join(parts)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def paragraphs(text: str) -> list[list[str]]:
    """A plain text (a transcript) as paragraphs (blank lines) of lines (line breaks)."""
    blocks = re.split(r"\n\s*\n", xml_text(text).replace("\r\n", "\n").replace("\r", "\n").strip())
    return [[plain(line) for line in block.split("\n") if line.strip()] for block in blocks if block.strip()]


def duration_label(seconds: float) -> str:
    """« 2 min 05 s », « 45 s », « 1 h 02 min 05 s » (as the uploads' recordings say it)."""
    total = round(seconds or 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}{NBSP}h {minutes:02d}{NBSP}min {secs:02d}{NBSP}s"
    if minutes:
        return f"{minutes}{NBSP}min {secs:02d}{NBSP}s"
    return f"{secs}{NBSP}s"


def join_names(names) -> str:
    """« Léa », « Léa et Paul », « Léa, Paul et Mme Martin »."""
    names = [plain(name) for name in names if str(name or "").strip()]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " et " + names[-1]


def credits(page) -> str:
    """« École de Mirebeau, CE1 — Léa, Paul et Mme Martin » (the parts given)."""
    where = ", ".join(part for part in (plain(page.school), plain(page.class_label)) if part)
    who = join_names(page.authors)
    return " — ".join(part for part in (where, who) if part)


def short_url(url: str) -> str:
    """The link as printed: without its scheme (``ent.example.fr/cahiers/…``)."""
    return re.sub(r"^https?://", "", safe_url(url), flags=re.IGNORECASE).rstrip("/")


def safe_colour(value: str, default: str = "#000091") -> str:
    """A ``#rrggbb`` colour, or the default (the value goes into CSS)."""
    value = (value or "").strip()
    if re.fullmatch(r"#[0-9a-fA-F]{6}", value):
        return value.lower()
    if re.fullmatch(r"#[0-9a-fA-F]{3}", value):
        return "#" + "".join(c * 2 for c in value[1:]).lower()
    return default


def text_colour_on(background: str) -> str:
    """Black or white, whichever contrasts more with ``background`` (WCAG relative luminance)."""

    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(background[i : i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    on_black = (luminance + 0.05) / 0.05
    on_white = 1.05 / (luminance + 0.05)
    return "#000000" if on_black >= on_white else "#ffffff"


def safe_url(url: str) -> str:
    """An ``http(s)`` address as given (XML-safe), or "" for anything else (``javascript:``, …)."""
    url = xml_text(url).strip()
    return url if re.match(r"https?://[^\s]+$", url, flags=re.IGNORECASE) else ""
