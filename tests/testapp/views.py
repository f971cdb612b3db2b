"""A test-only page for the components that need a real browser (the dictaphone)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from uploads.models import MediaFile
from uploads.services import media_errors_on, media_upload

from .forms import RecordingForm


@login_required
def dictaphone_view(request):
    """A form with the dictaphone; once sent, the same page plays what was uploaded."""
    form = RecordingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            with media_errors_on(file="audio"):
                media = media_upload(file=form.cleaned_data["audio"], kind="audio", uploaded_by=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return redirect(f"{reverse('testapp:dictaphone')}?envoi={media.pk}")
    sent = None
    if request.GET.get("envoi", "").isdigit():
        sent = MediaFile.objects.filter(pk=request.GET["envoi"], uploaded_by=request.user).first()
    return render(request, "testapp/dictaphone.html", {"form": form, "sent": sent})


# The checker of touch targets (tests/accessibility) on a page it must judge: a 20 px button, a
# 44 px one, a lone link one line high, and a link inside a sentence. Sizes come from a stylesheet: the site's CSP refuses inline styles.
TOUCH_TARGETS_CSS = """
button.petit { width: 20px; height: 20px; padding: 0; }
button.grand { min-width: 44px; min-height: 44px; }
a.petit-lien { display: inline-block; }
"""


def touch_targets_view(request):
    return render(request, "testapp/touch_targets.html")


def touch_targets_css(request):
    return HttpResponse(TOUCH_TARGETS_CSS, content_type="text/css")
