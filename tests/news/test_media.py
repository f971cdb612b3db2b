"""Cover image and attachments, through the uploads pipeline, served only to those who may read."""

from django.urls import reverse

from audit.selectors import history_of
from news.models import Post
from tests.uploads import samples
from uploads.models import MediaFile


def publish_with_media(client, django_capture_on_commit_callbacks, **extra):
    data = {
        "title": "Exercices PPMS",
        "summary": "Le calendrier des exercices.",
        "body": "<p>Voir la pièce jointe.</p>",
        "audience_choice": "all",
        "action": "publish",
        "cover": samples.jpeg_upload("ppms.jpg"),
        "cover_no_pupil": "on",
        "cover_alt": "Des élèves rassemblés dans la cour",
        "attachments": [samples.upload("calendrier-ppms.pdf", samples.pdf_bytes())],
    } | extra
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("news:post-create", args=["directeurs"]), data)


def test_cover_and_attachment_are_served_only_to_readers(
    counsellor, director, teacher, client_as, django_capture_on_commit_callbacks
):
    response = publish_with_media(client_as(counsellor), django_capture_on_commit_callbacks)
    assert response.status_code == 302
    post = Post.objects.get(title="Exercices PPMS")
    attachment = MediaFile.objects.get(kind=MediaFile.Kind.DOCUMENT)
    assert post.cover.status == MediaFile.Status.READY and post.cover.alt_text == "Des élèves rassemblés dans la cour"
    assert attachment.status == MediaFile.Status.READY and attachment.holder == post

    reader = client_as(director)
    page = reader.get(post.get_absolute_url()).content.decode()
    assert "Des élèves rassemblés dans la cour" in page and "calendrier-ppms.pdf" in page
    assert reader.get(reverse("uploads:serve", args=[attachment.public_id, "file"])).status_code == 200
    assert reader.get(reverse("uploads:serve", args=[post.cover.public_id, "display"])).status_code == 200

    outsider = client_as(teacher)
    assert outsider.get(reverse("uploads:serve", args=[attachment.public_id, "file"])).status_code == 404
    assert outsider.get(reverse("uploads:serve", args=[post.cover.public_id, "display"])).status_code == 404


def test_a_file_that_is_not_a_document_is_refused_in_french_and_the_text_kept(
    counsellor, client_as, django_capture_on_commit_callbacks
):
    response = publish_with_media(
        client_as(counsellor),
        django_capture_on_commit_callbacks,
        attachments=[samples.upload("calendrier.pdf", b"Juste du texte, pas un PDF.")],
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "n’est pas un document PDF ou bureautique" in page
    assert 'value="Exercices PPMS"' in page and "Le calendrier des exercices." in page
    assert "choisissez-les à nouveau" in page
    assert not Post.objects.exists()
    assert not MediaFile.objects.exists()


def test_an_image_needs_a_description(counsellor, client_as, django_capture_on_commit_callbacks):
    response = publish_with_media(client_as(counsellor), django_capture_on_commit_callbacks, cover_alt="")
    assert response.status_code == 200
    assert "Décrivez l’image" in response.content.decode()
    assert not Post.objects.exists()


def test_removing_an_attachment(counsellor, client_as, django_capture_on_commit_callbacks):
    client = client_as(counsellor)
    publish_with_media(client, django_capture_on_commit_callbacks)
    post = Post.objects.get()
    attachment = MediaFile.objects.get(kind=MediaFile.Kind.DOCUMENT)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("news:post-edit", args=[post.pk]),
            {
                "title": post.title,
                "summary": post.summary,
                "body": post.body,
                "audience_choice": "all",
                "cover_alt": "Des élèves rassemblés dans la cour",
                "remove_attachments": [attachment.pk],
                "action": "draft",
            },
        )
    assert response.status_code == 302
    assert not MediaFile.objects.filter(pk=attachment.pk).exists()
    assert history_of(post).first().changes == [
        {"field": "attachments", "label": "Pièces jointes", "before": "calendrier-ppms.pdf", "after": ""}
    ]
