"""Images of posts and covers go through the uploads pipeline, with a required alternative text;
those of a public blog are public too, the others are not."""

import pytest
from django.urls import reverse

from blogs import services
from blogs.models import Blog, Post, PostImage
from tests.uploads.samples import jpeg_upload, upload
from uploads.models import MediaFile

from .factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def processed(django_capture_on_commit_callbacks):
    """Run the processing the upload enqueues on commit (tasks are eager in tests)."""

    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


def test_a_post_is_written_with_an_image_and_its_description(client_as, counsellor, teacher, blog, processed):
    client = client_as(counsellor)
    response = processed(
        client.post,
        path=reverse("blogs:post-create", args=[blog.slug]),
        data={
            "title": "Digicode",
            "body": "<p>Des QR codes.</p>",
            "action": "publier",
            "image": jpeg_upload("qr.jpg"),
            "image_alt": "Un QR code collé sur un album",
            "image_caption": "En classe de CP",
            "image_no_pupil": "on",
        },
    )
    assert response.status_code == 302
    image = PostImage.objects.select_related("media").get()
    assert image.media.status == MediaFile.Status.READY
    assert image.media.alt_text == "Un QR code collé sur un album"
    assert image.media.holder == image.post
    page = client_as(teacher).get(image.post.get_absolute_url()).text
    assert 'alt="Un QR code collé sur un album"' in page
    assert "En classe de CP" in page
    assert client_as(teacher).get(image.media.url("display")).status_code == 200


def test_an_image_without_description_is_refused_and_the_text_kept(client_as, counsellor, blog):
    response = client_as(counsellor).post(
        reverse("blogs:post-create", args=[blog.slug]),
        {"title": "Digicode", "body": "<p>Mon texte</p>", "action": "publier", "image": jpeg_upload()},
    )
    assert response.status_code == 200
    assert "Décrivez l’image (texte alternatif)" in response.text
    assert "Le fichier n’a pas pu être gardé : choisissez-le à nouveau." in response.text
    assert "Mon texte" in response.text
    assert not Post.objects.exists()
    assert not MediaFile.objects.exists()


def test_a_file_that_is_not_an_image_is_refused_in_french(client_as, counsellor, blog):
    fake = upload("photo.jpg", b"%PDF-1.4 pas une image", "image/jpeg")
    response = client_as(counsellor).post(
        reverse("blogs:post-create", args=[blog.slug]),
        {"title": "Faux", "body": "<p>x</p>", "action": "brouillon", "image": fake, "image_alt": "Une image"},
    )
    assert response.status_code == 200
    assert not Post.objects.exists()
    assert not MediaFile.objects.exists()
    errors = response.context["form"].errors
    assert errors.get("image") or errors.get("__all__")


def test_removing_an_image_deletes_its_media(client_as, counsellor, blog, post, processed):
    image = processed(services.post_add_image, actor=counsellor, post=post, file=jpeg_upload(), alt_text="Une capture")
    response = client_as(counsellor).post(reverse("blogs:post-image-remove", args=[blog.slug, post.pk, image.pk]))
    assert response.status_code == 302
    assert not PostImage.objects.exists()
    assert not MediaFile.objects.exists()


def test_a_reader_may_not_remove_an_image(client_as, counsellor, teacher, blog, post, processed):
    image = processed(services.post_add_image, actor=counsellor, post=post, file=jpeg_upload(), alt_text="Une capture")
    response = client_as(teacher).post(reverse("blogs:post-image-remove", args=[blog.slug, post.pk, image.pk]))
    assert response.status_code == 403
    assert PostImage.objects.filter(pk=image.pk).exists()


def test_images_of_a_public_blog_are_public_the_others_are_not(
    client, client_as, director, rased_member, counsellor, public_post, post, processed
):
    public_image = processed(
        services.post_add_image, actor=director, post=public_post, file=jpeg_upload(), alt_text="Le potager"
    )
    private_image = processed(
        services.post_add_image, actor=counsellor, post=post, file=jpeg_upload(), alt_text="Une capture"
    )
    draft = PostFactory(blog=public_post.blog, author=director, status=Post.Status.DRAFT, published_at=None)
    draft_image = processed(
        services.post_add_image, actor=director, post=draft, file=jpeg_upload(), alt_text="Pas encore"
    )
    public = client.get(public_image.media.url("display"))
    assert public.status_code == 200
    # Read without signing in, a public image may be kept an hour (a signed-in reader's browser keeps nothing).
    assert public["Cache-Control"] == "private, max-age=3600"
    for image in (private_image, draft_image):
        response = client.get(image.media.url("display"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    # Signed in but not a reader of the teachers' blog: as if the file did not exist.
    assert client_as(rased_member).get(private_image.media.url("display")).status_code == 404
    assert client_as(rased_member).get(public_image.media.url("display"))["Cache-Control"] == "private, no-store"


def test_a_blog_cover_needs_a_description_and_replacing_it_deletes_the_old_one(client_as, counsellor, blog, processed):
    client = client_as(counsellor)
    url = reverse("blogs:blog-edit", args=[blog.slug])
    data = {
        "title": blog.title,
        "slug": blog.slug,
        "owner_kind": "circonscription",
        "audience": "enseignants",
        "comment_policy": "immediat",
        "contributor_users": [counsellor.pk],
    }
    response = client.post(url, {**data, "cover_file": jpeg_upload()})
    assert response.status_code == 200
    assert "Décrivez l’image de couverture" in response.text
    assert not MediaFile.objects.exists()

    processed(client.post, path=url, data={**data, "cover_file": jpeg_upload(), "cover_alt": "Le logo"})
    first = Blog.objects.get().cover
    assert first.alt_text == "Le logo"
    processed(client.post, path=url, data={**data, "cover_file": jpeg_upload(), "cover_alt": "Le nouveau logo"})
    blog.refresh_from_db()
    assert blog.cover.alt_text == "Le nouveau logo"
    assert list(MediaFile.objects.all()) == [blog.cover]
