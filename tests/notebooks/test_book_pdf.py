"""The common book as PDF: read back with pypdf (texts in order, credits, transcripts, links), PDF/UA, tags."""

import re
from dataclasses import replace

import pytest
import tinyhtml5
from pypdf import PdfReader

from notebooks.book import AudioBlock, ImageBlock, render_pdf
from notebooks.book.pdf import LocalFetcher, build_html, qr_data_uri

from .book_samples import XSS, book, image_file

# WeasyPrint lays out whole books: the tests that render are marked slow.


def flat(text: str) -> str:
    """Extracted text on one line: no-break spaces as spaces, hyphenation and line breaks undone."""
    text = re.sub(r"[\u2010-]\n", "", text)
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def read(path) -> tuple[PdfReader, str]:
    reader = PdfReader(path)
    return reader, flat("\n".join(page.extract_text() for page in reader.pages))


def figures_alt(node, found=None) -> list[str]:
    """The ``/Alt`` of every ``/Figure`` of the structure tree."""
    found = [] if found is None else found
    node = node.get_object()
    if isinstance(node, dict):
        if node.get("/S") == "/Figure":
            found.append(str(node.get("/Alt", "")))
        kids = node.get("/K")
        if kids is not None:
            for kid in kids if isinstance(kids, list) else [kids]:
                figures_alt(kid, found)
    return found


def uris(reader: PdfReader) -> list[str]:
    return [
        str(annot.get_object()["/A"]["/URI"])
        for page in reader.pages
        for annot in page.get("/Annots", [])
        if "/URI" in annot.get_object().get("/A", {})
    ]


@pytest.fixture
def three_pages(tmp_path):
    return book(tmp_path / "media", pages=3)


@pytest.mark.slow
def test_the_pdf_reads_back_title_contents_credits_and_every_page_in_order(three_pages, tmp_path):
    out = tmp_path / "livre.pdf"
    render_pdf(three_pages, str(out))
    reader, text = read(out)

    assert "Un petit inventaire de la flore" in text
    assert "Le livre commun des écoles" in text and "THÈME : PRINTEMPS" in text.upper()
    assert "Les classes ont observé le printemps" in text  # the presentation
    assert "Sommaire" in text
    # After the contents, the pages in order: title, credits, text, then the recording's transcript.
    position = text.index("Sommaire")
    for n in (1, 2, 3):
        for expected in (
            f"Page numéro {n} : la flore",
            f"École de Mirebeau {n}, CE{n} — Léa {n} et Mme Martin",
            f"Observation {n}",
            f"Texte de la page {n}, avec du gras et une ligne",
            f"Transcription de la lecture {n}. Deuxième ligne.",
            f"Écouter l’enregistrement : ent.example.fr/cahiers/flore/enregistrements/{n}",
        ):
            found = text.find(expected, position)
            assert found > position, (expected, text[position : position + 400])
            position = found
    # Each page's number is printed, and the contents point at the page where each page starts.
    assert f"2 / {len(reader.pages)}" in text and f"{len(reader.pages)} / {len(reader.pages)}" in text
    starts = [
        next(i for i, p in enumerate(reader.pages) if f"Observation {n}" in p.extract_text()) + 1 for n in (1, 2, 3)
    ]
    toc = flat(next(p.extract_text() for p in reader.pages if "Sommaire" in p.extract_text()))
    for n, start in zip((1, 2, 3), starts, strict=True):
        assert re.search(rf"Page numéro {n} : la flore \(École de Mirebeau {n}[^)]*\)[ .]*{start}\b", toc), toc
    # The links: the notebook and each recording, as clickable links too.
    links = uris(reader)
    assert "https://ent.example.fr/cahiers/flore/" in links
    assert [link for link in links if "/enregistrements/" in link] == [
        f"https://ent.example.fr/cahiers/flore/enregistrements/{n}/" for n in (1, 2, 3)
    ]


@pytest.mark.slow
def test_the_pdf_declares_pdf_ua_and_is_tagged_in_french_with_the_alt_of_every_image(three_pages, tmp_path):
    out = tmp_path / "livre.pdf"
    render_pdf(three_pages, str(out))
    reader = PdfReader(out)
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfuaid:part(=\"1\"|>1<)", xmp)
    assert root["/MarkInfo"]["/Marked"].value is True
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "fr"
    assert reader.metadata.title == "Un petit inventaire de la flore"
    alts = figures_alt(root["/StructTreeRoot"])
    assert "Un pré fleuri" in alts  # the cover
    for n in (1, 2, 3):
        assert f"Une fleur jaune, photo {n}" in alts
        assert f"Code QR de l’enregistrement {n}" in alts
    assert all(alt.strip() for alt in alts)


@pytest.mark.slow
def test_images_are_embedded_at_print_resolution_at_most(tmp_path):
    """A photo far larger than the page is resampled to 300 dpi at its printed size, not kept whole."""
    sample = book(tmp_path / "media", pages=1, cover=False)
    big = image_file(tmp_path / "media", "grande.jpg", size=(6000, 4000))
    sample = replace(sample, pages=(replace(sample.pages[0], blocks=(ImageBlock(big, "Grande photo", 6000, 4000),)),))
    out = tmp_path / "livre.pdf"
    render_pdf(sample, str(out))
    widths = [
        obj["/Width"]
        for p in PdfReader(out).pages
        for obj in (x.get_object() for x in p["/Resources"].get("/XObject", {}).values())
        if obj.get("/Subtype") == "/Image"
    ]
    # 174 mm of text width at 300 dpi is about 2055 pixels: printed sharp, never 6000 wide.
    assert widths and max(widths) <= 2100 and max(widths) >= 1500


@pytest.mark.slow
def test_markup_in_every_text_field_is_printed_as_text_and_never_run(tmp_path):
    sample = book(tmp_path / "media", pages=2, evil=XSS)
    html, css, _allowed = build_html(sample)
    tree = tinyhtml5.parse(html, namespace_html_elements=False)
    tags = {element.tag for element in tree.iter()}
    assert "script" not in tags
    assert not [e for e in tree.iter() if any(name.startswith("on") for name in e.attrib)]
    # Only the images of the book and the QR codes are images: the typed <img> is text.
    sources = [e.get("src") for e in tree.iter("img")]
    assert len(sources) == 1 + 2 + 2 and all(s.startswith(("file:", "data:image/svg+xml")) for s in sources)
    assert "\x0b" not in html and "onerror" not in css

    out = tmp_path / "livre.pdf"
    render_pdf(sample, str(out))
    _reader, text = read(out)
    # The typed markup is shown as typed in the plain fields (escaped, not interpreted)…
    assert 'Un petit inventaire de la flore<script>alert("x")</script><img src=x onerror=alert(1)>' in text
    # …and removed from the rich text by the sanitiser.
    assert "non fermée& ]]>" in text


@pytest.mark.slow
def test_a_book_without_pages_still_renders(tmp_path):
    out = tmp_path / "vide.pdf"
    render_pdf(book(tmp_path / "media", pages=0, cover=False), str(out))
    reader, text = read(out)
    assert "Un petit inventaire de la flore" in text
    assert "Ce livre n’a pas encore de page." in text
    assert len(reader.pages) == 3  # cover, presentation, contents


@pytest.mark.slow
def test_progress_is_reported_with_increasing_values_up_to_the_total(tmp_path):
    calls = []
    render_pdf(
        book(tmp_path / "media", pages=2), str(tmp_path / "livre.pdf"), progress=lambda d, t: calls.append((d, t))
    )
    done = [d for d, _t in calls]
    assert done == sorted(set(done)) and len(done) >= 3
    assert {t for _d, t in calls} == {calls[-1][1]} and calls[-1][0] == calls[-1][1]


def test_rendering_fetches_nothing_but_the_books_files_and_data_uris(tmp_path):
    allowed = image_file(tmp_path, "a.jpg", size=(10, 10))
    other = image_file(tmp_path, "b.jpg", size=(10, 10))
    fetcher = LocalFetcher([allowed])
    assert fetcher.fetch(f"file://{allowed}").read()[:2] == b"\xff\xd8"
    assert fetcher.fetch("data:text/plain;base64,b2s=").read() == b"ok"
    for url in (f"file://{other}", "https://example.org/a.png", "http://127.0.0.1/", "ftp://example.org/a"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_importing_the_renderer_leaves_pillows_checks_of_truncated_images_alone():
    """WeasyPrint turns ``LOAD_TRUNCATED_IMAGES`` on when imported; the uploads must still refuse a cut JPEG."""
    from PIL import ImageFile

    import notebooks.book.pdf  # noqa: F401

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False


def test_each_recording_gets_the_qr_code_of_its_own_link_and_a_bad_link_none(tmp_path):
    sample = book(tmp_path / "media", pages=2, cover=False)
    silent = AudioBlock(path=sample.pages[0].blocks[2].path, transcript="", url="javascript:alert(1)", duration=3)
    sample = replace(sample, pages=(*sample.pages, replace(sample.pages[0], title="Sans lien", blocks=(silent,))))
    html, _css, _allowed = build_html(sample)
    tree = tinyhtml5.parse(html, namespace_html_elements=False)
    codes = [img.get("src") for img in tree.iter("img") if img.get("class") == "qr"]
    assert codes == [qr_data_uri(f"https://ent.example.fr/cahiers/flore/enregistrements/{n}/") for n in (1, 2)]
    assert codes[0] != codes[1]
    assert "javascript:" not in html
    last = list(tree.iter("article"))[-1]
    assert "Pas de transcription pour cet enregistrement." in "".join(last.itertext())
    assert last.find(".//a") is None
