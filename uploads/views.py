from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from . import selectors
from .access import can_view_media
from .models import MediaFile
from .serving import protected_file_response

STATUS_TEMPLATES = {
    MediaFile.Kind.IMAGE: "components/media_image.html#body",
    MediaFile.Kind.AUDIO: "components/media_audio.html#body",
    MediaFile.Kind.DOCUMENT: "components/media_document.html#body",
}


class _SignInFirst(Exception):
    pass


def _visible_media_or_404(request, public_id) -> MediaFile:
    media = selectors.media_by_public_id(public_id)
    if media is None or not can_view_media(request.user, media):
        if not request.user.is_authenticated:
            raise _SignInFirst
        raise Http404  # Never say whether a file the person may not see exists.
    return media


@require_safe
def serve_view(request, public_id, variant):
    """The bytes of a processed file, to someone who may see the object holding it (anonymous
    people only for holders registered as possibly public; the others are asked to sign in)."""
    try:
        media = _visible_media_or_404(request, public_id)
    except _SignInFirst:
        return redirect_to_login(request.get_full_path())
    stored = media.variant_file(variant) if media.is_ready and not media.is_withheld else None
    if stored is None:
        raise Http404
    return protected_file_response(request, media, variant, stored)


@require_GET
@never_cache
def status_view(request, public_id):
    """The inside of the media component, polled by htmx while the item is being processed."""
    try:
        media = _visible_media_or_404(request, public_id)
    except _SignInFirst:
        if request.htmx:  # Session over while polling: reload the page (which asks to sign in).
            return HttpResponse(status=204, headers={"HX-Refresh": "true"})
        return redirect_to_login(request.get_full_path())
    size = "thumb" if request.GET.get("size") == "thumb" else "display"
    label = request.GET.get("label", "")[:200]
    return render(request, STATUS_TEMPLATES[media.kind], {"media": media, "size": size, "label": label})
