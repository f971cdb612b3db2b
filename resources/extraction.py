"""The text inside a document's file: PDF (pypdf), docx and odt (their XML, read from the zip).

Pure functions of the file's bytes; anything unreadable gives "" (the document stays, unsearchable
by its contents). The text is bounded (``MAX_CHARS``): a search needs words, not whole books.
"""

import io
import logging
import re
import zipfile
from xml.etree import ElementTree

logger = logging.getLogger(__name__)

MAX_CHARS = 200_000
MAX_XML_BYTES = 20 * 1024 * 1024  # a zip bomb is not unpacked past this

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def _clean(text: str) -> str:
    return re.sub(r"[ \t\r\f\v]+", " ", re.sub(r"\n\s*\n+", "\n", text)).strip()[:MAX_CHARS]


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    parts, size = [], 0
    for page in reader.pages:
        chunk = page.extract_text() or ""
        parts.append(chunk)
        size += len(chunk)
        if size > MAX_CHARS:
            break
    return _clean("\n".join(parts))


def _zip_member(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
        if info.file_size > MAX_XML_BYTES:
            raise ValueError("part too large")
        return archive.read(name)


def _parse(xml: bytes):
    """Parse a part of the file; a document type declaration (entities: "billion laughs", outside
    references) is refused outright: no office file needs one."""
    if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
        raise ValueError("DTD refused")
    return ElementTree.fromstring(xml)  # noqa: S314 (no DTD, so no entity can be expanded)


def _paragraphs(root, paragraph_tag: str) -> str:
    return "\n".join("".join(p.itertext()) for p in root.iter(paragraph_tag))


def docx_text(data: bytes) -> str:
    root = _parse(_zip_member(data, "word/document.xml"))
    return _clean(_paragraphs(root, f"{W}p"))


def odt_text(data: bytes) -> str:
    root = _parse(_zip_member(data, "content.xml"))
    lines = ["".join(el.itertext()) for el in root.iter() if el.tag in (f"{TEXT_NS}p", f"{TEXT_NS}h")]
    return _clean("\n".join(lines))


def extract_text(data: bytes) -> str:
    """The text of a PDF, docx or odt file; "" for other kinds or an unreadable file."""
    try:
        if data.startswith(b"%PDF-"):
            return pdf_text(data)
        if data.startswith(b"PK"):
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
            if "word/document.xml" in names:
                return docx_text(data)
            if "content.xml" in names:
                return odt_text(data)
    except Exception:  # a damaged file: no text, the document stays
        logger.warning("Could not extract the text of a document", exc_info=True)
    return ""
