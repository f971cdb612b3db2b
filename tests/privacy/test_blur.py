"""The blur tool: applied by the server to every stored size, no unblurred file left on disk."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageStat

from tests.news.factories import PostFactory
from tests.uploads.storage import stored_files
from uploads.models import MediaFile
from uploads.services import IMAGE_VARIANTS, media_upload

pytestmark = pytest.mark.django_db


def checkerboard(size=(800, 600), square=8) -> bytes:
    image = Image.new("RGB", size, (255, 255, 255))
    for x in range(0, size[0], square):
        for y in range(0, size[1], square):
            if (x // square + y // square) % 2:
                image.paste((0, 0, 0), (x, y, x + square, y + square))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def _pixels(media, field):
    with getattr(media, field).open("rb") as handle:
        return Image.open(io.BytesIO(handle.read())).convert("L")


def _spread(image, box):
    """How much the pixels of ``box`` (fractions) vary: a checkerboard ≈ 127, a blurred area ≈ 0."""
    w, h = image.size
    return ImageStat.Stat(image.crop((int(box[0] * w), int(box[1] * h), int(box[2] * w), int(box[3] * h)))).stddev[0]


@pytest.fixture
def photo(counsellor, django_capture_on_commit_callbacks):
    post = PostFactory(author=counsellor)
    with django_capture_on_commit_callbacks(execute=True):
        media = media_upload(
            file=SimpleUploadedFile("classe.jpg", checkerboard(), content_type="image/jpeg"),
            kind="image",
            uploaded_by=counsellor,
            alt_text="La classe",
            holder=post,
        )
    media.refresh_from_db()
    assert media.status == MediaFile.Status.READY
    return media


def test_the_blur_is_in_every_variant_and_no_unblurred_file_remains(
    photo, counsellor, client_as, django_capture_on_commit_callbacks
):
    before = {field: getattr(photo, field).name for field in IMAGE_VARIANTS}
    for field in IMAGE_VARIANTS:
        assert _spread(_pixels(photo, field), (0.05, 0.05, 0.45, 0.45)) > 90
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(counsellor).post(
            reverse("privacy:media-blur", args=[photo.public_id]),
            {"zone1_x": "0", "zone1_y": "0", "zone1_w": "50", "zone1_h": "50"},
        )
    assert response.status_code == 302
    photo.refresh_from_db()
    for field in IMAGE_VARIANTS:
        image = _pixels(photo, field)
        assert _spread(image, (0.05, 0.05, 0.45, 0.45)) < 12, field  # blurred
        assert _spread(image, (0.55, 0.55, 0.95, 0.95)) > 90, field  # the rest untouched
        assert getattr(photo, field).name != before[field]
    on_disk = stored_files()
    assert not set(before.values()) & set(on_disk)
    assert sorted(getattr(photo, f).name for f in IMAGE_VARIANTS) == sorted(on_disk)


def test_a_zone_outside_the_picture_is_refused_and_nothing_changes(photo, counsellor, client_as):
    names = [getattr(photo, f).name for f in IMAGE_VARIANTS]
    response = client_as(counsellor).post(
        reverse("privacy:media-blur", args=[photo.public_id]),
        {"zone1_x": "80", "zone1_y": "0", "zone1_w": "50", "zone1_h": "50"},
    )
    assert response.status_code == 200
    assert "elle doit tenir dans l’image" in response.content.decode()
    photo.refresh_from_db()
    assert [getattr(photo, f).name for f in IMAGE_VARIANTS] == names


def test_someone_else_cannot_blur(photo, teacher, client_as):
    names = [getattr(photo, f).name for f in IMAGE_VARIANTS]
    response = client_as(teacher).post(
        reverse("privacy:media-blur", args=[photo.public_id]),
        {"zone1_x": "0", "zone1_y": "0", "zone1_w": "50", "zone1_h": "50"},
    )
    assert response.status_code == 404
    photo.refresh_from_db()
    assert [getattr(photo, f).name for f in IMAGE_VARIANTS] == names
