"""Withdrawing a consent takes the pupil's published media down at once and tells their publishers."""

import pytest
from django.urls import reverse

from notifications.models import Notification
from privacy import services
from privacy.models import GuardianDecision
from tests.news.factories import PostFactory
from tests.uploads import samples
from uploads.models import MediaFile
from uploads.services import media_upload

from .conftest import grant

pytestmark = pytest.mark.django_db


def test_withdrawal_hides_the_media_everywhere_and_notifies_its_publisher(
    registry, director, counsellor, client_as, django_capture_on_commit_callbacks
):
    post = PostFactory(author=counsellor)
    with django_capture_on_commit_callbacks(execute=True):
        shown = media_upload(
            file=samples.jpeg_upload("sortie.jpg"),
            kind="image",
            uploaded_by=counsellor,
            alt_text="La sortie",
            holder=post,
        )
        other = media_upload(
            file=samples.jpeg_upload("noe.jpg"), kind="image", uploaded_by=counsellor, alt_text="Noé", holder=post
        )
    post.cover = shown
    post.save(update_fields=["cover"])
    services.media_declare(actor=counsellor, media=shown, pupils=[registry["elodie"]])
    services.media_declare(actor=counsellor, media=other, pupils=[registry["noe"]])
    grant(director, registry["request"], registry["elodie"])
    client = client_as(counsellor)
    url = reverse("uploads:serve", args=[shown.public_id, "display"])
    assert client.get(url).status_code == 200

    decision = GuardianDecision.objects.get(pupil=registry["elodie"], guardian=1)
    response = client_as(director).post(
        reverse(
            "privacy:decision-withdraw", args=[registry["request"].school.code, registry["request"].pk, decision.pk]
        )
    )
    assert response.status_code == 302

    shown.refresh_from_db()
    other.refresh_from_db()
    assert shown.is_withheld and not other.is_withheld
    assert client_as(counsellor).get(url).status_code == 404
    page = client_as(counsellor).get(post.get_absolute_url()).content.decode()
    assert "Image retirée" in page
    notice = Notification.objects.get(kind="privacy.media_withheld")
    assert notice.recipient == counsellor
    assert "retirez ou floutez" in notice.text and "Élodie M." in notice.text
    # Publishing it again is refused while it is withheld.
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.check_publication([shown], reach="ent", publisher="news.post_publish")
    assert MediaFile.objects.filter(withheld_at__isnull=False).count() == 1


def test_withdrawal_takes_down_the_exported_books_that_hold_the_media(registry, director, counsellor):
    from django.core.files.base import ContentFile

    from notebooks import services as notebook_services
    from notebooks.models import BookExport
    from tests.factories import NotebookBlockFactory, NotebookFactory, NotebookPageFactory

    notebook = NotebookFactory()
    page = NotebookPageFactory(notebook=notebook, author=counsellor, status="proposee")
    media = media_upload(
        file=samples.jpeg_upload("p.jpg"), kind="image", uploaded_by=counsellor, alt_text="La classe", holder=page
    )
    NotebookBlockFactory(page=page, kind="image", media=media, body="")
    services.media_declare(actor=counsellor, media=media, pupils=[registry["elodie"]])
    grant(director, registry["request"], registry["elodie"])
    notebook_services.page_publish(actor=counsellor, page=page)
    export = notebook_services.book_export_request(actor=counsellor, notebook=notebook, format="pdf")
    export.refresh_from_db()
    export.file.save("livre.pdf", ContentFile(b"%PDF-1.7"), save=False)
    export.status = BookExport.Status.READY
    export.save()
    other = BookExport.objects.create(notebook=NotebookFactory(), format="pdf", fingerprint="x", status="pret")

    decision = GuardianDecision.objects.get(pupil=registry["elodie"], guardian=2)
    services.decision_withdraw(actor=director, decision=decision)

    export.refresh_from_db()
    other.refresh_from_db()
    assert export.status == BookExport.Status.FAILED and "autorisation retirée" in export.error
    assert not export.file
    assert other.status == BookExport.Status.READY


def test_a_media_another_consent_still_covers_stays_online(registry, director, counsellor, school):
    import datetime as dt

    from django.utils import timezone

    from privacy.models import Channel, ConsentRequest, Medium
    from tests.factories import NotebookFactory, NotebookPageFactory

    notebook = NotebookFactory()
    page = NotebookPageFactory(notebook=notebook, author=counsellor)
    media = media_upload(
        file=samples.jpeg_upload("p.jpg"), kind="image", uploaded_by=counsellor, alt_text="La classe", holder=page
    )
    services.media_declare(actor=counsellor, media=media, pupils=[registry["elodie"]])
    project_request = services.request_create(
        actor=director,
        school=school,
        data=services.RequestInput(
            title="Le cahier du printemps",
            project=ConsentRequest.Project.NOTEBOOK,
            project_object=notebook,
            media=[Medium.IMAGE],
            channels=[Channel.ENT],
            form_version="2026-2",
            valid_until=timezone.localdate() + dt.timedelta(days=30),
        ),
    )
    grant(director, project_request, registry["elodie"])
    grant(director, registry["request"], registry["elodie"])  # « la vie de l'école » covers it too

    services.decision_withdraw(
        actor=director, decision=GuardianDecision.objects.get(request=project_request, guardian=1)
    )
    media.refresh_from_db()
    assert not media.is_withheld  # still covered by « la vie de l'école »

    services.decision_withdraw(
        actor=director, decision=GuardianDecision.objects.get(request=registry["request"], guardian=1)
    )
    media.refresh_from_db()
    assert media.is_withheld
