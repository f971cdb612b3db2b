"""« Mes données »: the archive holds each kind of the person's data and nothing of anyone else's;
downloadable once by its owner (404 to others), deleted after 7 days."""

import io
import json
import zipfile

from django.core.files.base import ContentFile
from django.urls import reverse

from blogs.models import Comment
from notifications.models import KindPreference
from privacy import export as export_service
from privacy.models import DataExport
from tests.blogs.factories import BlogFactory
from tests.blogs.factories import PostFactory as BlogPostFactory
from tests.factories import MessageFactory, NotebookPageFactory
from tests.news.factories import PostFactory as NewsPostFactory
from uploads.models import MediaFile


def _contributions(user, tag):
    blog = BlogFactory(contributors=[user])
    post = BlogPostFactory(blog=blog, author=user, title=f"Billet {tag}")
    Comment.objects.create(post=post, author=user, body=f"Commentaire {tag}")
    NewsPostFactory(author=user, title=f"Actualité {tag}")
    NotebookPageFactory(author=user, title=f"Page {tag}")
    MessageFactory(sender=user, subject=f"Message {tag}")
    media = MediaFile(
        kind=MediaFile.Kind.DOCUMENT, status=MediaFile.Status.READY, uploaded_by=user, original_name=f"{tag}.txt"
    )
    media.file.save(f"{tag}.txt", ContentFile(f"fichier {tag}".encode()), save=False)
    media.save()
    KindPreference.objects.create(user=user, kind=f"kind.{tag}", frequency="weekly")


def test_the_archive_holds_each_kind_of_my_data_and_nothing_of_another(
    teacher, director, client_as, django_capture_on_commit_callbacks
):
    _contributions(teacher, "moi")
    _contributions(director, "autre")
    client = client_as(teacher)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("mydata:index")).status_code == 302
    export = DataExport.objects.get(user=teacher)
    assert export.ready_at is not None
    url = reverse("mydata:download", args=[export.public_id])
    # Someone else: 404, and the archive is still downloadable by its owner.
    assert client_as(director).get(url).status_code == 404
    response = client_as(teacher).get(url)
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    contents = {name: archive.read(name).decode() for name in archive.namelist()}
    everything = "\n".join(contents.values())
    for name, tag_text in {
        "actualites.json": "Actualité moi",
        "billets_de_blog.json": "Billet moi",
        "commentaires.json": "Commentaire moi",
        "pages_de_cahier.json": "Page moi",
        "messages_envoyes.json": "Message moi",
        "fichiers_envoyes.json": "moi.txt",
        "preferences_de_notification.json": "kind.moi",
        "profil.json": teacher.email,
    }.items():
        assert tag_text in contents[name], name
        json.loads(contents[name])
    assert any(name.startswith("fichiers/") and contents[name] == "fichier moi" for name in contents)
    assert "autre" not in everything and director.email not in everything
    # Once.
    assert client_as(teacher).get(url).status_code == 404


def test_asking_twice_while_it_is_built_makes_one_archive(teacher, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = export_service.export_request(user=teacher)
        second = export_service.export_request(user=teacher)
    assert first == second and len(callbacks) == 1
    export_service.export_build(first.pk)
    built = DataExport.objects.get()
    name = built.file.name
    export_service.export_build(first.pk)  # idempotent
    assert DataExport.objects.get().file.name == name


def test_the_page_says_what_is_held_and_why(teacher, client_as):
    html = client_as(teacher).get(reverse("mydata:index")).content.decode()
    assert "arrêté du 30 novembre 2006" in html and "Préparer mon archive" in html
    assert "7 jours" in html


def test_anonymous_is_sent_to_sign_in(client, db):
    assert client.get(reverse("mydata:index")).status_code == 302
