"""Writing a page: blocks, lost updates, validation, frozen copies, notifications, files."""

import pytest
from django.urls import reverse

from audit.models import Event
from notebooks import services
from notebooks.models import Block, Notebook, Page, PageEdition, PageLock
from notifications.models import Notification
from tests.uploads.samples import jpeg_upload, sine, upload


def _edit_url(page):
    return reverse("notebooks:page-edit", args=[page.notebook.slug, page.pk])


def _form(page, **data):
    page.refresh_from_db()
    base = {"version": page.version, "title": page.title, "class_label": page.class_label}
    for block in page.blocks.all():
        if block.kind == Block.Kind.TEXT:
            base[f"block-{block.pk}-body"] = str(block.body)
        elif block.kind == Block.Kind.AUDIO:
            base[f"block-{block.pk}-transcript"] = block.transcript
        else:
            base[f"block-{block.pk}-alt"] = block.media.alt_text if block.media else "image"
    base.update(data)
    return base


def test_the_second_person_saving_an_older_version_is_refused_and_keeps_their_text(
    client_as, teacher, counsellor, page
):
    """Thomas opens the page; his lock expires; the counsellor saves; Thomas's save is refused."""
    teacher_client = client_as(teacher)
    assert teacher_client.get(_edit_url(page)).status_code == 200
    stale = _form(page, title="Titre de Thomas", class_label="CE1 de M. Enseignant")
    PageLock.objects.filter(page=page).update(expires_at="2000-01-01T00:00Z")
    services.page_save(actor=counsellor, page=page, **{**_plain(stale), "title": "Titre du conseiller"})

    response = teacher_client.post(_edit_url(page), stale)

    assert response.status_code == 200
    text = response.content.decode()
    assert "modifiée par quelqu’un d’autre" in text
    assert 'value="Titre de Thomas"' in text  # what he typed is kept
    page.refresh_from_db()
    assert page.title == "Titre du conseiller"
    assert page.version == 2
    assert not PageLock.objects.filter(page=page, holder=teacher).exists()  # the refused save wrote nothing


def _plain(form: dict) -> dict:
    return {"version": form["version"], "title": form["title"], "class_label": form["class_label"]}


def test_saving_from_the_current_version_bumps_it_and_releases_the_lock(client_as, teacher, page):
    client = client_as(teacher)
    client.get(_edit_url(page))
    block = page.blocks.get()
    response = client.post(_edit_url(page), _form(page, **{f"block-{block.pk}-body": "<p>Nouveau texte</p>"}))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.version == 2
    assert str(page.blocks.get().body) == "<p>Nouveau texte</p>"
    assert not PageLock.objects.filter(page=page).exists()
    assert Event.objects.filter(action="notebooks.page.updated", target_id=page.pk).exists()


def test_blocks_are_added_moved_and_removed_from_the_form(client_as, teacher, page, django_capture_on_commit_callbacks):
    client = client_as(teacher)
    client.get(_edit_url(page))
    client.post(_edit_url(page), _form(page, new_kind="texte", new_text="<p>Deuxième bloc</p>"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _edit_url(page),
            _form(
                page, new_kind="image", new_image=jpeg_upload(), new_image_alt="Des jonquilles", new_caption="Au jardin"
            ),
        )
    assert response.status_code == 302
    kinds = list(page.blocks.order_by("position").values_list("kind", flat=True))
    assert kinds == ["texte", "texte", "image"]
    image = page.blocks.get(kind="image")
    assert image.media.status == "ready" and image.media.alt_text == "Des jonquilles"

    client.post(_edit_url(page), _form(page, move=f"{image.pk}:haut"))
    assert list(page.blocks.order_by("position").values_list("kind", flat=True)) == ["texte", "image", "texte"]
    client.post(_edit_url(page), _form(page, move=f"{image.pk}:haut"))
    assert page.blocks.order_by("position").first().pk == image.pk

    client.post(_edit_url(page), _form(page, remove=str(image.pk)))
    assert not page.blocks.filter(kind="image").exists()
    assert not type(image.media).objects.filter(pk=image.media.pk).exists()  # never published: the file goes


def test_an_image_without_alt_text_is_refused_and_the_text_kept(client_as, teacher, page):
    client = client_as(teacher)
    client.get(_edit_url(page))
    response = client.post(_edit_url(page), _form(page, title="Gardé", new_kind="image", new_image=jpeg_upload()))
    assert response.status_code == 200
    assert "texte alternatif" in response.content.decode()
    assert 'value="Gardé"' in response.content.decode()
    assert page.blocks.count() == 1


def _audio_page(client, page, transcript=""):
    data = _form(
        page, new_kind="audio", audio=upload("lecture.wav", sine("wav", "pcm_s16le", 1.0)), transcript=transcript
    )
    return client.post(_edit_url(page), data)


def test_a_recording_cannot_be_proposed_without_its_transcript(
    client_as, teacher, page, django_capture_on_commit_callbacks
):
    client = client_as(teacher)
    client.get(_edit_url(page))
    with django_capture_on_commit_callbacks(execute=True):
        assert _audio_page(client, page).status_code == 302
    audio = page.blocks.get(kind="audio")
    assert audio.media.status == "ready" and audio.media.audio.name.endswith(".m4a")

    response = client.post(_edit_url(page), _form(page, action="proposer"))
    assert response.status_code == 200
    assert "sans sa transcription" in response.content.decode()
    page.refresh_from_db()
    assert page.status == Page.Status.DRAFT

    response = client.post(
        _edit_url(page), _form(page, action="proposer", **{f"block-{audio.pk}-transcript": "Il était une fois…"})
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.status == Page.Status.PROPOSED


def test_the_validation_flow(client_as, teacher, counsellor, rased_member, page, notebook):
    reader = client_as(rased_member)
    assert reader.get(page.get_absolute_url()).status_code == 404  # a draft is not the readers'

    services.page_propose(actor=teacher, page=page)
    page.refresh_from_db()
    assert page.status == Page.Status.PROPOSED
    assert Notification.objects.filter(recipient=counsellor, kind="notebooks.page_proposed").count() == 1
    assert not permissions_edit(teacher, page)  # proposed: frozen for its authors until the decision

    services.page_return(actor=counsellor, page=page, comment="Ajoutez une photo, s’il vous plaît.")
    page.refresh_from_db()
    assert page.status == Page.Status.RETURNED and page.review_comment.startswith("Ajoutez")
    told = Notification.objects.get(recipient=teacher, kind="notebooks.page_decided")
    assert "renvoyée" in told.text
    assert reader.get(page.get_absolute_url()).status_code == 404

    services.page_save(actor=teacher, page=page, version=page.version, title="Les jonquilles du jardin")
    services.page_propose(actor=teacher, page=Page.objects.get(pk=page.pk))
    queue = client_as(counsellor).get(reverse("notebooks:queue", args=[notebook.slug])).content.decode()
    assert "Ce qui a changé depuis la dernière proposition" in queue
    assert '<del><span class="fr-sr-only">Retiré : </span>Titre : Les jonquilles</del>' in queue
    assert "Titre : Les jonquilles du jardin</ins>" in queue

    client_as(counsellor).post(reverse("notebooks:page-publish", args=[notebook.slug, page.pk]))
    page.refresh_from_db()
    assert page.status == Page.Status.PUBLISHED
    assert page.published_edition.number == 1
    assert Notification.objects.filter(
        recipient=teacher, kind="notebooks.page_decided", text__contains="publiée"
    ).exists()
    assert reader.get(page.get_absolute_url()).status_code == 200


def permissions_edit(user, page):
    from notebooks.permissions import can_edit_page

    return can_edit_page(user, Page.objects.select_related("notebook").get(pk=page.pk))


def test_a_later_edit_does_not_change_the_published_copy(client_as, teacher, rased_member, counsellor, page):
    services.page_propose(actor=teacher, page=page)
    services.page_publish(actor=counsellor, page=page)
    page.refresh_from_db()
    block = page.blocks.get()
    services.page_save(
        actor=teacher,
        page=page,
        version=page.version,
        title="Titre changé après validation",
        blocks={block.pk: {"body": "<p>Texte non validé</p>"}},
    )
    page.refresh_from_db()
    assert page.status == Page.Status.DRAFT  # to be validated again
    edition = PageEdition.objects.get(page=page)
    assert edition.content["title"] == "Les jonquilles"
    text = client_as(rased_member).get(page.get_absolute_url()).content.decode()
    assert "Texte de la classe." in text and "Texte non validé" not in text
    assert "Titre changé" not in text


def test_pages_of_an_immediate_notebook_are_published_on_save(client_as, teacher, rased_member, page, notebook):
    Notebook.objects.filter(pk=notebook.pk).update(policy=Notebook.Policy.IMMEDIATE)
    page.refresh_from_db()
    client = client_as(teacher)
    client.get(_edit_url(page))
    assert client.post(_edit_url(page), _form(page)).status_code == 302
    page.refresh_from_db()
    assert page.status == Page.Status.PUBLISHED and page.published_edition is not None
    assert client_as(rased_member).get(page.get_absolute_url()).status_code == 200


def test_a_manager_reorders_pages(client_as, counsellor, page, published_page, notebook):
    first = list(notebook.pages.order_by("position").values_list("pk", flat=True))
    response = client_as(counsellor).post(
        reverse("notebooks:page-move", args=[notebook.slug, first[1]]), {"direction": "haut"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert list(notebook.pages.order_by("position").values_list("pk", flat=True)) == [first[1], first[0]]
    assert Event.objects.filter(action="notebooks.page.moved").count() == 1


def test_removing_a_published_image_keeps_the_file_of_the_frozen_copy(teacher, counsellor, page, process_now):
    page.refresh_from_db()
    saved = process_now(
        services.page_save,
        actor=teacher,
        page=page,
        version=page.version,
        title=page.title,
        new_block=services.NewBlock(kind="image", file=jpeg_upload(), alt="Une abeille", no_identifiable_pupil=True),
    )
    image = saved.blocks.get(kind="image")
    services.page_propose(actor=teacher, page=saved)
    services.page_publish(actor=counsellor, page=saved)
    page.refresh_from_db()
    services.page_save(actor=teacher, page=page, version=page.version, title=page.title, remove=image.pk)
    assert not page.blocks.filter(pk=image.pk).exists()
    assert type(image.media).objects.filter(pk=image.media_id).exists()


@pytest.fixture
def process_now(django_capture_on_commit_callbacks):
    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


def test_block_files_are_served_to_the_pages_readers_only(client_as, teacher, other_teacher, counsellor, process_now):
    from accounts.audiences import AudienceKind
    from tests.factories import NotebookFactory, NotebookPageFactory

    school = teacher.memberships.get().structure
    notebook = NotebookFactory(audience=AudienceKind.STRUCTURES)
    notebook.audience_structures.set([school])
    notebook.contributor_structures.set([school])
    page = NotebookPageFactory(notebook=notebook, school=school, author=teacher)
    page = process_now(
        services.page_save,
        actor=teacher,
        page=page,
        version=page.version,
        title=page.title,
        new_block=services.NewBlock(kind="image", file=jpeg_upload(), alt="Le potager"),
    )
    media = page.blocks.get().media
    url = reverse("uploads:serve", args=[media.public_id, "display"])
    assert client_as(teacher).get(url).status_code == 200
    assert client_as(other_teacher).get(url).status_code == 404
