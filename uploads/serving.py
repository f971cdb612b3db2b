"""The HTTP answer that hands a processed file to someone whose right was already checked.

In production (``ENT_MEDIA_ACCEL_REDIRECT`` set) the answer carries no bytes: nginx sends the file
from an ``internal`` location — from its disk (``alias`` of MEDIA_ROOT), or, with the media on S3,
from the object storage: the redirect then carries the path and query of a signed URL that lives
``ENT_MEDIA_S3_URL_SECONDS`` (a minute), which nginx fetches and passes on; the browser never sees
the storage. Otherwise Django streams the file (from the disk or from S3), with single byte ranges
(Safari needs them to play audio).
"""

import os
import re
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header

from .models import MediaFile
from .processing import safe_download_name

# A signed-in person's browser keeps nothing (school computers are shared: once they sign out, the
# next person must not find pupils' photos in the cache); a public blog's image, read without
# signing in, may be kept an hour.
CACHE_CONTROL_SIGNED_IN = "private, no-store"
CACHE_CONTROL_ANONYMOUS = "private, max-age=3600"
RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _headers(request, response: HttpResponse, media: MediaFile, variant: str, stored) -> HttpResponse:
    response["Content-Type"] = media.variant_content_type(variant)
    signed_in = request.user.is_authenticated
    response["Cache-Control"] = CACHE_CONTROL_SIGNED_IN if signed_in else CACHE_CONTROL_ANONYMOUS
    response["X-Content-Type-Options"] = "nosniff"
    response["Accept-Ranges"] = "bytes"
    if media.kind == MediaFile.Kind.DOCUMENT:
        name = safe_download_name(media.original_name, os.path.splitext(stored.name)[1].lower())
        response["Content-Disposition"] = content_disposition_header(True, name)
    else:
        response["Content-Disposition"] = "inline"
    # Opened on its own, a served file can run nothing (defence in depth: only WebP, JPEG, M4A,
    # and checked documents are ever served).
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _byte_range(header: str, size: int) -> tuple[int, int] | None:
    """(first, last) of a single satisfiable ``Range: bytes=…``, else None (the whole file is sent)."""
    match = RANGE.match(header.strip())
    if not match or size == 0:
        return None
    first, last = match.groups()
    if first == "":
        if last == "":
            return None
        first, last = max(0, size - int(last)), size - 1
    else:
        first, last = int(first), min(int(last), size - 1) if last else size - 1
    if first > last or first >= size:
        return None
    return first, last


def protected_file_response(request, media: MediaFile, variant: str, stored) -> HttpResponse:
    prefix = settings.ENT_MEDIA_ACCEL_REDIRECT
    if prefix:
        response = _headers(request, HttpResponse(), media, variant, stored)
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + _storage_path(stored, response)
        return response
    size = stored.size
    byte_range = _byte_range(request.headers.get("Range", ""), size)
    handle = stored.storage.open(stored.name, "rb")
    if byte_range is None:
        response = FileResponse(handle)
        response["Content-Length"] = str(size)
        return _headers(request, response, media, variant, stored)
    first, last = byte_range
    handle.seek(first)
    response = StreamingHttpResponse(_limited(handle, last - first + 1), status=206)
    response["Content-Length"] = str(last - first + 1)
    response["Content-Range"] = f"bytes {first}-{last}/{size}"
    return _headers(request, response, media, variant, stored)


def _limited(handle, remaining: int, chunk: int = 64 * 1024):
    try:
        while remaining > 0:
            data = handle.read(min(chunk, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data
    finally:
        handle.close()


def _storage_path(stored, response: HttpResponse) -> str:
    """Where nginx finds the file, below its internal location: the storage name on a disk, or the
    path and signed query of the object on S3 (the storage sends the headers the answer needs)."""
    if not _is_s3(stored.storage):
        return quote(stored.name)
    parameters = {
        "ResponseContentType": response["Content-Type"],
        "ResponseContentDisposition": response["Content-Disposition"],
        "ResponseCacheControl": response["Cache-Control"],
    }
    url = urlsplit(stored.storage.url(stored.name, parameters=parameters))
    return url.path.lstrip("/") + "?" + url.query


def _is_s3(storage) -> bool:
    return storage.__class__.__module__.startswith("storages.backends.s3")
