"""The reusable form pieces, attaching, and the holder rule registry."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from accounts.models import Role, Structure
from tests.factories import SchoolFactory, make_member
from uploads import access
from uploads.forms import AudioUploadField, ImageUploadField, MediaUploadForm
from uploads.models import MediaFile
from uploads.services import media_attach, media_upload

from . import samples

pytestmark = pytest.mark.django_db


class PageForm(forms.Form):
    title = forms.CharField()
    photo = ImageUploadField(required=False)


def test_a_field_refuses_a_renamed_file_and_keeps_what_was_typed():
    form = PageForm(data={"title": "Notre potager"}, files={"photo": samples.upload("potager.jpg", b"du texte")})

    assert not form.is_valid()
    assert form.errors["photo"] == [
        "Ce fichier n’est pas une image (JPEG, PNG, WebP, GIF ou HEIC) : son contenu n’est pas reconnu, quel que soit son nom."
    ]
    assert form["title"].value() == "Notre potager"


def test_a_field_accepts_a_real_photo_and_hints_the_picker():
    form = PageForm(data={"title": "t"}, files={"photo": samples.jpeg_upload()})

    assert form.is_valid(), form.errors
    assert 'accept="image/jpeg,' in str(form["photo"])
    assert "Taille maximale : 20 Mo." in ImageUploadField().help_text
    assert "Durée maximale : 15 min." in AudioUploadField().help_text


def test_the_upload_form_needs_alternative_text_for_an_image(teacher):
    form = MediaUploadForm(data={"alt_text": ""}, files={"file": samples.jpeg_upload()}, kind="image")

    assert not form.is_valid()
    assert "alt_text" in form.errors
    assert not MediaFile.objects.exists()


def test_the_upload_form_saves_through_the_service(teacher):
    form = MediaUploadForm(data={"alt_text": "Les CP en sortie"}, files={"file": samples.jpeg_upload()}, kind="image")

    assert form.is_valid(), form.errors
    media = form.save(uploaded_by=teacher)

    assert media.kind == "image" and media.alt_text == "Les CP en sortie" and media.status == "pending"
    assert 'class="fr-upload"' in str(form["file"])
    assert 'class="fr-upload-group' in str(form)


def test_the_upload_form_for_a_document_has_no_alt_text(teacher):
    form = MediaUploadForm(files={"file": samples.upload("cr.pdf", samples.pdf_bytes())}, kind="document")

    assert list(form.fields) == ["file"]
    assert form.is_valid(), form.errors


def test_a_media_cannot_move_to_another_holder(teacher, school_holder):
    media = media_upload(file=samples.jpeg_upload(), kind="image", uploaded_by=teacher, alt_text="x")
    media_attach(media=media, holder=school_holder)
    media_attach(media=media, holder=school_holder)  # again: nothing happens
    other = SchoolFactory()

    with pytest.raises(ValidationError):
        media_attach(media=media, holder=other)

    media.refresh_from_db()
    assert media.holder == school_holder


def test_attaching_to_an_unregistered_holder_is_a_programming_error(teacher, school):
    with pytest.raises(ValueError, match="register_holder"):
        media_upload(file=samples.jpeg_upload(), kind="image", uploaded_by=teacher, holder=school)
    assert not MediaFile.objects.exists()


def test_can_view_media_asks_the_holders_rule(teacher, school_holder):
    media = media_upload(
        file=samples.jpeg_upload(), kind="image", uploaded_by=teacher, alt_text="x", holder=school_holder
    )
    colleague = make_member(Role.TEACHER, school_holder)
    stranger = make_member(Role.TEACHER)
    asked = []
    access.register_holder(Structure, lambda user, holder: asked.append((user, holder)) or user == colleague)

    assert access.can_view_media(teacher, media)  # the uploader, without asking
    assert access.can_view_media(colleague, media)
    assert not access.can_view_media(stranger, media)
    assert asked == [(colleague, school_holder), (stranger, school_holder)]


def test_can_view_media_when_the_holder_is_gone(teacher, school_holder, director):
    media = media_upload(
        file=samples.jpeg_upload(), kind="image", uploaded_by=teacher, alt_text="x", holder=school_holder
    )
    MediaFile.objects.filter(pk=media.pk).update(holder_object_id=987654)
    media.refresh_from_db()

    assert not access.can_view_media(director, media)
    assert access.can_view_media(teacher, media)


@pytest.mark.parametrize(
    ("size", "label"),
    [(1, "1 octet"), (950, "950 octets"), (13_000, "13 ko"), (1_572_864, "1,5 Mo"), (20 * 1024 * 1024, "20 Mo")],
)
def test_human_size(size, label):
    from uploads.models import human_size

    assert human_size(size) == label
