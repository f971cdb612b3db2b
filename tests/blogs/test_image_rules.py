"""The blog forms use the uploads fields and rules: the limits are the settings', the alt text is required."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from blogs import services
from blogs.forms import BlogForm, PostForm
from blogs.models import Blog, PostImage
from tests.uploads.samples import jpeg_upload
from uploads.models import MediaFile

pytestmark = pytest.mark.django_db

IMAGE_ALT = "Décrivez l’image (texte alternatif) : c’est ce que liront les personnes qui ne la voient pas."
COVER_ALT = (
    "Décrivez l’image de couverture (texte alternatif) : c’est ce que liront les personnes qui ne la voient pas."
)


def _big_jpeg(megabytes: int) -> SimpleUploadedFile:
    """A file that passes the cheap checks (JPEG signature) and weighs ``megabytes`` MiB."""
    return SimpleUploadedFile("grande.jpg", b"\xff\xd8\xff" + b"\0" * (megabytes * 1024 * 1024 - 3), "image/jpeg")


def _post_form(blog, **files):
    data = {"title": "Digicode", "body": "<p>x</p>", "action": "brouillon", "image_alt": "Un QR code"}
    return PostForm(data=data, files=files, blog=blog)


def test_an_image_of_16_mb_is_within_the_20_mb_setting(blog):
    form = _post_form(blog, image=_big_jpeg(16))

    assert form.is_valid(), form.errors


def test_the_image_bound_is_the_setting(blog, settings):
    settings.ENT_UPLOAD_MAX_IMAGE_BYTES = 10 * 1024 * 1024

    form = _post_form(blog, image=_big_jpeg(16))

    assert form.errors["image"] == ["Le fichier est trop lourd (16 Mo) : la limite est de 10 Mo."]
    assert "Taille maximale : 10 Mo." in str(form["image"].help_text)


def test_the_blog_cover_bound_is_the_setting(blog, settings):
    settings.ENT_UPLOAD_MAX_IMAGE_BYTES = 10 * 1024 * 1024
    data = {"title": blog.title, "slug": blog.slug, "owner_kind": "circonscription", "audience": "enseignants"}
    data |= {"comment_policy": "immediat", "cover_alt": "Le logo"}

    form = BlogForm(data=data, files={"cover_file": _big_jpeg(16)}, instance=blog)

    assert form.errors["cover_file"] == ["Le fichier est trop lourd (16 Mo) : la limite est de 10 Mo."]


def test_the_form_shows_the_uploads_alt_text_message(blog):
    form = PostForm(
        data={"title": "Digicode", "body": "<p>x</p>", "action": "brouillon"}, files={"image": jpeg_upload()}, blog=blog
    )

    assert not form.is_valid()
    assert form.errors["image_alt"] == [IMAGE_ALT]


def test_the_services_refuse_an_image_without_alt_text_on_the_form_field(counsellor, post):
    with pytest.raises(ValidationError) as image_refusal:
        services.post_add_image(actor=counsellor, post=post, file=jpeg_upload(), alt_text=" ")
    with pytest.raises(ValidationError) as cover_refusal:
        services.blog_create(actor=counsellor, title="Nouveau", audience="enseignants", cover_file=jpeg_upload())

    assert image_refusal.value.message_dict == {"image_alt": [IMAGE_ALT]}
    assert cover_refusal.value.message_dict == {"cover_alt": [COVER_ALT]}
    assert not PostImage.objects.exists() and not MediaFile.objects.exists()
    assert list(Blog.objects.values_list("title", flat=True)) == [post.blog.title]
