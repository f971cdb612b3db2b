"""The news post form uses the uploads fields and rules: the alt text of the cover, the limits."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from news import services
from news.models import Feed, Post
from tests.uploads import samples
from tests.uploads.storage import stored_files
from uploads.models import MediaFile

pytestmark = pytest.mark.django_db

COVER_ALT = (
    "Décrivez l’image de couverture (texte alternatif) : c’est ce que liront les personnes qui ne la voient pas."
)


def test_a_cover_without_description_is_refused_on_its_field_and_the_text_kept(counsellor, client_as):
    response = client_as(counsellor).post(
        reverse("news:post-create", args=["directeurs"]),
        {
            "title": "Exercices PPMS",
            "summary": "Le calendrier des exercices.",
            "audience_choice": "all",
            "action": "publish",
            "cover": samples.jpeg_upload("ppms.jpg"),
            "cover_alt": "  ",
        },
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["cover_alt"] == [COVER_ALT]
    assert form.non_field_errors() == ["Les fichiers choisis n’ont pas été enregistrés : choisissez-les à nouveau."]
    assert 'value="Exercices PPMS"' in response.content.decode()
    assert not Post.objects.exists() and not MediaFile.objects.exists()
    assert stored_files() == []


def test_the_service_refuses_a_cover_without_description_on_the_form_field(counsellor):
    data = services.PostInput(title="PPMS", summary="Le calendrier.", cover_file=samples.jpeg_upload(), cover_alt="")

    with pytest.raises(ValidationError) as refusal:
        services.post_create(actor=counsellor, feed=Feed.DIRECTORS, data=data)

    assert refusal.value.message_dict == {"cover_alt": [COVER_ALT]}
    assert not Post.objects.exists() and not MediaFile.objects.exists()


def test_the_cover_bound_is_the_setting(counsellor, client_as, settings):
    settings.ENT_UPLOAD_MAX_IMAGE_BYTES = 1000
    response = client_as(counsellor).post(
        reverse("news:post-create", args=["directeurs"]),
        {
            "title": "Exercices PPMS",
            "summary": "Le calendrier des exercices.",
            "audience_choice": "all",
            "action": "draft",
            "cover": samples.jpeg_upload("ppms.jpg", size=(600, 400)),
            "cover_alt": "La cour",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["cover"][0].endswith(") : la limite est de 1000 octets.")
    assert not Post.objects.exists() and not MediaFile.objects.exists()


def test_at_most_ten_attachments(counsellor, client_as):
    pdf = samples.pdf_bytes()
    response = client_as(counsellor).post(
        reverse("news:post-create", args=["directeurs"]),
        {
            "title": "Exercices PPMS",
            "summary": "Le calendrier des exercices.",
            "audience_choice": "all",
            "action": "draft",
            "attachments": [samples.upload(f"{n}.pdf", pdf) for n in range(11)],
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["attachments"] == ["Joignez au plus 10 documents à la fois."]
    assert not Post.objects.exists() and not MediaFile.objects.exists()
