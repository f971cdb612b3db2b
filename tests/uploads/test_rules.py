"""The upload rules live in uploads: limits from the settings, read when used; an image needs its alt text."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from ent.forms import DsfrForm
from uploads.forms import (
    AltTextField,
    DocumentUploadField,
    ImageUploadField,
    MediaFormMixin,
    MultipleMediaUploadField,
)
from uploads.models import MediaFile
from uploads.services import media_errors_on, media_upload

from . import samples
from .storage import stored_files

pytestmark = pytest.mark.django_db

ALT_MESSAGE = "Décrivez l’image (texte alternatif) : c’est ce que liront les personnes qui ne la voient pas."


class PageForm(MediaFormMixin, DsfrForm):
    title = forms.CharField()
    photo = ImageUploadField(required=False, alt_text_field="photo_alt", image_name="la photo de la classe")
    photo_alt = AltTextField(label="Description de la photo")
    documents = MultipleMediaUploadField(kind="document", max_files=2, required=False)


def test_an_image_without_alt_text_is_refused_in_french_and_nothing_is_kept(teacher):
    with pytest.raises(ValidationError) as refusal:
        media_upload(file=samples.jpeg_upload(), kind="image", uploaded_by=teacher, alt_text="   ")

    assert refusal.value.message_dict == {"alt_text": [ALT_MESSAGE]}
    assert not MediaFile.objects.exists()
    assert stored_files() == []


def test_a_bad_file_and_a_missing_alt_text_are_refused_together(teacher):
    with pytest.raises(ValidationError) as refusal:
        media_upload(file=samples.upload("vide.jpg", b""), kind="image", uploaded_by=teacher)

    assert refusal.value.message_dict == {
        "file": ["Le fichier est vide : choisissez un autre fichier."],
        "alt_text": [ALT_MESSAGE],
    }
    assert not MediaFile.objects.exists()


def test_the_caller_may_say_the_alt_text_comes_later(teacher):
    media = media_upload(file=samples.jpeg_upload(), kind="image", uploaded_by=teacher, alt_text_later=True)

    assert media.alt_text == "" and media.status == MediaFile.Status.PENDING
    assert default_storage.exists(media.original.name)


def test_a_document_needs_no_alt_text(teacher):
    document = media_upload(file=samples.upload("cr.pdf", samples.pdf_bytes()), kind="document", uploaded_by=teacher)

    assert document.kind == "document" and document.alt_text == ""


def test_media_errors_on_renames_the_fields_and_the_image(teacher):
    renamed = media_errors_on(file="cover", alt_text="cover_alt", image_name="l’image de couverture")
    with pytest.raises(ValidationError) as refusal, renamed:
        media_upload(file=samples.upload("vide.jpg", b""), kind="image", uploaded_by=teacher)

    assert refusal.value.message_dict == {
        "cover": ["Le fichier est vide : choisissez un autre fichier."],
        "cover_alt": [
            "Décrivez l’image de couverture (texte alternatif) : c’est ce que liront les personnes qui ne la voient pas."
        ],
    }


def test_a_form_shows_the_alt_text_rule_on_its_field_and_keeps_what_was_typed():
    form = PageForm(data={"title": "Notre potager", "photo_alt": " "}, files={"photo": samples.jpeg_upload()})

    assert not form.is_valid()
    assert form.errors == {
        "photo_alt": [
            "Décrivez la photo de la classe (texte alternatif) : c’est ce que liront les personnes qui ne la voient pas."
        ]
    }
    assert form["title"].value() == "Notre potager"


def test_a_form_needs_no_alt_text_without_an_image():
    form = PageForm(data={"title": "Sans photo"})

    assert form.is_valid(), form.errors


def test_the_size_bound_is_read_from_the_settings_when_the_form_is_used(settings):
    settings.ENT_UPLOAD_MAX_IMAGE_BYTES = 1000
    form = PageForm(
        data={"title": "t", "photo_alt": "Le potager"}, files={"photo": samples.jpeg_upload(size=(600, 400))}
    )

    assert not form.is_valid()
    assert form.errors["photo"][0].endswith(") : la limite est de 1000 octets.")
    assert "Taille maximale : 1000 octets." in str(form["photo"].help_text)
    settings.ENT_UPLOAD_MAX_DOCUMENT_BYTES = 3 * 1024 * 1024
    assert "Taille maximale : 3 Mo par fichier. 2 documents au plus." in str(PageForm()["documents"].help_text)
    assert "Taille maximale : 3 Mo." in str(DocumentUploadField().help_text)


def test_several_documents_are_each_checked_and_counted():
    pdf = samples.pdf_bytes()
    too_many = PageForm(data={"title": "t"}, files={"documents": [samples.upload(f"{n}.pdf", pdf) for n in range(3)]})
    one_fake = PageForm(
        data={"title": "t"}, files={"documents": [samples.upload("a.pdf", pdf), samples.upload("b.pdf", b"du texte")]}
    )
    fine = PageForm(
        data={"title": "t"}, files={"documents": [samples.upload("a.pdf", pdf), samples.upload("b.pdf", pdf)]}
    )

    assert too_many.errors == {"documents": ["Joignez au plus 2 documents à la fois."]}
    assert one_fake.errors["documents"][0].startswith("Ce fichier n’est pas un document PDF ou bureautique")
    assert fine.is_valid(), fine.errors
    assert [f.name for f in fine.cleaned_data["documents"]] == ["a.pdf", "b.pdf"]
