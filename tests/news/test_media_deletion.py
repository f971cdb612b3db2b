"""Deleting a news post, by any path, deletes its cover and attachments: rows and files on disk."""

import pytest
from django.db import transaction
from django.urls import reverse

from news import services
from news.models import Feed, Post
from tests.uploads import samples
from tests.uploads.storage import assert_no_media_left, stored_files, stored_names_of
from uploads.models import MediaFile

pytestmark = pytest.mark.django_db


@pytest.fixture
def post_with_media(counsellor, django_capture_on_commit_callbacks):
    """A post with a processed cover and a processed attachment, and the names of their files."""
    data = services.PostInput(
        title="Exercices PPMS",
        summary="Le calendrier des exercices.",
        cover_file=samples.jpeg_upload("ppms.jpg"),
        cover_alt="Des élèves rassemblés dans la cour",
        attachment_files=[samples.upload("calendrier-ppms.pdf", samples.pdf_bytes())],
    )
    with django_capture_on_commit_callbacks(execute=True):
        post = services.post_create(actor=counsellor, feed=Feed.DIRECTORS, data=data)
    post.refresh_from_db()
    media = list(MediaFile.objects.order_by("kind"))
    assert [(m.kind, m.status, m.holder) for m in media] == [
        (MediaFile.Kind.DOCUMENT, MediaFile.Status.READY, post),
        (MediaFile.Kind.IMAGE, MediaFile.Status.READY, post),
    ]
    assert post.cover == media[1]
    names = stored_names_of(media)
    assert sorted(names) == stored_files()  # the processed files only: the originals are gone
    return post, names


def test_deleting_the_post_deletes_its_cover_and_attachment(post_with_media, django_capture_on_commit_callbacks):
    post, names = post_with_media

    with django_capture_on_commit_callbacks(execute=True):
        post.delete()

    assert not Post.objects.exists()
    assert_no_media_left(names)


def test_a_queryset_delete_deletes_the_media_too(post_with_media, django_capture_on_commit_callbacks):
    _, names = post_with_media

    with django_capture_on_commit_callbacks(execute=True):
        Post.objects.filter(feed=Feed.DIRECTORS).delete()

    assert_no_media_left(names)


def test_deleting_a_post_in_the_admin_deletes_its_media(
    client_as, admin_user, post_with_media, django_capture_on_commit_callbacks
):
    post, names = post_with_media
    client = client_as(admin_user)
    confirmation = client.get(reverse("admin:news_post_delete", args=[post.pk]))
    assert confirmation.status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:news_post_delete", args=[post.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Post.objects.exists()
    assert_no_media_left(names)


def test_the_admin_bulk_delete_deletes_the_media(
    client_as, admin_user, post_with_media, django_capture_on_commit_callbacks
):
    post, names = post_with_media

    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(admin_user).post(
            reverse("admin:news_post_changelist"),
            {"action": "delete_selected", "_selected_action": [post.pk], "post": "yes"},
        )

    assert response.status_code == 302
    assert not Post.objects.exists()
    assert_no_media_left(names)


def test_files_stay_when_the_deletion_is_rolled_back(post_with_media, django_capture_on_commit_callbacks):
    post, names = post_with_media

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        Post.objects.get(pk=post.pk).delete()
        raise RuntimeError("rolled back")

    assert MediaFile.objects.count() == 2
    assert sorted(names) == stored_files()


def test_another_posts_media_stay(post_with_media, counsellor, django_capture_on_commit_callbacks):
    post, names = post_with_media
    other = services.post_create(
        actor=counsellor, feed=Feed.PEDAGOGY, data=services.PostInput(title="Autre", summary="Sans image.")
    )

    with django_capture_on_commit_callbacks(execute=True):
        other.delete()

    assert MediaFile.objects.count() == 2
    assert sorted(names) == stored_files()


def test_the_admin_shows_the_cover_read_only(client_as, admin_user, post_with_media):
    post, _ = post_with_media

    page = client_as(admin_user).get(reverse("admin:news_post_change", args=[post.pk])).content.decode()

    assert 'name="cover"' not in page
    assert "ppms.jpg" in page
