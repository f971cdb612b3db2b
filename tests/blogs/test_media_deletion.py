"""Deleting a blog or a post, by any path, deletes its cover and images: rows and files on disk."""

import pytest
from django.urls import reverse

from blogs import services
from blogs.models import Blog, Post, PostImage
from tests.uploads.samples import jpeg_upload
from tests.uploads.storage import assert_no_media_left, stored_files, stored_names_of
from uploads.models import MediaFile

from .factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


@pytest.fixture
def blog_with_cover(counsellor, run_on_commit):
    blog = Blog.objects.get(
        pk=run_on_commit(
            services.blog_create,
            actor=counsellor,
            title="Le blog des enseignants",
            audience="enseignants",
            cover_file=jpeg_upload("logo.jpg"),
            cover_alt="Le logo du blog",
        ).pk
    )
    assert blog.cover.status == MediaFile.Status.READY and blog.cover.holder == blog
    return blog


@pytest.fixture
def posts_with_images(blog_with_cover, counsellor, run_on_commit):
    """Two posts of the blog with two images each; returns the posts and every stored name (cover included)."""
    posts = [PostFactory(blog=blog_with_cover, author=counsellor) for _ in range(2)]
    for post in posts:
        for alt in ("Une capture", "Une autre capture"):
            run_on_commit(services.post_add_image, actor=counsellor, post=post, file=jpeg_upload(), alt_text=alt)
    images = PostImage.objects.select_related("media").order_by("pk")
    assert [image.media.holder for image in images] == [posts[0], posts[0], posts[1], posts[1]]
    assert all(image.media.status == MediaFile.Status.READY for image in images)
    names = stored_names_of(MediaFile.objects.all())
    assert MediaFile.objects.count() == 5
    assert sorted(names) == stored_files()
    return posts, names


def test_deleting_a_blog_deletes_its_cover(blog_with_cover, counsellor, run_on_commit):
    names = stored_names_of([blog_with_cover.cover])

    run_on_commit(services.blog_delete, actor=counsellor, blog=blog_with_cover)

    assert not Blog.objects.exists()
    assert_no_media_left(names)


def test_deleting_a_blog_cascades_to_its_posts_images(blog_with_cover, posts_with_images, counsellor, run_on_commit):
    _, names = posts_with_images

    run_on_commit(services.blog_delete, actor=counsellor, blog=blog_with_cover)

    assert not Post.objects.exists() and not PostImage.objects.exists()
    assert_no_media_left(names)


def test_deleting_a_post_deletes_its_images_only(blog_with_cover, posts_with_images, counsellor, run_on_commit):
    (first, second), _ = posts_with_images
    kept = stored_names_of([blog_with_cover.cover, *[image.media for image in second.images.all()]])
    gone = stored_names_of([image.media for image in first.images.all()])

    run_on_commit(services.post_delete, actor=counsellor, post=first)

    assert list(Post.objects.all()) == [second]
    assert MediaFile.objects.count() == 3
    assert sorted(kept) == stored_files()
    assert not any(name in stored_files() for name in gone)


def test_a_queryset_delete_of_blogs_deletes_every_media(posts_with_images, run_on_commit):
    _, names = posts_with_images

    run_on_commit(Blog.objects.all().delete)

    assert_no_media_left(names)


def test_deleting_a_blog_in_the_admin_deletes_every_media(
    client_as, admin_user, blog_with_cover, posts_with_images, run_on_commit
):
    _, names = posts_with_images
    client = client_as(admin_user)
    assert client.get(reverse("admin:blogs_blog_delete", args=[blog_with_cover.pk])).status_code == 200

    response = run_on_commit(
        client.post, path=reverse("admin:blogs_blog_delete", args=[blog_with_cover.pk]), data={"post": "yes"}
    )

    assert response.status_code == 302
    assert not Blog.objects.exists()
    assert_no_media_left(names)


def test_the_admin_bulk_delete_of_posts_deletes_their_images(
    client_as, admin_user, blog_with_cover, posts_with_images, run_on_commit
):
    posts, _ = posts_with_images
    cover = stored_names_of([blog_with_cover.cover])

    response = run_on_commit(
        client_as(admin_user).post,
        path=reverse("admin:blogs_post_changelist"),
        data={"action": "delete_selected", "_selected_action": [p.pk for p in posts], "post": "yes"},
    )

    assert response.status_code == 302
    assert not Post.objects.exists()
    assert list(MediaFile.objects.all()) == [blog_with_cover.cover]
    assert sorted(cover) == stored_files()


def test_the_admin_shows_the_cover_and_images_read_only(client_as, admin_user, blog_with_cover, posts_with_images):
    posts, _ = posts_with_images
    client = client_as(admin_user)

    blog_page = client.get(reverse("admin:blogs_blog_change", args=[blog_with_cover.pk])).content.decode()
    post_page = client.get(reverse("admin:blogs_post_change", args=[posts[0].pk])).content.decode()

    assert 'name="cover"' not in blog_page and "logo.jpg" in blog_page
    assert 'name="images-0-media"' not in post_page and 'name="images-0-caption"' in post_page
    assert 'name="images-0-DELETE"' not in post_page
