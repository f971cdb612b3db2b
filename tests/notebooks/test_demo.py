"""The demo's three notebooks: made through the services, media processed, the closed one's book exported."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from notebooks import demo
from notebooks.models import Block, BookExport, Notebook, Page

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


class _Command:
    stdout = io.StringIO()


def test_the_demo_notebooks(settings, client_as, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    counts = (Notebook.objects.count(), Page.objects.count(), Block.objects.count())
    demo.seed(_Command())
    assert (Notebook.objects.count(), Page.objects.count(), Block.objects.count()) == counts  # idempotent

    olympic = Notebook.objects.get(slug="semaine-olympique-et-paralympique")
    assert not olympic.is_open_on(olympic.closes_on + (olympic.closes_on - olympic.opens_on))
    export = olympic.exports.get()
    assert export.status == BookExport.Status.READY, export.error
    inventory = Notebook.objects.get(slug="inventaire-flore-faune-printaniere")
    statuses = set(inventory.pages.values_list("status", flat=True))
    assert {"publiee", "proposee", "renvoyee"} <= statuses
    assert len(set(inventory.pages.values_list("school", flat=True))) >= 2
    images = Block.objects.filter(page__notebook=inventory, kind="image").select_related("media")
    assert images and all(b.media.status == "ready" and b.media.alt_text for b in images)
    readings = Notebook.objects.get(slug="lectures-partagees-cycle-2")
    audio = Block.objects.filter(page__notebook=readings, kind="audio").select_related("media")
    assert audio and all(
        b.media.status == "ready" and b.media.audio.name.endswith(".m4a") and b.transcript for b in audio
    )

    teacher = User.objects.get(email="enseignant@demo.ent.fr")
    client = client_as(teacher)
    assert "Un petit inventaire" in client.get("/").content.decode()  # the Accueil panel
    for notebook in (olympic, inventory, readings):
        assert client.get(notebook.get_absolute_url()).status_code == 200
    download = reverse("notebooks:book-download", args=[olympic.slug, export.pk])
    assert client.get(download).status_code == 200
    cpc = User.objects.get(email=demo.COUNSELLOR)
    assert client_as(cpc).get(reverse("notebooks:queue", args=[inventory.slug])).status_code == 200
