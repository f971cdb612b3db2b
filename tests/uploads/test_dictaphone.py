"""The dictaphone component (templates/components/dictaphone.html) as the server draws it, and the
test app's page that sends its recording through ``media_upload``. The browser side is in
``test_dictaphone_browser.py``."""

import re

import pytest
from django import forms
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse

from ent.forms import DsfrForm
from tests.testapp.forms import RecordingForm
from uploads.forms import MediaUploadField
from uploads.models import MediaFile

from . import samples

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.testapp.urls")]

INCLUDE = Template('{% include "components/dictaphone.html" with field=form.audio %}')


def draw(form) -> str:
    return INCLUDE.render(Context({"form": form}))


def test_it_draws_the_field_then_the_recorder_hidden_until_the_module_has_checked_the_browser(settings):
    settings.ENT_UPLOAD_MAX_AUDIO_SECONDS = 300
    html = draw(RecordingForm())

    # The field, as components/form_field.html draws it: label, hint with the bounds, the DSFR input.
    assert '<div class="fr-upload-group">' in html
    assert re.search(r'<label class="fr-label" for="id_audio">Lecture enregistrée', html)
    assert "Durée maximale : 5 min." in html
    file_input = re.search(r"<input [^>]*>", html).group(0)
    assert 'type="file"' in file_input and 'class="fr-upload"' in file_input
    assert re.search(r'accept="audio/\*[^"]*"', file_input)
    assert re.search(r"\scapture[\s>]", file_input)  # a phone's recorder, where the page cannot record
    assert " required" in file_input
    # The recorder, tied to that input, bounded by the uploads' length bound.
    assert 'data-ent-dictaphone-input="id_audio"' in html
    assert 'data-ent-dictaphone-max-seconds="300"' in html
    assert re.search(r"<fieldset [^>]*data-ent-dictaphone-recorder hidden>", html)
    for label in ["Enregistrer", "Mettre en pause", "Reprendre", "Arrêter", "Enregistrer à nouveau"]:
        assert re.search(rf'<button type="button" [^>]*>{label}</button>', html), label
    assert '<label class="fr-label" for="id_audio-dictaphone-niveau">Niveau du micro</label>' in html
    assert 'aria-label="Écouter l’enregistrement"' in html
    assert re.search(r'<p [^>]*role="status" aria-live="polite" data-ent-dictaphone-status></p>', html)
    # Its module and styles, served by the site; nothing inline (strict CSP).
    assert '<script type="module" src="/static/ent/dictaphone.js"></script>' in html
    assert '<link rel="stylesheet" href="/static/ent/dictaphone.css">' in html
    assert "style=" not in html and "<style" not in html
    assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html))


def test_the_ids_follow_the_field_so_that_two_dictaphones_can_share_a_page():
    class TwoRecordings(DsfrForm):
        audio = MediaUploadField(kind="audio", label="Première lecture")

    html = draw(TwoRecordings(prefix="page-2"))

    assert 'data-ent-dictaphone-input="id_page-2-audio"' in html
    assert 'id="id_page-2-audio-dictaphone-etat"' in html
    assert 'for="id_page-2-audio-dictaphone-niveau"' in html


def test_a_refused_file_is_said_on_the_field(client_as, teacher):
    response = client_as(teacher).post(
        reverse("testapp:dictaphone"), {"audio": samples.upload("lecture.webm", samples.pdf_bytes())}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert '<div class="fr-upload-group fr-upload-group--error">' in html
    assert "n’est pas un enregistrement audio" in html
    assert re.search(r'<input [^>]*aria-invalid="true"[^>]*aria-describedby="id_audio-desc-error"', html)
    assert not MediaFile.objects.exists()


def test_the_component_takes_only_an_audio_field():
    class Photo(DsfrForm):
        audio = forms.FileField()

    with pytest.raises(TemplateSyntaxError, match="audio field of uploads.forms"):
        draw(Photo())


@pytest.mark.slow  # PyAV encodes and transcodes
def test_a_recording_sent_with_the_form_becomes_an_m4a_that_the_page_plays(
    client_as, teacher, django_capture_on_commit_callbacks
):
    client = client_as(teacher)
    recording = samples.upload("enregistrement-2026-12-01-09h3005.webm", samples.recording("webm", 3.0), "audio/webm")

    with django_capture_on_commit_callbacks(execute=True):  # the processing, queued on commit
        response = client.post(reverse("testapp:dictaphone"), {"audio": recording})

    media = MediaFile.objects.get()
    assert response.status_code == 302 and response.url == f"{reverse('testapp:dictaphone')}?envoi={media.pk}"
    assert media.status == MediaFile.Status.READY, media.error
    assert media.uploaded_by == teacher and media.kind == "audio"
    assert media.audio.name.endswith(".m4a") and media.duration == pytest.approx(3.0, abs=0.1)
    page = client.get(response.url).content.decode()
    assert f'src="/fichiers/{media.public_id}/audio/"' in page
    assert 'aria-label="Lecture envoyée, durée 3 s"' in page


def test_the_test_page_asks_to_sign_in(client):
    response = client.get(reverse("testapp:dictaphone"))

    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))
