"""Photos: metadata stripped, upright, resized to WebP + JPEG; anything else refused in French."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from PIL import ExifTags, Image, ImageCms

from uploads.models import MediaFile
from uploads.services import media_upload

from . import samples

pytestmark = pytest.mark.django_db


def _open(field) -> Image.Image:
    with default_storage.open(field.name, "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
        return image


def _upload_image(process_now, user, file, **kwargs) -> MediaFile:
    return process_now(media_upload, file=file, kind="image", uploaded_by=user, alt_text="Une photo", **kwargs)


def test_gps_exif_is_gone_from_every_file_and_the_original_is_deleted(process_now, teacher):
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = samples.image_bytes(
        "JPEG", exif=samples.photo_exif(gps=True), xmp=b"<x:xmpmeta>Mirebeau</x:xmpmeta>", icc_profile=icc
    )
    source = Image.open(io.BytesIO(data))
    assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test photo does carry a position
    assert "xmp" in source.info and "icc_profile" in source.info

    with_original = media_upload(
        file=samples.upload("photo.jpg", data), kind="image", uploaded_by=teacher, alt_text="Une photo"
    )
    original_name = with_original.original.name
    assert default_storage.exists(original_name)  # kept (privately) until processed
    media = _upload_image(process_now, teacher, samples.upload("photo.jpg", data))

    assert media.status == MediaFile.Status.READY
    assert media.original.name == ""
    for field in (media.display_webp, media.display_jpeg, media.thumb_webp, media.thumb_jpeg):
        image = _open(field)
        exif = image.getexif()
        assert len(exif) == 0
        assert exif.get_ifd(ExifTags.IFD.GPSInfo) == {}
        assert "exif" not in image.info and "xmp" not in image.info and "icc_profile" not in image.info
        with default_storage.open(field.name, "rb") as handle:
            raw = handle.read()
        assert b"Exif\x00\x00" not in raw and b"Mirebeau" not in raw and b"xmpmeta" not in raw
    # No file left anywhere under MEDIA_ROOT still carries the position, except the unprocessed upload.
    _, leftovers = default_storage.listdir("uploads/originaux")
    assert [f"uploads/originaux/{name}" for name in leftovers] == [original_name]


def test_processed_files_are_webp_and_jpeg_with_random_names(process_now, teacher):
    media = _upload_image(process_now, teacher, samples.jpeg_upload("Sortie à la mer de Léa.jpg", size=(2400, 1200)))

    assert _open(media.display_webp).format == "WEBP"
    assert _open(media.display_jpeg).format == "JPEG"
    assert _open(media.thumb_webp).format == "WEBP"
    assert _open(media.thumb_jpeg).format == "JPEG"
    assert (media.width, media.height) == (1600, 800)
    assert _open(media.display_webp).size == (1600, 800)
    assert _open(media.thumb_webp).size == (400, 200) == media.thumb_size
    assert media.content_type == "image/webp"
    assert media.size == media.display_webp.size
    assert media.original_name == "Sortie à la mer de Léa.jpg"
    for field in (media.display_webp, media.display_jpeg, media.thumb_webp, media.thumb_jpeg):
        assert "Léa" not in field.name and "mer" not in field.name
        assert field.name.startswith("uploads/image/")


def test_a_small_image_is_not_enlarged(process_now, teacher):
    media = _upload_image(process_now, teacher, samples.jpeg_upload(size=(120, 80)))

    assert (media.width, media.height) == (120, 80)
    assert _open(media.thumb_jpeg).size == (120, 80)


def test_a_photo_taken_sideways_comes_out_upright(process_now, teacher):
    exif = samples.photo_exif(gps=False, orientation=6)  # "rotate 90° clockwise to display"
    media = _upload_image(process_now, teacher, samples.jpeg_upload(size=(300, 200), exif=exif))

    display = _open(media.display_jpeg)
    assert display.size == (200, 300)
    assert (media.width, media.height) == (200, 300)
    assert _open(media.thumb_webp).size == (200, 300)
    # The left (red) half of the sensor is now on top.
    top, bottom = display.convert("RGB").getpixel((100, 20)), display.convert("RGB").getpixel((100, 280))
    assert top[0] > 150 and top[2] < 80
    assert bottom[2] > 150 and bottom[0] < 80
    assert _open(media.display_jpeg).getexif().get(ExifTags.Base.Orientation) is None


@pytest.mark.parametrize(
    ("fmt", "name", "params"),
    [
        ("PNG", "dessin.png", {}),
        ("WEBP", "image.webp", {}),
        ("GIF", "anim.gif", {}),
        ("JPEG", "sans-extension", {}),
    ],
)
def test_common_formats_are_accepted(process_now, teacher, fmt, name, params):
    media = _upload_image(process_now, teacher, samples.upload(name, samples.image_bytes(fmt, **params)))

    assert media.status == MediaFile.Status.READY, media.error
    assert (media.width, media.height) == (300, 200)


def test_a_transparent_png_keeps_alpha_in_webp_and_gets_a_white_jpeg(process_now, teacher):
    buffer = io.BytesIO()
    Image.new("RGBA", (50, 50), (0, 0, 0, 0)).save(buffer, "PNG")
    media = _upload_image(process_now, teacher, samples.upload("logo.png", buffer.getvalue()))

    assert _open(media.display_webp).mode == "RGBA"
    assert _open(media.display_jpeg).convert("RGB").getpixel((10, 10)) == (255, 255, 255)


def test_a_heic_photo_from_a_phone_is_accepted_and_stripped(process_now, teacher):
    data = samples.heic_bytes(size=(320, 240), exif=samples.photo_exif(gps=True))
    assert data[4:12] == b"ftypheic"

    media = _upload_image(process_now, teacher, samples.upload("IMG_0001.HEIC", data, "image/heic"))

    assert media.status == MediaFile.Status.READY, media.error
    assert (media.width, media.height) == (320, 240)
    display = _open(media.display_webp)
    assert display.format == "WEBP" and len(display.getexif()) == 0


def test_a_decompression_bomb_is_refused_in_french(process_now, teacher):
    data = samples.bomb_png()
    assert len(data) < 200_000  # tiny on disk, 100 million pixels once decoded

    media = _upload_image(process_now, teacher, samples.upload("bombe.png", data))

    assert media.status == MediaFile.Status.FAILED
    assert "trop grande" in media.error and "millions de pixels" in media.error
    assert media.original.name == "" and not media.display_webp
    assert default_storage.listdir("uploads/originaux")[1] == []


def test_the_pixel_bound_is_a_setting_and_pillow_is_left_as_found(process_now, teacher, settings):
    settings.ENT_UPLOAD_MAX_IMAGE_PIXELS = 50_000
    pillow_default = Image.MAX_IMAGE_PIXELS
    media = _upload_image(process_now, teacher, samples.jpeg_upload(size=(300, 200)))

    assert media.status == MediaFile.Status.FAILED
    assert media.error.startswith("L’image est trop grande : elle dépasse 50000 pixels")
    assert pillow_default == Image.MAX_IMAGE_PIXELS  # other users of Pillow in the process are unaffected


def test_a_text_file_named_jpg_is_refused_at_once(teacher):
    file = samples.upload("photo.jpg", "Ceci n’est pas une photo.".encode(), "image/jpeg")

    with pytest.raises(ValidationError) as refusal:
        media_upload(file=file, kind="image", uploaded_by=teacher, alt_text="x")

    assert "n’est pas une image" in refusal.value.messages[0]
    assert not MediaFile.objects.exists()


def test_an_empty_file_is_refused_at_once(teacher):
    with pytest.raises(ValidationError) as refusal:
        media_upload(file=samples.upload("vide.jpg", b""), kind="image", uploaded_by=teacher, alt_text="x")

    assert refusal.value.messages == ["Le fichier est vide : choisissez un autre fichier."]
    assert not MediaFile.objects.exists()


def test_a_file_over_the_byte_bound_is_refused_at_once(teacher, settings):
    settings.ENT_UPLOAD_MAX_IMAGE_BYTES = 1000
    file = samples.jpeg_upload(size=(600, 400))
    assert file.size > 1000

    with pytest.raises(ValidationError) as refusal:
        media_upload(file=file, kind="image", uploaded_by=teacher, alt_text="x")

    assert refusal.value.messages[0].startswith("Le fichier est trop lourd (")
    assert refusal.value.messages[0].endswith(") : la limite est de 1000 octets.")
    assert not MediaFile.objects.exists()


def test_a_truncated_jpeg_is_refused_in_french_and_deleted(process_now, teacher):
    data = samples.image_bytes("JPEG", size=(600, 400))
    media = _upload_image(process_now, teacher, samples.upload("coupée.jpg", data[: len(data) // 2]))

    assert media.status == MediaFile.Status.FAILED
    assert media.error == "Cette image est illisible ou incomplète (fichier abîmé ou tronqué) : envoyez-la de nouveau."
    assert media.original.name == ""
    assert default_storage.listdir("uploads/originaux")[1] == []


def test_a_file_with_a_jpeg_signature_but_garbage_inside_is_refused(process_now, teacher):
    media = _upload_image(process_now, teacher, samples.upload("faux.jpg", b"\xff\xd8\xff" + b"garbage" * 100))

    assert media.status == MediaFile.Status.FAILED
    assert "illisible" in media.error


def test_a_format_pillow_could_read_but_we_do_not_accept_is_refused(process_now, teacher):
    buffer = io.BytesIO()
    samples.picture().save(buffer, "BMP")
    with pytest.raises(ValidationError):
        media_upload(
            file=samples.upload("photo.jpg", buffer.getvalue()), kind="image", uploaded_by=teacher, alt_text="x"
        )


def test_a_truncated_jpeg_is_refused_even_with_pillow_told_to_load_cut_files(monkeypatch):
    """WeasyPrint turns ``LOAD_TRUNCATED_IMAGES`` on when it is imported, whenever that is."""
    from PIL import ImageFile

    from uploads.processing import Rejected, _decode_image

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)
    whole = samples.image_bytes("JPEG", size=(600, 400))
    with pytest.raises(Rejected, match="illisible ou incomplète"):
        _decode_image(whole[: len(whole) // 2])
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # put back as it was
