"""Decode an upload and make the files that are served. Pure functions: bytes in, bytes out.

Every function raises :class:`Rejected` with a French reason when the content is not what it
claims to be (not decodable, too large, too long…). Anything else that goes wrong is a technical
failure for the task to handle. Nothing here touches the database or the storage.
"""

import errno
import io
import os
import tempfile
import warnings
import zipfile
from dataclasses import dataclass, field

import av
import pillow_heif
from django.conf import settings
from PIL import Image, ImageCms, ImageFile, ImageFilter, ImageOps

from .checks import audio_format, document_family, image_format
from .models import MediaFile, fit_within

pillow_heif.register_heif_opener()

IMAGE_FORMATS = ["JPEG", "PNG", "WEBP", "GIF", "HEIF"]
AAC_RATES = {96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000}
AAC_BIT_RATE = 96_000


class Rejected(Exception):
    """The upload itself is unacceptable; ``message`` says why, in French, to the person who sent it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Result:
    """What processing made: ``files`` maps a model field to (file suffix, bytes)."""

    content_type: str
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    width: int | None = None
    height: int | None = None
    duration: float | None = None

    @property
    def main_size(self) -> int:
        main = next(iter(self.files.values()))
        return len(main[1])


# --- Images -------------------------------------------------------------------------------------


def _srgb(image: Image.Image) -> Image.Image:
    """Convert to sRGB when the picture carries an ICC profile, then forget the profile."""
    icc = image.info.get("icc_profile")
    if not icc or image.mode not in ("RGB", "RGBA", "CMYK"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        converted = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=output_mode)
        return converted or image
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # A broken profile: keep the pixels as they are.


def _without_metadata(image: Image.Image) -> Image.Image:
    """A new picture holding only the pixels: no EXIF, GPS, XMP, ICC or comment can follow."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    mode = "RGBA" if has_alpha else "RGB"
    pixels = image.convert(mode)
    clean = Image.new(mode, pixels.size)
    clean.paste(pixels)
    return clean


def _encode(image: Image.Image, fmt: str) -> bytes:
    buffer = io.BytesIO()
    if fmt == "WEBP":
        image.save(buffer, "WEBP", quality=82, method=4, exif=b"", icc_profile=b"")
    else:
        if image.mode == "RGBA":
            flat = Image.new("RGB", image.size, (255, 255, 255))
            flat.paste(image, mask=image.getchannel("A"))
            image = flat
        image.save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
    return buffer.getvalue()


def _pixels_label(count: int) -> str:
    return f"{count / 1_000_000:.0f} millions de pixels" if count >= 2_000_000 else f"{count} pixels"


def _decode_image(data: bytes) -> Image.Image:
    """Open and decode the first frame, refusing decompression bombs; upright per its EXIF orientation."""
    limit = settings.ENT_UPLOAD_MAX_IMAGE_PIXELS
    too_large = Rejected(
        f"L’image est trop grande : elle dépasse {_pixels_label(limit)} (c’est peut-être un fichier piégé). "
        "Réduisez-la avant de l’envoyer."
    )
    if image_format(data[:64]) is None:
        raise Rejected("Ce fichier n’est pas une image JPEG, PNG, WebP, GIF ou HEIC.")
    previous_limit, previous_truncated = Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES
    Image.MAX_IMAGE_PIXELS = limit  # Pillow warns above, and refuses above twice this; warnings are errors here.
    # A cut file is refused, whoever turned Pillow's setting on (WeasyPrint does when imported, and
    # some of its importers import it late: resources.samples).
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=IMAGE_FORMATS)
            if image.width * image.height > limit:
                raise too_large
            image.seek(0)  # An animation keeps its first frame.
            if image.format == "JPEG":
                # Decode big photos directly at (at least) the display size: less memory, faster.
                image.draft("RGB", fit_within(image.width, image.height, settings.ENT_UPLOAD_IMAGE_DISPLAY_PX))
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise too_large from None
    except Rejected:
        raise
    except Exception as exc:  # Pillow's decoders raise many types; all mean "unreadable" here.
        raise Rejected(
            "Cette image est illisible ou incomplète (fichier abîmé ou tronqué) : envoyez-la de nouveau."
        ) from exc
    finally:
        Image.MAX_IMAGE_PIXELS, ImageFile.LOAD_TRUNCATED_IMAGES = previous_limit, previous_truncated
    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # A broken EXIF block: keep the pixels as stored rather than refuse the photo.
        return image


def process_image(data: bytes) -> Result:
    image = _decode_image(data)
    image = _without_metadata(_srgb(image))
    result = Result(content_type="image/webp")
    display = image.resize(
        fit_within(image.width, image.height, settings.ENT_UPLOAD_IMAGE_DISPLAY_PX), Image.Resampling.LANCZOS
    )
    thumb = image.resize(
        fit_within(display.width, display.height, settings.ENT_UPLOAD_IMAGE_THUMB_PX), Image.Resampling.LANCZOS
    )
    result.width, result.height = display.size
    result.files = {
        "display_webp": (".webp", _encode(display, "WEBP")),
        "display_jpeg": (".jpg", _encode(display, "JPEG")),
        "thumb_webp": ("-vignette.webp", _encode(thumb, "WEBP")),
        "thumb_jpeg": ("-vignette.jpg", _encode(thumb, "JPEG")),
    }
    return result


# A blurred area cannot be read back: it is reduced to blocks of this many pixels, then blurred.
BLUR_BLOCK_PX = 12


def blur_regions(data: bytes, regions, fmt: str) -> bytes:
    """The stored variant ``data`` (WebP or JPEG, already clean) with each region made unreadable.

    ``regions`` are ``(left, top, width, height)`` fractions of the picture (0 to 1), so that one
    drawing applies to every size. Each area is pixelated in blocks of ``BLUR_BLOCK_PX`` then
    blurred: faces and names cannot be recovered from it.
    """
    with Image.open(io.BytesIO(data), formats=["WEBP", "JPEG"]) as opened:
        opened.load()
        image = _without_metadata(opened)
    for left, top, width, height in regions:
        box = (
            max(0, int(left * image.width)),
            max(0, int(top * image.height)),
            min(image.width, int(round((left + width) * image.width))),
            min(image.height, int(round((top + height) * image.height))),
        )
        if box[2] - box[0] < 1 or box[3] - box[1] < 1:
            continue
        area = image.crop(box)
        small = area.resize(
            (max(1, area.width // BLUR_BLOCK_PX), max(1, area.height // BLUR_BLOCK_PX)), Image.Resampling.BOX
        )
        area = small.resize(area.size, Image.Resampling.NEAREST).filter(
            ImageFilter.GaussianBlur(radius=max(2, BLUR_BLOCK_PX // 2))
        )
        image.paste(area, box[:2])
    return _encode(image, fmt)


# --- Audio --------------------------------------------------------------------------------------


def _too_long(limit: int) -> Rejected:
    minutes = limit // 60
    text = f"{minutes} minute{'s' if minutes > 1 else ''}" if minutes and not limit % 60 else f"{limit} secondes"
    return Rejected(f"L’enregistrement est trop long : il ne doit pas dépasser {text}.")


def process_audio(data: bytes) -> Result:
    """Decode the whole recording (its real length is known only then: browsers' WebM has none) into AAC."""
    not_audio = Rejected("Ce fichier n’est pas un enregistrement audio lisible (WebM, Ogg, MP4/AAC, MP3 ou WAV).")
    demuxer = audio_format(data[:64])
    if demuxer is None:
        raise not_audio
    limit = settings.ENT_UPLOAD_MAX_AUDIO_SECONDS
    fd, path = tempfile.mkstemp(suffix=".m4a")
    os.close(fd)
    try:
        try:
            seconds = _transcode(data, demuxer, path, limit)
        except av.FFmpegError as exc:
            if getattr(exc, "errno", None) == errno.ENOSPC:
                raise OSError(errno.ENOSPC, "No space left for the transcoded audio") from exc
            raise not_audio from exc
        except (ValueError, EOFError, IndexError) as exc:
            raise not_audio from exc
        if seconds <= 0:
            raise not_audio
        with open(path, "rb") as output:
            encoded = output.read()
    finally:
        os.unlink(path)
    return Result(content_type="audio/mp4", files={"audio": (".m4a", encoded)}, duration=round(seconds, 3))


def _transcode(data: bytes, demuxer: str, path: str, limit: int) -> float:
    with av.open(io.BytesIO(data), format=demuxer) as source:
        streams = source.streams.audio
        if not streams:
            raise Rejected("Ce fichier ne contient aucune piste audio.")
        stream = streams[0]
        if source.duration is not None and source.duration / av.time_base > limit + 1:
            raise _too_long(limit)
        rate = stream.codec_context.sample_rate
        rate = rate if rate in AAC_RATES else 48000
        layout = "mono" if stream.codec_context.layout.nb_channels == 1 else "stereo"
        decoded = 0.0
        with av.open(path, "w", format="ipod", options={"movflags": "+faststart"}) as output:
            encoder = output.add_stream("aac", rate=rate, layout=layout)
            encoder.bit_rate = AAC_BIT_RATE
            resampler = av.AudioResampler(
                format="fltp", layout=layout, rate=rate, frame_size=encoder.codec_context.frame_size or 1024
            )
            for frame in source.decode(stream):
                decoded += frame.samples / frame.sample_rate
                if decoded > limit + 0.5:
                    raise _too_long(limit)
                _encode_frames(output, encoder, resampler.resample(frame))
            _encode_frames(output, encoder, resampler.resample(None))
            for packet in encoder.encode(None):
                output.mux(packet)
    return decoded


def _encode_frames(output, encoder, frames) -> None:
    for frame in frames:
        frame.pts = None
        for packet in encoder.encode(frame):
            output.mux(packet)


# --- Documents ----------------------------------------------------------------------------------

OOXML = {
    "word/document.xml": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
    "xl/workbook.xml": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
    "ppt/presentation.xml": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", ".pptx"),
}
ODF = {
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/vnd.oasis.opendocument.presentation": ".odp",
}
OLE2 = {
    "WordDocument": ("application/msword", ".doc"),
    "Workbook": ("application/vnd.ms-excel", ".xls"),
    "Book": ("application/vnd.ms-excel", ".xls"),
    "PowerPoint Document": ("application/vnd.ms-powerpoint", ".ppt"),
}
MAX_ZIP_ENTRIES = 20_000

DOCUMENT_REFUSED = (
    "Ce fichier n’est pas un document accepté : seuls les PDF et les documents Word, Excel, PowerPoint "
    "ou LibreOffice sont acceptés."
)


def _pdf(data: bytes) -> tuple[str, str]:
    # A PDF starts with its header and ends with a cross-reference pointer and the end-of-file mark.
    tail = data[-16384:]
    if b"startxref" not in tail or b"%%EOF" not in tail:
        raise Rejected("Ce PDF est incomplet ou abîmé (fin de fichier absente) : enregistrez-le de nouveau.")
    return "application/pdf", ".pdf"


def _zip_document(data: bytes) -> tuple[str, str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ZIP_ENTRIES:
                raise Rejected(DOCUMENT_REFUSED)
            names = {info.filename for info in infos}
            if any(name.lower().endswith("vbaproject.bin") for name in names):
                raise Rejected("Les documents contenant des macros ne sont pas acceptés : enregistrez-le sans macros.")
            if "[Content_Types].xml" in names:
                for part, kind in OOXML.items():
                    if part in names:
                        return kind
            if infos and infos[0].filename == "mimetype" and infos[0].file_size < 100:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                if mimetype in ODF and "content.xml" in names:
                    return mimetype, ODF[mimetype]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise Rejected("Ce document est abîmé ou incomplet : enregistrez-le de nouveau.") from exc
    raise Rejected(DOCUMENT_REFUSED)


def _ole2_document(data: bytes) -> tuple[str, str]:
    # Legacy Office files are OLE2 compound files; their main stream's name (UTF-16) says which.
    for stream, kind in OLE2.items():
        if stream.encode("utf-16-le") + b"\x00\x00" in data:
            return kind
    raise Rejected(DOCUMENT_REFUSED)


def process_document(data: bytes) -> Result:
    family = document_family(data[:1024])
    checks = {"pdf": _pdf, "zip": _zip_document, "ole2": _ole2_document}
    if family is None:
        raise Rejected(DOCUMENT_REFUSED)
    content_type, suffix = checks[family](data)
    return Result(content_type=content_type, files={"file": (suffix, data)})


def safe_download_name(original_name: str, suffix: str) -> str:
    """A file name fit for ``Content-Disposition``: no path, no control character, the right extension."""
    name = os.path.basename((original_name or "").replace("\\", "/"))
    name = "".join(ch for ch in name if ch.isprintable() and ch not in '"<>:|?*/').strip(" .")
    stem, extension = os.path.splitext(name)
    if extension.lower() != suffix:
        stem = name
    stem = stem[:120].strip(" .") or "document"
    return f"{stem}{suffix}"


def process(kind: str, data: bytes) -> Result:
    """Check and convert ``data`` as an upload of ``kind``; raise :class:`Rejected` when it is refused."""
    processors = {
        MediaFile.Kind.IMAGE: process_image,
        MediaFile.Kind.AUDIO: process_audio,
        MediaFile.Kind.DOCUMENT: process_document,
    }
    return processors[kind](data)
