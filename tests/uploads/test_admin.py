"""The admin lists uploads in French and re-processes failed ones."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from accounts.models import Role
from tests.factories import SchoolFactory, make_member
from uploads import processing, tasks
from uploads.models import MediaFile
from uploads.services import media_upload

from . import samples

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:uploads_mediafile_changelist")


def _technical_failure(process_now, user, monkeypatch, holder=None) -> MediaFile:
    media = media_upload(file=samples.jpeg_upload(), kind="image", uploaded_by=user, alt_text="x", holder=holder)
    with monkeypatch.context() as patch:
        patch.setattr(processing, "process", lambda kind, data: {}["boom"])
        process_now(tasks.process_media, media_id=media.pk)
    media.refresh_from_db()
    assert media.status == MediaFile.Status.FAILED and media.original
    return media


def test_the_list_shows_status_kind_uploader_holder_and_error(
    client_as, admin_user, teacher, process_now, monkeypatch, school_holder, assert_flat_queries
):
    def make_rows(count):
        for _ in range(count):
            first = not MediaFile.objects.exists()
            school = school_holder if first else SchoolFactory()
            uploader = teacher if first else make_member(Role.TEACHER, school)
            _technical_failure(process_now, uploader, monkeypatch, holder=school)

    first, _ = assert_flat_queries(
        client_as(admin_user),
        CHANGELIST,
        make_rows,
        rows=2,
        queries=7,  # the viewer's roles (for the sidebar's "may add" questions) come from the cache
        shown=lambda response: (len(response.context["cl"].result_list), response.text.count("structure : ")),
        expect=[(2, 2), (20, 20)],
    )
    html = first.content.decode()

    assert "Échec" in html and "Image" in html and str(teacher) in html
    assert f"structure : {school_holder}" in html
    assert "Le traitement a échoué pour une raison technique" in html
    assert "?status__exact=failed" in html and "?kind__exact=audio" in html


def test_the_admin_action_reprocesses_a_failed_item(client_as, admin_user, teacher, process_now, monkeypatch):
    media = _technical_failure(process_now, teacher, monkeypatch)
    client = client_as(admin_user)

    response = process_now(
        client.post, path=CHANGELIST, data={"action": "reprocess", "_selected_action": [media.pk]}, follow=True
    )

    media.refresh_from_db()
    assert media.status == MediaFile.Status.READY and media.error == ""
    assert "Traitement relancé pour 1 fichier." in response.content.decode()
    assert LogEntry.objects.filter(object_id=str(media.pk), change_message="Traitement relancé.").exists()


def test_a_refused_file_cannot_be_reprocessed(client_as, admin_user, teacher, process_now):
    media = process_now(
        media_upload,
        file=samples.upload("a.jpg", b"\xff\xd8\xff" + b"0" * 99),
        kind="image",
        alt_text="x",
        uploaded_by=teacher,
    )
    client = client_as(admin_user)

    response = process_now(
        client.post, path=CHANGELIST, data={"action": "reprocess", "_selected_action": [media.pk]}, follow=True
    )

    media.refresh_from_db()
    assert media.status == MediaFile.Status.FAILED
    assert "il faut l’envoyer de nouveau" in response.content.decode()


def test_staff_without_the_change_right_cannot_reprocess(client_as, teacher, process_now, monkeypatch):
    from tests.factories import UserFactory

    staff = UserFactory(is_staff=True)
    media = _technical_failure(process_now, teacher, monkeypatch)

    response = process_now(
        client_as(staff).post, path=CHANGELIST, data={"action": "reprocess", "_selected_action": [media.pk]}
    )

    assert response.status_code == 403
    media.refresh_from_db()
    assert media.status == MediaFile.Status.FAILED and media.attempts == 1


def test_nobody_adds_a_file_through_the_admin(client_as, admin_user):
    assert client_as(admin_user).get(reverse("admin:uploads_mediafile_add")).status_code == 403
