"""The image, audio and document components, and the status endpoint htmx polls."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from uploads.models import MediaFile
from uploads.services import media_set_alt_text, media_upload
from uploads.tasks import process_media

from . import samples

pytestmark = pytest.mark.django_db


def _render(template, **context) -> str:
    return render_to_string(f"components/{template}.html", context)


@pytest.fixture
def photo(process_now, teacher):
    return process_now(
        media_upload,
        file=samples.jpeg_upload(size=(2400, 1200)),
        kind="image",
        uploaded_by=teacher,
        alt_text="Le potager",
    )


def test_a_ready_image_is_a_picture_with_webp_jpeg_and_alt_text(photo):
    html = _render("media_image", media=photo)

    assert "<picture>" in html
    assert f'<source type="image/webp" srcset="{photo.url("display")}">' in html
    assert f'src="{photo.url("display-jpeg")}" alt="Le potager" width="1600" height="800"' in html
    assert "hx-get" not in html


def test_the_thumbnail_size(photo):
    html = _render("media_image", media=photo, size="thumb")

    assert f'srcset="{photo.url("thumb")}"' in html
    assert f'src="{photo.url("thumb-jpeg")}" alt="Le potager" width="400" height="200"' in html


def test_an_image_without_alternative_text_is_not_displayed(photo):
    media_set_alt_text(media=photo, alt_text="  ")

    html = _render("media_image", media=photo)

    assert "<img" not in html
    assert "il manque sa description (texte alternatif)" in html


def test_a_pending_image_says_so_and_polls_every_two_seconds(teacher):
    media = media_upload(file=samples.jpeg_upload(), kind="image", uploaded_by=teacher, alt_text="x")

    html = _render("media_image", media=media, size="thumb")

    assert "Image en cours de traitement…" in html
    assert f'hx-get="{reverse("uploads:status", args=[media.public_id])}?size=thumb"' in html
    assert 'hx-trigger="every 2s"' in html
    assert 'aria-live="polite"' in html
    assert "<img" not in html


def test_a_failed_image_shows_the_french_reason(process_now, teacher):
    media = process_now(
        media_upload,
        file=samples.upload("a.jpg", b"\xff\xd8\xff" + b"0" * 99),
        kind="image",
        alt_text="x",
        uploaded_by=teacher,
    )

    html = _render("media_image", media=media)

    assert "Image refusée : Cette image est illisible ou incomplète" in html
    assert "hx-get" not in html


def test_a_ready_recording_is_an_audio_player_with_its_duration(process_now, teacher):
    media = process_now(
        media_upload,
        file=samples.upload("voix.webm", samples.sine("webm", "libopus", seconds=2.0)),
        kind="audio",
        uploaded_by=teacher,
    )
    MediaFile.objects.filter(pk=media.pk).update(duration=125.2)
    media.refresh_from_db()

    html = _render("media_audio", media=media, label="Poème lu par la classe")

    assert "<audio" in html and "controls" in html
    assert f'<source src="{media.url("audio")}" type="audio/mp4">' in html
    assert "Durée : 2 min 05 s" in html
    assert 'aria-label="Poème lu par la classe, durée 2 min 05 s"' in html


def test_a_pending_recording_polls(teacher):
    media = media_upload(
        file=samples.upload("voix.webm", samples.sine("webm", "libopus", 0.5)), kind="audio", uploaded_by=teacher
    )

    html = _render("media_audio", media=media)

    assert "Enregistrement en cours de traitement…" in html and 'hx-trigger="every 2s"' in html


def test_a_document_link_says_type_and_size(process_now, teacher):
    media = process_now(
        media_upload, file=samples.upload("Règlement.pdf", samples.pdf_bytes()), kind="document", uploaded_by=teacher
    )

    html = _render("media_document", media=media)

    assert f'href="{media.url("file")}"' in html
    assert "Télécharger Règlement.pdf" in html and "PDF –" in html


def test_the_status_endpoint_returns_the_inside_of_the_component(client_as, teacher, process_now):
    media = media_upload(file=samples.jpeg_upload(), kind="image", uploaded_by=teacher, alt_text="La cantine")
    client = client_as(teacher)
    url = reverse("uploads:status", args=[media.public_id])

    pending = client.get(url, {"size": "thumb"}, HTTP_HX_REQUEST="true")
    assert pending.status_code == 200
    assert "Image en cours de traitement…" in pending.content.decode()
    assert "ent-media--image" not in pending.content.decode()  # only the inside is swapped
    assert "no-cache" in pending["Cache-Control"]

    process_now(process_media, media_id=media.pk)  # the worker's turn
    ready = client.get(url, {"size": "thumb"}).content.decode()
    assert 'alt="La cantine"' in ready and media.url("thumb") in ready
    assert "hx-get" not in ready


def test_the_status_endpoint_is_refused_like_the_files(client_as, teacher, counsellor):
    media = media_upload(file=samples.jpeg_upload(), kind="image", uploaded_by=teacher, alt_text="x")
    url = reverse("uploads:status", args=[media.public_id])

    assert client_as(counsellor).get(url).status_code == 404
    client_as(None).logout()
    assert client_as(None).get(url).status_code == 302


def test_an_item_pending_for_long_is_polled_less_often_and_says_so(teacher, time_machine):
    media = media_upload(file=samples.jpeg_upload(), kind="image", uploaded_by=teacher, alt_text="x")
    assert 'hx-trigger="every 2s"' in _render("media_image", media=media)

    time_machine.move_to(media.created_at + timedelta(minutes=3))
    html = _render("media_image", media=media)

    assert 'hx-trigger="every 15s"' in html
    assert "C’est plus long que prévu" in html


def test_polling_after_the_session_ended_reloads_the_page(client, teacher):
    media = media_upload(file=samples.jpeg_upload(), kind="image", uploaded_by=teacher, alt_text="x")

    response = client.get(reverse("uploads:status", args=[media.public_id]), HTTP_HX_REQUEST="true")

    assert response.status_code == 204
    assert response["HX-Refresh"] == "true"
    assert response.content == b""
