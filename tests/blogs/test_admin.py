"""The blogs in the Django admin: pages open, every write goes through the services (files included,
see test_media_deletion.py; readers told when publishing; status and date read-only)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from blogs import services
from blogs.models import Blog, Post
from notifications.models import Notification
from tests.admin_forms import admin_form_data
from tests.uploads.samples import jpeg_upload
from uploads.models import MediaFile

from .factories import CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def processed(django_capture_on_commit_callbacks):
    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


def test_deleting_a_blog_in_the_admin_deletes_its_files(client_as, admin_user, counsellor, blog, post, processed):
    processed(services.post_add_image, actor=counsellor, post=post, file=jpeg_upload(), alt_text="Une capture")
    assert MediaFile.objects.count() == 1
    client = client_as(admin_user)
    response = client.post(reverse("admin:blogs_blog_delete", args=[blog.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Blog.objects.exists()
    assert not MediaFile.objects.exists()


def test_the_admin_pages_of_the_blogs_open(client_as, admin_user, blog, post, teacher):
    comment = CommentFactory(post=post, author=teacher)
    client = client_as(admin_user)
    for url in (
        reverse("admin:blogs_blog_changelist"),
        reverse("admin:blogs_blog_change", args=[blog.pk]),
        reverse("admin:blogs_post_changelist"),
        reverse("admin:blogs_post_change", args=[post.pk]),
        reverse("admin:blogs_tag_changelist"),
        reverse("admin:blogs_comment_change", args=[comment.pk]),
    ):
        assert client.get(url).status_code == 200, url


def _told(post):
    return set(Notification.objects.filter(key=f"blogs.published:{post.pk}").values_list("recipient_id", flat=True))


def test_publishing_from_the_admin_tells_the_readers_once(client_as, admin_user, counsellor, teacher, blog):
    post = services.post_create(actor=counsellor, blog=blog, title="Vocaroo", body="<p>x</p>")
    client = client_as(admin_user)
    changelist = reverse("admin:blogs_post_changelist")

    response = client.post(changelist, {"action": "publish", "_selected_action": [post.pk]}, follow=True)
    client.post(changelist, {"action": "publish", "_selected_action": [post.pk]})

    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    assert abs(post.published_at - timezone.now()) < timedelta(seconds=5)
    assert _told(post) == {teacher.pk}
    assert Notification.objects.filter(key=f"blogs.published:{post.pk}").count() == 1
    assert "1 billet publié." in response.text


def test_unpublishing_from_the_admin_keeps_the_date_and_never_tells_twice(
    client_as, admin_user, counsellor, teacher, blog
):
    post = services.post_create(actor=counsellor, blog=blog, title="Digipad", body="<p>x</p>", action="publier")
    published_at = Post.objects.get(pk=post.pk).published_at
    client = client_as(admin_user)
    changelist = reverse("admin:blogs_post_changelist")

    response = client.post(changelist, {"action": "unpublish", "_selected_action": [post.pk]}, follow=True)
    assert "1 billet remis en brouillon." in response.text
    post.refresh_from_db()
    assert (post.status, post.published_at) == (Post.Status.DRAFT, published_at)

    client.post(changelist, {"action": "publish", "_selected_action": [post.pk]})
    assert Notification.objects.filter(key=f"blogs.published:{post.pk}").count() == 1


def test_the_change_form_saves_the_text_through_the_service_and_keeps_the_status(
    client_as, admin_user, counsellor, teacher, blog
):
    soon = timezone.now() + timedelta(days=3)
    post = services.post_create(
        actor=counsellor, blog=blog, title="Avant", body="<p>x</p>", action="programmer", publish_at=soon
    )
    client = client_as(admin_user)
    url = reverse("admin:blogs_post_change", args=[post.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    assert "status" not in form.fields and "published_at" not in form.fields

    data = admin_form_data(
        page, title="Après", body="<p>Texte <script>alert(1)</script></p>", status="publie", published_at=""
    )
    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    post.refresh_from_db()
    assert (post.title, post.body, post.status, post.published_at) == (
        "Après",
        "<p>Texte </p>",
        Post.Status.SCHEDULED,
        soon,
    )
    assert _told(post) == set()


def test_adding_in_the_admin_creates_a_draft_through_the_service(client_as, admin_user, blog, teacher):
    client = client_as(admin_user)
    url = reverse("admin:blogs_post_add")
    data = admin_form_data(client.get(url), blog=str(blog.pk), title="Créé dans l’admin", body="<p>Bonjour</p>")

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    post = Post.objects.get()
    assert (post.title, post.status, post.author, post.published_at) == (
        "Créé dans l’admin",
        Post.Status.DRAFT,
        admin_user,
        None,
    )
    assert _told(post) == set()
