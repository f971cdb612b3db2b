"""news.services.post_write: the post form's save and its next step (publish, submit), all or nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import Event
from audit.selectors import history_of
from news.models import Post, PostStatus
from news.services import PostInput, PostStepRefused, post_write
from notifications.models import Notification

from .factories import PostFactory

pytestmark = pytest.mark.django_db

TEACHER_PUBLISH = (
    "Publication refusée : seule l’équipe de circonscription publie : soumettez votre proposition à validation. "
    "Rien n’a été enregistré."
)


def state():
    """Everything a refused save could have changed."""
    return (
        list(Post.objects.order_by("pk").values_list("pk", "status", "title", "summary", "published_at")),
        list(Event.objects.order_by("pk").values_list("pk", "label")),
        Notification.objects.count(),
    )


def test_the_team_creates_and_publishes_in_one_step(counsellor, teacher):
    post = post_write(
        actor=counsellor, feed="pedagogie", data=PostInput(title="Animation", summary="r"), then="publish"
    )

    assert post.status == PostStatus.PUBLISHED
    assert list(history_of(post).order_by("pk").values_list("label", flat=True)) == ["Création", "Publication"]
    assert Notification.objects.filter(recipient=teacher, key=f"news.published:{post.pk}").count() == 1


def test_a_teacher_creates_and_submits_in_one_step(teacher, counsellor):
    post = post_write(
        actor=teacher, feed="pedagogie", data=PostInput(title="Correspondance", summary="r"), then="submit"
    )

    assert (post.status, post.author) == (PostStatus.SUBMITTED, teacher)
    assert Notification.objects.filter(kind="news.proposal_submitted", recipient=counsellor).count() == 1


def test_saving_as_draft_changes_no_status(counsellor):
    post = post_write(actor=counsellor, feed="pedagogie", data=PostInput(title="Plus tard", summary="r"))

    assert post.status == PostStatus.DRAFT
    assert not Notification.objects.exists()


def test_a_teachers_publish_is_refused_and_nothing_is_created(teacher, counsellor):
    before = state()

    with pytest.raises(PostStepRefused) as refusal:
        post_write(actor=teacher, feed="pedagogie", data=PostInput(title="Publiée ?", summary="r"), then="publish")

    assert str(refusal.value) == TEACHER_PUBLISH
    assert state() == before


def test_publishing_a_returned_proposal_is_refused_and_the_edit_is_not_saved(counsellor, teacher):
    returned = PostFactory(author=teacher, status=PostStatus.RETURNED, published_at=None, title="Avant")
    before = state()

    with pytest.raises(PostStepRefused) as refusal:
        post_write(
            actor=counsellor,
            feed=returned.feed,
            post=returned,
            data=PostInput(title="Après", summary="r"),
            then="publish",
        )

    assert str(refusal.value) == (
        "Publication refusée : une actualité « renvoyé à son auteur » ne peut pas être publiée. Rien n’a été enregistré."
    )
    assert state() == before


def test_the_team_cannot_submit(counsellor):
    before = state()

    with pytest.raises(PostStepRefused) as refusal:
        post_write(actor=counsellor, feed="pedagogie", data=PostInput(title="Soumise ?", summary="r"), then="submit")

    assert str(refusal.value) == (
        "Envoi refusé : seuls les directeurs, directrices et enseignant·es soumettent une proposition. "
        "Rien n’a été enregistré."
    )
    assert state() == before


def test_a_failed_publication_undoes_the_creation(counsellor):
    past = timezone.now() - dt.timedelta(days=2)
    data = PostInput(title="Périmée", summary="r", published_at=past - dt.timedelta(days=1), expires_at=past)

    with pytest.raises(ValidationError) as error:
        post_write(actor=counsellor, feed="pedagogie", data=data, then="publish")

    assert error.value.message_dict == {
        "expires_at": ["La date de retrait est déjà passée : modifiez-la avant de publier."]
    }
    assert not Post.objects.exists() and not Event.objects.exists()


def test_an_unknown_step_is_a_programming_error(counsellor):
    with pytest.raises(ValueError):
        post_write(actor=counsellor, feed="pedagogie", data=PostInput(title="x", summary="r"), then="archive")
    assert not Post.objects.exists()


def test_a_forged_publish_in_the_form_is_refused_with_the_message(teacher, client_as):
    client = client_as(teacher)
    before = state()

    response = client.post(
        reverse("news:post-create", args=["pedagogie"]),
        {"title": "Forcée", "summary": "r", "body": "<p>x</p>", "action": "publish"},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("news:post-create", args=["pedagogie"]), 302)]
    assert TEACHER_PUBLISH in response.content.decode()
    assert state() == before


def test_a_forged_publish_on_the_edit_form_keeps_the_post_as_it_was(teacher, client_as):
    draft = PostFactory(draft=True, author=teacher, title="Mon brouillon")
    client = client_as(teacher)
    before = state()

    response = client.post(
        reverse("news:post-edit", args=[draft.pk]),
        {"title": "Titre changé", "summary": draft.summary, "body": draft.body, "action": "publish"},
        follow=True,
    )

    assert response.redirect_chain == [(reverse("news:post-edit", args=[draft.pk]), 302)]
    assert TEACHER_PUBLISH in response.content.decode()
    assert state() == before
