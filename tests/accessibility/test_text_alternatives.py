"""Text alternatives everywhere: every form of every app that takes an image asks for its
alternative text (and refuses the image without it), every form that takes a recording has a
transcript field, and every SVG of the site (the frise) has its title and an equivalent list."""

import importlib
import inspect
import io
import re

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import BaseForm
from PIL import Image

from mail.forms import ComposeForm
from uploads.forms import MediaFormMixin, MediaUploadField
from uploads.models import MediaFile

PROJECT_APPS = [
    config
    for config in apps.get_app_configs()
    if str(settings.BASE_DIR) in str(config.path) and not config.name.startswith("tests")
]


def _forms():
    for config in PROJECT_APPS:
        for module_name in ("forms", "mailbox_forms"):
            try:
                module = importlib.import_module(f"{config.name}.{module_name}")
            except ModuleNotFoundError:
                continue
            for name, form in inspect.getmembers(module, inspect.isclass):
                if issubclass(form, BaseForm) and form.__module__ == module.__name__:
                    yield f"{module.__name__}.{name}", form


def _media_fields(form):
    fields = form.base_fields
    return [(name, field) for name, field in fields.items() if isinstance(field, MediaUploadField)]


FORMS = list(_forms())
WITH_MEDIA = [(label, form) for label, form in FORMS if _media_fields(form)]


def test_the_forms_that_take_files_are_found_in_every_app():
    apps_with_media = {label.split(".")[0] for label, _form in WITH_MEDIA}
    assert {"news", "blogs", "notebooks", "mail"} <= apps_with_media, apps_with_media


@pytest.mark.parametrize(("label", "form"), WITH_MEDIA, ids=[label for label, _form in WITH_MEDIA])
def test_every_image_field_asks_for_its_alt_text_and_every_audio_field_has_a_transcript(label, form):
    names = set(form.base_fields)
    for name, field in _media_fields(form):
        if field.kind in (MediaFile.Kind.IMAGE, None):
            assert field.alt_text_field in names, f"{label}.{name}: no alternative text field"
            assert issubclass(form, MediaFormMixin), f"{label}: the alt text is not checked"
        if field.kind in (MediaFile.Kind.AUDIO, None):
            assert any("transcript" in other for other in names), f"{label}.{name}: no transcript field"


@pytest.mark.django_db
def test_a_message_refuses_an_image_without_its_alt_text(school):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    image = SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")
    form = ComposeForm(data={"subject": "Sortie", "images_alt": ""}, files={"images": image})

    assert not form.is_valid()
    assert "images_alt" in form.errors


@time_machine.travel("2026-12-01 10:00 +0100", tick=False)
def test_the_frise_svg_has_its_title_and_an_equivalent_list(client_as, director, school):
    from tests.timeline.factories import EventFactory

    EventFactory(title="Conseil des maîtres")
    page = client_as(director).get("/frise/").content.decode()

    svgs = re.findall(r"<svg\b[^>]*>", page)
    named = [tag for tag in svgs if 'aria-hidden="true"' not in tag]
    assert named, "the frise is drawn"
    for tag in named:
        labelled = re.search(r'aria-labelledby="([^"]+)"', tag)
        assert labelled, tag
        assert re.search(rf'<title id="{labelled.group(1)}">[^<]+</title>', page), tag
    assert 'id="frise-liste"' in page and "Conseil des maîtres" in page.split('id="frise-liste"')[1]


def _wav() -> SimpleUploadedFile:
    import wave

    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x00" * 8000)
    return SimpleUploadedFile("lecture.wav", buffer.getvalue(), content_type="audio/wav")


@pytest.mark.django_db
def test_a_recording_keeps_its_transcript_and_the_player_shows_it(teacher, django_capture_on_commit_callbacks):
    from django.template.loader import render_to_string

    from uploads.services import media_upload

    with django_capture_on_commit_callbacks(execute=True):
        media = media_upload(file=_wav(), kind="audio", uploaded_by=teacher, transcript="  Il était une fois.  ")
    media.refresh_from_db()
    shown = render_to_string("components/media_audio.html", {"media": media})

    assert media.transcript == "Il était une fois."
    assert media.status == "ready"
    assert "<summary>Transcription</summary>" in shown and "Il était une fois." in shown
