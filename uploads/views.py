from django.contrib.auth.decorators import login_required
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


def _visible_media_or_404(request, public_id) -> MediaFile:
    media = selectors.media_by_public_id(public_id)
    if media is None or not can_view_media(request.user, media):
        raise Http404  # Never say whether a file the person may not see exists.
    return media


@login_required
@require_safe
def serve_view(request, public_id, variant):
    """The bytes of a processed file, to someone who may see the object holding it."""
    media = _visible_media_or_404(request, public_id)
    stored = media.variant_file(variant) if media.is_ready else None
    if stored is None:
        raise Http404
    return protected_file_response(request, media, variant, stored)


@require_GET
@never_cache
def status_view(request, public_id):
    """The inside of the media component, polled by htmx while the item is being processed."""
    if not request.user.is_authenticated:
        if request.htmx:  # Session over while polling: reload the page (which asks to sign in).
            return HttpResponse(status=204, headers={"HX-Refresh": "true"})
        return redirect_to_login(request.get_full_path())
    media = _visible_media_or_404(request, public_id)
    size = "thumb" if request.GET.get("size") == "thumb" else "display"
    label = request.GET.get("label", "")[:200]
    return render(request, STATUS_TEMPLATES[media.kind], {"media": media, "size": size, "label": label})
