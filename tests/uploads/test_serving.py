"""Files are served only to people who may see what holds them, never from MEDIA_ROOT directly."""

from urllib.error import HTTPError
from urllib.request import urlopen

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from accounts.models import Role
from tests.conftest import ROLES
from tests.factories import make_member
from uploads.services import media_attach, media_upload

from . import samples

pytestmark = pytest.mark.django_db

CAN_SEE_SCHOOL_MEDIA = {"teacher", "director"}  # the school's members (the holder's rule in conftest)


@pytest.fixture
def uploader(school):
    return make_member(Role.TEACHER, school, first_name="Ulysse", last_name="Envoyeur")


@pytest.fixture
def photo(process_now, uploader, school_holder):
    return process_now(
        media_upload,
        file=samples.jpeg_upload(exif=samples.photo_exif()),
        kind="image",
        uploaded_by=uploader,
        alt_text="La cour de l’école",
        holder=school_holder,
    )


@pytest.fixture
def report(process_now, uploader, school_holder):
    return process_now(
        media_upload,
        file=samples.upload("Compte rendu « conseil » n°2.pdf", samples.pdf_bytes()),
        kind="document",
        uploaded_by=uploader,
        holder=school_holder,
    )


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _stored(field) -> bytes:
    with default_storage.open(field.name, "rb") as handle:
        return handle.read()


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_serving_matrix_for_a_school_photo(client_as, person, request, photo):
    client = client_as(person)
    response = client.get(photo.url("display"))

    role = request.node.callspec.params["person"]
    if person is None:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    elif role in CAN_SEE_SCHOOL_MEDIA:
        assert response.status_code == 200
        assert _content(response) == _stored(photo.display_webp)
    else:
        assert response.status_code == 404
        assert _stored(photo.display_webp) not in _content(response)
        assert "X-Accel-Redirect" not in response


def test_the_uploader_sees_the_file(client_as, uploader, photo):
    response = client_as(uploader).get(photo.url("display-jpeg"))

    assert response.status_code == 200
    assert _content(response) == _stored(photo.display_jpeg)
    assert response["Content-Type"] == "image/jpeg"


def test_an_unattached_file_is_seen_by_its_uploader_only(process_now, client_as, uploader, director):
    media = process_now(
        media_upload, file=samples.jpeg_upload(), kind="image", uploaded_by=uploader, alt_text="Brouillon"
    )

    assert client_as(uploader).get(media.url("thumb")).status_code == 200
    response = client_as(director).get(media.url("thumb"))
    assert response.status_code == 404 and _stored(media.thumb_webp) not in _content(response)


def test_a_holder_without_a_registered_rule_shows_nothing_to_others(process_now, client_as, uploader, director, school):
    from accounts.models import Structure
    from uploads import access

    access.register_holder(Structure, lambda user, holder: True)
    media = process_now(
        media_upload, file=samples.jpeg_upload(), kind="image", uploaded_by=uploader, alt_text="x", holder=school
    )
    access.unregister_holder(Structure)

    assert client_as(director).get(media.url("display")).status_code == 404


def test_attaching_lets_the_holders_viewers_see_it(process_now, client_as, uploader, director, school_holder):
    media = process_now(media_upload, file=samples.jpeg_upload(), kind="image", uploaded_by=uploader, alt_text="x")
    assert client_as(director).get(media.url("display")).status_code == 404

    media_attach(media=media, holder=school_holder)

    assert client_as(director).get(media.url("display")).status_code == 200


def test_an_inactive_person_sees_nothing(client_as, uploader, photo):
    uploader.is_active = False
    uploader.save()
    client = client_as(uploader)

    response = client.get(photo.url("display"))

    assert response.status_code in (302, 404)
    assert _stored(photo.display_webp) not in _content(response)


def test_image_headers(client_as, uploader, photo):
    response = client_as(uploader).get(photo.url("thumb"))

    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == "private, no-store"  # a shared computer keeps nothing
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == "inline"
    assert response["Content-Length"] == str(photo.thumb_webp.size)


def test_a_document_is_an_attachment_with_a_safe_name(client_as, director, report):
    response = client_as(director).get(report.url("file"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''Compte%20rendu%20%C2%AB%20conseil%20%C2%BB%20n%C2%B02.pdf" in disposition
    assert _content(response) == samples.pdf_bytes()


def test_with_accel_redirect_django_checks_and_nginx_sends(
    client_as, director, photo, settings, report, media_storage, request
):
    settings.ENT_MEDIA_ACCEL_REDIRECT = "/protected-media/"

    response = client_as(director).get(photo.url("display"))

    assert response.status_code == 200
    assert response.content == b""
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == "private, no-store"  # a shared computer keeps nothing
    document = client_as(director).get(report.url("file"))
    assert document["Content-Disposition"].startswith("attachment;")
    if media_storage == "disque":
        assert response["X-Accel-Redirect"] == f"/protected-media/{photo.display_webp.name}"
        assert document["X-Accel-Redirect"] == f"/protected-media/{report.file.name}"
        return
    # On S3, nginx fetches a signed URL of the object (path and query below its internal location),
    # and the storage answers with the headers Django chose.
    endpoint, bucket = request.getfixturevalue("s3_server"), request.getfixturevalue("s3_media")
    for answer, field in ((response, photo.display_webp), (document, report.file)):
        redirect = answer["X-Accel-Redirect"]
        assert redirect.startswith(f"/protected-media/{bucket}/{field.name}?")
        assert "X-Amz-Signature=" in redirect and "X-Amz-Expires=60" in redirect
        fetched = requests_get(endpoint + redirect.removeprefix("/protected-media"))
        assert fetched.status == 200
        assert fetched.read() == _stored(field)
        assert fetched.headers["Content-Type"] == answer["Content-Type"]
        assert fetched.headers["Content-Disposition"] == answer["Content-Disposition"]
        assert fetched.headers["Cache-Control"] == "private, no-store"
    unsigned = endpoint + redirect.removeprefix("/protected-media").split("?")[0]
    with pytest.raises(HTTPError) as refused:
        requests_get(unsigned)
    assert refused.value.code == 403  # the bucket is private: without the signature, nothing


def requests_get(url):
    return urlopen(url, timeout=10)


def test_with_accel_redirect_a_refusal_sends_no_redirect(client_as, counsellor, photo, settings):
    settings.ENT_MEDIA_ACCEL_REDIRECT = "/protected-media/"

    response = client_as(counsellor).get(photo.url("display"))

    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response


def test_a_byte_range_is_answered_with_206(client_as, uploader, photo):
    whole = _stored(photo.display_webp)

    response = client_as(uploader).get(photo.url("display"), HTTP_RANGE="bytes=10-19")

    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 10-19/{len(whole)}"
    assert _content(response) == whole[10:20]
    suffix = client_as(uploader).get(photo.url("display"), HTTP_RANGE="bytes=-5")
    assert _content(suffix) == whole[-5:]


def test_pending_failed_and_wrong_variants_are_not_found(process_now, client_as, uploader, photo):
    pending = media_upload(file=samples.jpeg_upload(), kind="image", uploaded_by=uploader, alt_text="x")
    failed = process_now(
        media_upload,
        file=samples.upload("x.jpg", b"\xff\xd8\xff" + b"0" * 50),
        kind="image",
        alt_text="x",
        uploaded_by=uploader,
    )
    client = client_as(uploader)

    assert client.get(pending.url("display")).status_code == 404
    assert failed.status == "failed" and client.get(failed.url("display")).status_code == 404
    assert client.get(photo.url("audio")).status_code == 404
    assert client.get(photo.url("file")).status_code == 404
    assert client.get(f"/fichiers/{photo.public_id}/original/").status_code == 404
    assert client.get(f"/media/{photo.display_webp.name}").status_code == 404


def test_serving_costs_a_fixed_number_of_queries(client_as, director, photo, django_assert_num_queries):
    client = client_as(director)
    with django_assert_num_queries(4):
        assert client.get(photo.url("display")).status_code == 200


def test_only_get_and_head(client_as, uploader, photo):
    client = client_as(uploader)

    assert client.head(photo.url("display")).status_code == 200
    assert client.post(photo.url("display")).status_code == 405


def test_a_served_file_is_never_compressed(client_as, director, uploader, report, photo):
    """The pages are gzipped by Django (ent.middleware.PageGZipMiddleware), never a served file:
    its bytes, its length and its byte ranges stay the stored ones."""
    response = client_as(director).get(report.url("file"), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert _content(response) == samples.pdf_bytes()
    assert response["Content-Length"] == str(len(samples.pdf_bytes()))
    ranged = client_as(uploader).get(photo.url("display"), HTTP_RANGE="bytes=0-299", HTTP_ACCEPT_ENCODING="gzip")
    assert ranged.status_code == 206 and not ranged.has_header("Content-Encoding")
    assert _content(ranged) == _stored(photo.display_webp)[:300]
