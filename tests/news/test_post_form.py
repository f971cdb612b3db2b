"""The post form's buttons and its refusals: only the buttons the person may use, and a step refused
because the post changed meanwhile answers the form again with the message and what was typed."""

import io
from html import escape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from news.forms import FILES_NOT_KEPT
from news.models import PostStatus
from news.services import post_publish, post_return
from uploads.models import MediaFile

from .factories import PostFactory
from .test_services import state

pytestmark = pytest.mark.django_db

PUBLISH_BUTTON = 'value="publish"'
SUBMIT_BUTTON = 'value="submit"'
TYPED_TITLE = "Sortie au musée — version complète"
TYPED_BODY = "<p>Rendez-vous <strong>jeudi</strong> devant l’école, avec un pique-nique.</p>"


def _buttons(response) -> tuple[bool, bool]:
    html = response.content.decode()
    return PUBLISH_BUTTON in html, SUBMIT_BUTTON in html


@pytest.mark.parametrize(
    ("status", "publish"),
    [
        (PostStatus.DRAFT, True),
        (PostStatus.SUBMITTED, True),
        (PostStatus.SCHEDULED, True),
        (PostStatus.RETURNED, False),
        (PostStatus.PUBLISHED, False),
    ],
)
def test_the_team_sees_publish_only_where_publishing_is_allowed(status, publish, counsellor, teacher, client_as):
    post = PostFactory(author=teacher, status=status)

    response = client_as(counsellor).get(reverse("news:post-edit", args=[post.pk]))

    assert response.status_code == 200
    assert _buttons(response) == (publish, False)
    assert response.context["buttons"] == {"publish": publish, "submit": False}
    assert 'value="draft"' in response.content.decode()


@pytest.mark.parametrize("status", [PostStatus.DRAFT, PostStatus.RETURNED])
def test_a_teacher_sees_submit_and_never_publish_on_their_post(status, teacher, client_as):
    post = PostFactory(author=teacher, status=status, published_at=None)

    response = client_as(teacher).get(reverse("news:post-edit", args=[post.pk]))

    assert response.status_code == 200
    assert _buttons(response) == (False, True)


@pytest.mark.parametrize(("role", "expected"), [("counsellor", (True, False)), ("teacher", (False, True))])
def test_a_new_post_offers_the_step_of_its_writer(role, expected, client_as, request):
    response = client_as(request.getfixturevalue(role)).get(reverse("news:post-create", args=["pedagogie"]))

    assert response.status_code == 200
    assert _buttons(response) == expected


def test_the_returned_proposal_page_shows_save_as_the_only_button(counsellor, teacher, client_as):
    post = PostFactory(author=teacher, status=PostStatus.RETURNED, published_at=None)

    html = client_as(counsellor).get(reverse("news:post-edit", args=[post.pk])).content.decode()

    assert "Publier ou programmer" not in html
    assert "Enregistrer les modifications" in html


def _typed(post, **extra):
    return {
        "title": TYPED_TITLE,
        "summary": post.summary,
        "body": TYPED_BODY,
        "audience_choice": "all",
        "action": "publish",
    } | extra


def _assert_form_kept_with(response, message):
    assert response.status_code == 200
    html = response.content.decode()
    assert escape(message) in html
    assert message in response.context["form"].non_field_errors()
    assert f'value="{escape(TYPED_TITLE)}"' in html
    assert escape(TYPED_BODY) in html


def test_a_post_published_meanwhile_answers_the_form_with_the_message_and_the_typed_text(
    counsellor, inspector, teacher, client_as
):
    post = PostFactory(author=teacher, status=PostStatus.SUBMITTED, published_at=None, title="Proposition")
    client = client_as(counsellor)
    assert _buttons(client.get(reverse("news:post-edit", args=[post.pk]))) == (True, False)
    post_publish(actor=inspector, post=post)  # someone else validates it while the form is open
    before = state()

    response = client.post(reverse("news:post-edit", args=[post.pk]), _typed(post))

    _assert_form_kept_with(
        response, "Publication refusée : une actualité « publié » ne peut pas être publiée. Rien n’a été enregistré."
    )
    assert _buttons(response) == (False, False)  # now a published post: save the changes, nothing else
    assert state() == before
    post.refresh_from_db()
    assert post.title == "Proposition" and post.status == PostStatus.PUBLISHED


def test_a_proposal_returned_meanwhile_answers_the_form_and_keeps_the_files_note(
    counsellor, inspector, teacher, client_as
):
    post = PostFactory(author=teacher, status=PostStatus.SUBMITTED, published_at=None, title="Proposition")
    client = client_as(counsellor)
    post_return(actor=inspector, post=post, comment="Précisez l’horaire.")
    before = state()
    media_before = MediaFile.objects.count()
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    cover = SimpleUploadedFile("sortie.png", buffer.getvalue(), content_type="image/png")

    response = client.post(reverse("news:post-edit", args=[post.pk]), _typed(post, cover=cover, cover_alt="Le musée"))

    _assert_form_kept_with(
        response,
        "Publication refusée : une actualité « renvoyé à son auteur » ne peut pas être publiée. "
        "Rien n’a été enregistré.",
    )
    assert FILES_NOT_KEPT in response.context["form"].non_field_errors()
    assert 'value="Le musée"' in response.content.decode()
    assert state() == before and MediaFile.objects.count() == media_before
    post.refresh_from_db()
    assert post.title == "Proposition" and post.status == PostStatus.RETURNED
