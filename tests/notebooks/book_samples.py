"""Synthetic common books for the renderers' tests: images drawn with Pillow, tones encoded with PyAV."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw

from notebooks.book import AudioBlock, Book, BookImage, BookPage, ImageBlock, TextBlock
from tests.uploads.samples import sine

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>&amp; </p> ]]> \x0b'


def image_file(directory: Path, name: str, *, size=(1200, 800), fmt="JPEG", colour=(30, 120, 60)) -> str:
    picture = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(picture)
    draw.ellipse((size[0] // 4, size[1] // 4, size[0] * 3 // 4, size[1] * 3 // 4), fill=(240, 200, 40))
    path = directory / name
    picture.save(path, fmt, quality=85)
    return str(path)


@cache
def _tone(seconds: float) -> bytes:
    """A 440 Hz tone, AAC in MP4 (``.m4a``, what the uploads make of a recording); encoded once."""
    return sine("ipod", "aac", seconds=seconds, rate=44_100)


def audio_file(directory: Path, name: str, seconds: float = 1.0) -> str:
    path = directory / name
    path.write_bytes(_tone(seconds))
    return str(path)


def book(directory: Path, *, pages: int = 3, cover: bool = True, evil: str = "") -> Book:
    """A book of ``pages`` pages: text, an image (JPEG then WebP) and a recording on each.

    ``evil`` is appended to every text field (markup that must come out escaped).
    """
    directory.mkdir(parents=True, exist_ok=True)
    made = []
    for n in range(1, pages + 1):
        fmt, ext = ("JPEG", "jpg") if n % 2 else ("WEBP", "webp")
        made.append(
            BookPage(
                title=f"Page numéro {n} : la flore{evil}",
                school=f"École de Mirebeau {n}{evil}",
                class_label=f"CE{n}{evil}",
                authors=(f"Léa {n}{evil}", "Mme Martin"),
                blocks=(
                    TextBlock(
                        html=(
                            f"<h2>Observation {n}</h2><p>Texte de la page {n}, avec <strong>du gras</strong>"
                            f"<br>et une ligne<p>non fermée{evil}<ul><li>un<li>deux</ul>"
                            '<p><a href="https://example.org/?a=1&b=2">un lien</a></p>'
                        )
                    ),
                    ImageBlock(
                        path=image_file(directory, f"image-{n}.{ext}", fmt=fmt),
                        alt=f"Une fleur jaune, photo {n}{evil}",
                        width=1200,
                        height=800,
                    ),
                    AudioBlock(
                        path=audio_file(directory, f"lecture-{n}.m4a"),
                        transcript=f"Transcription de la lecture {n}.\nDeuxième ligne.\n\nUn autre paragraphe{evil}",
                        url=f"https://ent.example.fr/cahiers/flore/enregistrements/{n}/",
                        duration=1.0,
                    ),
                ),
            )
        )
    return Book(
        title=f"Un petit inventaire de la flore{evil}",
        subtitle=f"Le livre commun des écoles{evil}",
        theme=f"Printemps{evil}",
        colour="#18753c",
        presentation_html=f"<p>Les classes ont observé le printemps{evil}</p>",
        cover=BookImage(
            path=image_file(directory, "couverture.jpg"), alt=f"Un pré fleuri{evil}", width=1200, height=800
        )
        if cover
        else None,
        pages=tuple(made),
        edition_label=f"Édition du 1er décembre 2026{evil}",
        url="https://ent.example.fr/cahiers/flore/",
        identifier="urn:uuid:6f1c2a3e-4b5d-4e6f-8a9b-0c1d2e3f4a5b",
    )
