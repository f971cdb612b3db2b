"""Files made by the tests themselves (no binary fixture is committed)."""

import array
import io
import math
import time
import zipfile

import av
import pillow_heif
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

pillow_heif.register_heif_opener()

GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (46.0, 49.0, 12.5),
    ExifTags.GPS.GPSLongitudeRef: "E",
    ExifTags.GPS.GPSLongitude: (0.0, 12.0, 3.0),
}


def photo_exif(*, gps: bool = True, orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Téléphone de test"
    exif[ExifTags.Base.Model] = "Modèle 2026"
    if orientation is not None:
        exif[ExifTags.Base.Orientation] = orientation
    if gps:
        exif[ExifTags.IFD.GPSInfo] = GPS
    return exif


def picture(size=(300, 200), mode="RGB") -> Image.Image:
    """Left half red, right half blue: orientation can be checked from the pixels."""
    image = Image.new(mode, size, (200, 30, 30) if mode == "RGB" else None)
    if mode == "RGB":
        image.paste((30, 30, 200), (size[0] // 2, 0, size[0], size[1]))
    return image


def image_bytes(fmt="JPEG", size=(300, 200), exif: Image.Exif | None = None, **params) -> bytes:
    buffer = io.BytesIO()
    if exif is not None:
        params["exif"] = exif.tobytes()
    picture(size).save(buffer, fmt, **params)
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type="application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def jpeg_upload(name="photo.jpg", **kwargs) -> SimpleUploadedFile:
    return upload(name, image_bytes("JPEG", **kwargs), "image/jpeg")


def bomb_png() -> bytes:
    """100 million pixels (over the 60 million allowed) in a few kilobytes."""
    buffer = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def heic_bytes(size=(320, 240), exif: Image.Exif | None = None) -> bytes:
    buffer = io.BytesIO()
    params = {"exif": exif.tobytes()} if exif is not None else {}
    picture(size).save(buffer, "HEIF", quality=60, **params)
    return buffer.getvalue()


def sine(
    fmt: str, codec: str, seconds: float = 2.0, rate: int = 48_000, layout: str = "mono", options: dict | None = None
) -> bytes:
    """A 440 Hz tone of ``seconds``, encoded with PyAV into ``fmt`` / ``codec`` (muxer ``options``)."""
    channels = 1 if layout == "mono" else 2
    # One second holds a whole number of periods: the tone is that second, repeated.
    one_second = array.array(
        "h", (int(9000 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(rate) for _ in range(channels))
    ).tobytes()
    width = 2 * channels
    buffer = io.BytesIO()
    with av.open(buffer, "w", format=fmt, options=options or {}) as container:
        stream = container.add_stream(codec, rate=rate, layout=layout)
        total, done, chunk = int(seconds * rate), 0, 960
        while done < total:
            count = min(chunk, total - done)
            start = (done % rate) * width
            data = (one_second[start:] + one_second)[: count * width]
            frame = av.AudioFrame(format="s16", layout=layout, samples=count)
            frame.planes[0].update(data)
            frame.rate, frame.pts = rate, done
            for packet in stream.encode(frame):
                container.mux(packet)
            done += count
        for packet in stream.encode(None):
            container.mux(packet)
    return buffer.getvalue()


def video_only_webm() -> bytes:
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="webm") as container:
        stream = container.add_stream("libvpx", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for index in range(5):
            frame = av.VideoFrame(64, 48, "yuv420p")
            frame.pts = index
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    buffer = io.BytesIO()
    # Fixed dates: Pillow otherwise stamps the current second, and two calls would differ.
    fixed = time.strptime("2026-09-01 08:30", "%Y-%m-%d %H:%M")
    picture((200, 100)).save(buffer, "PDF", title="Compte rendu", creationDate=fixed, modDate=fixed)
    return buffer.getvalue()


def _zip(entries: dict[str, bytes | str], first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if first is not None:
            archive.writestr(first, entries.pop(first), compress_type=zipfile.ZIP_STORED)
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


CONTENT_TYPES_XML = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)


def docx_bytes(*, macros: bool = False) -> bytes:
    entries = {
        "[Content_Types].xml": CONTENT_TYPES_XML,
        "_rels/.rels": "<Relationships/>",
        "word/document.xml": "<w:document><w:body><w:p><w:r><w:t>Bonjour</w:t></w:r></w:p></w:body></w:document>",
    }
    if macros:
        entries["word/vbaProject.bin"] = b"\x00" * 64
    return _zip(entries)


def odt_bytes() -> bytes:
    return _zip(
        {
            "mimetype": "application/vnd.oasis.opendocument.text",
            "content.xml": "<office:document-content/>",
            "META-INF/manifest.xml": "<manifest:manifest/>",
        },
        first="mimetype",
    )


def ole2_bytes(stream_name: str = "WordDocument") -> bytes:
    """The signature and a directory entry name of a compound file (what the check reads)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    directory = "Root Entry".encode("utf-16-le") + b"\x00\x00" + b"\x00" * 64
    directory += stream_name.encode("utf-16-le") + b"\x00\x00" + b"\x00" * 64
    return header + directory + b"\x00" * 1024


# What browsers' MediaRecorder writes (the dictaphone): FFmpeg's muxers, set the same way.
RECORDER_OPTIONS = {
    # Chrome: a live WebM, without duration, cues or seek head (clusters written as they come).
    "webm": {"live": "1"},
    # Safari: a fragmented MP4 (an empty moov, then moof/mdat fragments).
    "mp4": {"movflags": "frag_keyframe+empty_moov+default_base_moof"},
    # Firefox: an ordinary Ogg/Opus stream.
    "ogg": {},
}


def recording(fmt: str, seconds: float = 3.0) -> bytes:
    """A tone of ``seconds`` as the browser that records ``fmt`` writes it."""
    codec, rate = {"webm": ("libopus", 48_000), "ogg": ("libopus", 48_000), "mp4": ("aac", 44_100)}[fmt]
    return sine(fmt, codec, seconds=seconds, rate=rate, options=RECORDER_OPTIONS[fmt])
