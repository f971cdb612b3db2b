"""The post form never drops what was written: bad input and a service's refusal both answer the form
again (200) with the French message, the typed title and rich text body, and nothing saved."""

from html import escape

import pytest
import time_machine
from django.urls import reverse

from audit.models import Event
from blogs import services
from blogs.models import Post, PostImage
from notifications.models import Notification
from tests.uploads.samples import jpeg_upload
from uploads.models import MediaFile

from .factories import PostFactory, SeriesFactory

pytestmark = pytest.mark.django_db

TITLE = "Vocaroo : enregistrer la lecture à voix haute"
BODY = "<h2>En classe</h2><p>Chaque élève <strong>s’enregistre</strong> puis s’écoute.</p>"
FILE_AGAIN = "Le fichier n’a pas pu être gardé : choisissez-le à nouveau."


def _state():
    """Everything a refused save could have changed."""
    return (
        list(Post.objects.order_by("pk").values_list("pk", "title", "body", "status", "published_at", "week_start")),
        PostImage.objects.count(),
        MediaFile.objects.count(),
        Event.objects.count(),
        Notification.objects.count(),
    )


def _assert_kept(response, message, *, field):
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    html = response.content.decode()
    assert escape(message) in html
    assert f'value="{escape(TITLE)}"' in html
    assert escape(BODY) in html  # the editor's textarea holds the typed rich text


@pytest.mark.parametrize("action", ["programmer", "publier", "brouillon"])
def test_bad_input_answers_the_form_with_the_text_kept(action, client_as, counsellor, blog, draft):
    before = _state()
    data = {"title": TITLE, "body": BODY, "action": action, "publish_time": "10:00"}  # a time without a date

    response = client_as(counsellor).post(reverse("blogs:post-edit", args=[blog.slug, draft.pk]), data)

    _assert_kept(response, "Indiquez aussi la date de publication.", field="publish_date")
    assert _state() == before


def test_scheduling_in_the_past_is_refused_with_the_text_kept(client_as, counsellor, blog):
    before = _state()
    data = {"title": TITLE, "body": BODY, "action": "programmer", "publish_date": "2020-01-06"}

    response = client_as(counsellor).post(reverse("blogs:post-create", args=[blog.slug]), data)

    _assert_kept(
        response, "Choisissez une date et une heure à venir pour programmer la publication.", field="publish_date"
    )
    assert _state() == before


def test_an_image_refused_by_the_service_keeps_the_text_and_asks_for_the_file_again(
    client_as, counsellor, blog, post, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.post_add_image(actor=counsellor, post=post, file=jpeg_upload(), alt_text="Une capture")
    monkeypatch.setattr(services, "MAX_IMAGES_PER_POST", 1)
    before = _state()
    data = {"title": TITLE, "body": BODY, "action": "publier", "image": jpeg_upload("deux.jpg"), "image_alt": "Un"}

    response = client_as(counsellor).post(reverse("blogs:post-edit", args=[blog.slug, post.pk]), data)

    _assert_kept(response, "Un billet a au plus 1 images.", field="image")
    assert response.context["form"].errors["image"] == ["Un billet a au plus 1 images.", FILE_AGAIN]
    assert 'value="Un"' in response.content.decode()  # the image's description too
    assert _state() == before
    post.refresh_from_db()
    assert post.title == "Digipad en classe"


@time_machine.travel("2026-11-29 10:00 +01:00", tick=False)
def test_a_week_taken_meanwhile_answers_the_form_with_the_text_kept(client_as, counsellor, monkeypatch):
    series = SeriesFactory(contributors=[counsellor])
    create = services.post_create

    def someone_takes_the_week_first(**kwargs):
        PostFactory(blog=series, title="Le tutoriel d’un collègue", week_start=kwargs["week_start"])
        return create(**kwargs)

    monkeypatch.setattr(services, "post_create", someone_takes_the_week_first)
    data = {"title": TITLE, "body": BODY, "action": "publier", "week": "2026-11-30"}

    response = client_as(counsellor).post(reverse("blogs:post-create", args=[series.slug]), data)

    _assert_kept(response, "Cette semaine a déjà un tutoriel : choisissez-en une autre.", field="week")
    assert list(Post.objects.values_list("title", flat=True)) == ["Le tutoriel d’un collègue"]
    assert not Notification.objects.exists()
