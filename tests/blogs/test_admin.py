"""The blogs in the Django admin: pages open, deleting takes the files too (see test_media_deletion.py)."""

import pytest
from django.urls import reverse

from blogs import services
from blogs.models import Blog
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
