"""The common book: asked by a manager, made by ``notebooks.export_book``, downloaded by readers only."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from notebooks import services, tasks
from notebooks.models import BookExport, Page
from notifications.models import Notification
from tests.uploads.samples import jpeg_upload, sine, upload


@pytest.fixture
def process_now(django_capture_on_commit_callbacks):
    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


@pytest.fixture
def two_pages(page, published_page, teacher, counsellor, process_now, settings):
    """The teacher's page gets an image and a recording, then both pages are published."""
    settings.ENT_SITE_URL = "https://ent.example.fr"
    page.refresh_from_db()
    page = process_now(
        services.page_save,
        actor=teacher,
        page=page,
        version=page.version,
        title=page.title,
        new_block=services.NewBlock(
            kind="image", file=jpeg_upload(), alt="Des jonquilles en fleur", no_identifiable_pupil=True
        ),
    )
    page = process_now(
        services.page_save,
        actor=teacher,
        page=page,
        version=page.version,
        title=page.title,
        new_block=services.NewBlock(
            kind="audio",
            file=upload("lecture.wav", sine("wav", "pcm_s16le", 1.0)),
            transcript="Le printemps est là.",
            no_identifiable_pupil=True,
        ),
    )
    services.page_propose(actor=teacher, page=page)
    services.page_publish(actor=counsellor, page=page)
    return [Page.objects.get(pk=page.pk), published_page]


def _pdf_text(export) -> str:
    with export.file.open("rb") as made:
        reader = PdfReader(io.BytesIO(made.read()))
    return "\n".join(p.extract_text() for p in reader.pages)


def test_the_pdf_book_is_made_and_read_back(
    client_as, counsellor, rased_member, other_teacher, notebook, two_pages, process_now
):
    export = process_now(services.book_export_request, actor=counsellor, notebook=notebook, format="pdf")
    export.refresh_from_db()
    assert export.status == BookExport.Status.READY, export.error
    assert export.progress == 100
    text = " ".join(_pdf_text(export).split())
    assert "Inventaire de printemps" in text
    first, second = two_pages[0].title, two_pages[1].title
    assert first in text and second in text
    assert text.index("Texte de la classe.") < text.index("Les abeilles butinent.")  # the pages' order
    assert "Le printemps est là." in text  # a recording as its transcript
    assert "École élémentaire Jean Raffarin" in text and "Thomas Enseignant" in text  # credits
    assert Notification.objects.filter(recipient=counsellor, kind="notebooks.book_ready").count() == 1

    url = reverse("notebooks:book-download", args=[notebook.slug, export.pk])
    response = client_as(rased_member).get(url)  # a reader
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_the_epub_book_is_made(counsellor, notebook, two_pages, process_now):
    export = process_now(services.book_export_request, actor=counsellor, notebook=notebook, format="epub")
    export.refresh_from_db()
    assert export.status == BookExport.Status.READY, export.error
    import zipfile

    with export.file.open("rb") as made, zipfile.ZipFile(io.BytesIO(made.read())) as epub:
        names = epub.namelist()
        assert names[0] == "mimetype"
        assert any(name.endswith(".m4a") for name in names)
        assert b"Des jonquilles en fleur" in b"".join(epub.read(n) for n in names if n.endswith(".xhtml"))


def test_the_book_is_rebuilt_only_when_the_notebook_changed(counsellor, teacher, notebook, two_pages, process_now):
    first = process_now(services.book_export_request, actor=counsellor, notebook=notebook, format="pdf")
    again = process_now(services.book_export_request, actor=counsellor, notebook=notebook, format="pdf")
    assert again.pk == first.pk
    assert BookExport.objects.count() == 1
    # a page edited but not validated again: the book does not change
    page = two_pages[0]
    services.page_save(actor=teacher, page=page, version=page.version, title="Un autre titre")
    assert process_now(services.book_export_request, actor=counsellor, notebook=notebook, format="pdf").pk == first.pk
    # validated again: a new edition, a new book
    services.page_propose(actor=teacher, page=Page.objects.get(pk=page.pk))
    services.page_publish(actor=counsellor, page=page)
    newer = process_now(services.book_export_request, actor=counsellor, notebook=notebook, format="pdf")
    assert newer.pk != first.pk
    newer.refresh_from_db()
    assert "Un autre titre" in _pdf_text(newer)
    first.refresh_from_db()
    assert "Un autre titre" not in _pdf_text(first)  # an exported edition never changes


def test_the_task_is_idempotent_and_quiet_when_the_export_is_gone(counsellor, notebook, two_pages, process_now):
    export = process_now(services.book_export_request, actor=counsellor, notebook=notebook, format="pdf")
    export.refresh_from_db()
    name = export.file.name
    tasks.export_book(export.pk)  # ready: nothing done again
    export.refresh_from_db()
    assert export.file.name == name
    tasks.export_book(999_999)  # gone: returns quietly


def test_a_failed_export_says_why_in_french_and_can_be_asked_again(
    counsellor, notebook, two_pages, process_now, monkeypatch
):
    from notebooks import export as book_export

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(book_export, "render", broken)
    export = process_now(services.book_export_request, actor=counsellor, notebook=notebook, format="pdf")
    export.refresh_from_db()
    assert export.status == BookExport.Status.FAILED and "n’a pas pu être fabriqué" in export.error
    monkeypatch.undo()
    again = process_now(services.book_export_request, actor=counsellor, notebook=notebook, format="pdf")
    again.refresh_from_db()
    assert again.pk == export.pk and again.status == BookExport.Status.READY


def test_the_export_is_queued_on_the_media_queue_after_commit(counsellor, notebook, two_pages, monkeypatch):
    queued = []
    monkeypatch.setattr("notebooks.services.enqueue_on_commit", lambda task, *args: queued.append((task.name, args)))
    export = services.book_export_request(actor=counsellor, notebook=notebook, format="pdf")
    assert queued == [("notebooks.export_book", (export.pk,))]
    from django.conf import settings

    assert settings.CELERY_TASK_ROUTES["notebooks.export_book"] == {"queue": "media"}


def test_the_progress_shows_while_the_book_is_made(client_as, counsellor, notebook, two_pages):
    BookExport.objects.create(notebook=notebook, format="pdf", fingerprint="f", status="en_cours", progress=40)
    response = client_as(counsellor).get(reverse("notebooks:book-status", args=[notebook.slug]), HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert "40 %" in text and 'hx-trigger="every 3s"' in text and 'aria-live="polite"' in text


def test_a_book_is_downloaded_by_readers_only(client_as, other_teacher, teacher, school):
    from accounts.audiences import AudienceKind
    from tests.factories import NotebookFactory

    notebook = NotebookFactory(audience=AudienceKind.STRUCTURES)
    notebook.audience_structures.set([school])
    export = BookExport.objects.create(notebook=notebook, format="pdf", fingerprint="f", status="pret")
    export.file.save("livre.pdf", io.BytesIO(b"%PDF-1.7 test"))
    url = reverse("notebooks:book-download", args=[notebook.slug, export.pk])
    assert client_as(other_teacher).get(url).status_code == 404
    assert client_as(teacher).get(url).status_code == 200


def test_the_sweep_queues_again_an_export_left_pending(counsellor, notebook, two_pages, monkeypatch, settings):
    from datetime import timedelta

    from django.utils import timezone

    queued = []
    monkeypatch.setattr("ent.queue.enqueue", lambda task, *args, **kwargs: queued.append((task.name, args)) or True)
    stuck = BookExport.objects.create(notebook=notebook, format="pdf", fingerprint="old", status="attente")
    BookExport.objects.create(notebook=notebook, format="epub", fingerprint="new", status="attente")  # fresh
    BookExport.objects.filter(pk=stuck.pk).update(
        created_at=timezone.now() - timedelta(seconds=settings.ENT_QUEUE_STUCK_AFTER + 60)
    )
    assert tasks.sweep() == 1
    assert queued == [("notebooks.export_book", (stuck.pk,))]
    assert tasks.sweep() == 0  # at most once per delay
