"""The cheap checks made while the upload request runs: size bounds, the first bytes, the alt text.

They give an immediate French answer for the common mistakes (an empty file, a file too large, a
text file renamed ``.jpg``). They look at the content, never at the name. The real check, by
decoding, is made by the ``uploads.process_media`` task (see ``processing.py``).

``media_upload`` makes them all; the form pieces of ``forms.py`` make the same ones while a form
is validated, so the answer comes next to the field. The bounds are settings, read at each call.
"""

from django.conf import settings
from django.core.exceptions import ValidationError

from .models import MediaFile, human_size

Kind = MediaFile.Kind

HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs", b"mif1", b"msf1"}
MP4_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"mp41", b"mp42", b"isom", b"iso2", b"iso4", b"iso5", b"iso6", b"dash", b"3gp4"}
MP4_AUDIO_BRANDS |= {b"3gp5", b"3gp6", b"3g2a", b"qt  ", b"avc1", b"MSNV", b"f4a "}

KIND_LABELS = {
    Kind.IMAGE: "une image (JPEG, PNG, WebP, GIF ou HEIC)",
    Kind.AUDIO: "un enregistrement audio (WebM, Ogg, MP4/AAC, MP3 ou WAV)",
    Kind.DOCUMENT: "un document PDF ou bureautique (Word, Excel, PowerPoint, LibreOffice)",
}


def max_bytes(kind: str) -> int:
    return {
        Kind.IMAGE: settings.ENT_UPLOAD_MAX_IMAGE_BYTES,
        Kind.AUDIO: settings.ENT_UPLOAD_MAX_AUDIO_BYTES,
        Kind.DOCUMENT: settings.ENT_UPLOAD_MAX_DOCUMENT_BYTES,
    }[kind]


def image_format(head: bytes) -> str | None:
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[4:8] == b"ftyp" and head[8:12] in HEIF_BRANDS:
        return "HEIF"
    return None


def audio_format(head: bytes) -> str | None:
    """The FFmpeg demuxer to use, chosen from the magic bytes (never let FFmpeg guess: no playlists)."""
    if head.startswith(b"\x1a\x45\xdf\xa3"):
        return "matroska"  # WebM is Matroska
    if head.startswith(b"OggS"):
        return "ogg"
    if head[4:8] == b"ftyp" and head[8:12] in MP4_AUDIO_BRANDS:
        return "mp4"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head.startswith(b"ID3") or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    return None


def document_family(head: bytes) -> str | None:
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole2"
    return None


SNIFFERS = {Kind.IMAGE: image_format, Kind.AUDIO: audio_format, Kind.DOCUMENT: document_family}


def read_head(file, length: int = 1024) -> bytes:
    file.seek(0)
    head = file.read(length)
    file.seek(0)
    return head


def check_upload(file, kind: str) -> None:
    """Raise ``ValidationError`` (in French) unless ``file`` may be ``kind``: non-empty, within bounds, right magic."""
    if kind not in Kind.values:
        raise ValueError(f"Unknown media kind: {kind!r}")
    size = file.size
    if not size:
        raise ValidationError("Le fichier est vide : choisissez un autre fichier.", code="empty")
    limit = max_bytes(kind)
    if size > limit:
        raise ValidationError(
            "Le fichier est trop lourd (%(size)s) : la limite est de %(limit)s.",
            code="too_large",
            params={"size": human_size(size), "limit": human_size(limit)},
        )
    if SNIFFERS[kind](read_head(file)) is None:
        raise ValidationError(
            "Ce fichier n’est pas %(expected)s : son contenu n’est pas reconnu, quel que soit son nom.",
            code="unrecognised",
            params={"expected": KIND_LABELS[kind]},
        )


ALT_TEXT_REQUIRED = "Décrivez %(image)s (texte alternatif) : c’est ce que liront les personnes qui ne la voient pas."


def check_alt_text(kind: str, alt_text: str, *, image_name: str = "l’image") -> None:
    """Raise ``ValidationError`` (in French) for an image without alternative text.

    ``image_name`` is how the message names the image (« l’image de couverture »).
    """
    if kind == Kind.IMAGE and not (alt_text or "").strip():
        raise ValidationError(ALT_TEXT_REQUIRED, code="alt_text_required", params={"image": image_name})
