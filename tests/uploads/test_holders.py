"""Registering a holder model is the one declaration: its media are deleted with it, by any path."""

import pytest

from accounts.models import Structure
from tests.factories import SchoolFactory
from uploads import access
from uploads.models import MediaFile
from uploads.services import media_upload

from . import samples
from .storage import stored_files, stored_names_of

pytestmark = pytest.mark.django_db


def _photo(process_now, user, holder):
    return process_now(
        media_upload, file=samples.jpeg_upload(), kind="image", uploaded_by=user, alt_text="La cour", holder=holder
    )


def test_deleting_a_registered_holder_deletes_only_its_media(
    process_now, teacher, school_holder, django_capture_on_commit_callbacks
):
    other_school = SchoolFactory()
    gone = stored_names_of([_photo(process_now, teacher, school_holder)])
    kept_media = _photo(process_now, teacher, other_school)
    kept = stored_names_of([kept_media])
    unattached = stored_names_of(
        [process_now(media_upload, file=samples.jpeg_upload(), kind="image", uploaded_by=teacher, alt_text="x")]
    )

    with django_capture_on_commit_callbacks(execute=True):
        Structure.objects.filter(pk=school_holder.pk).delete()

    assert list(MediaFile.objects.order_by("pk").values_list("holder_object_id", flat=True)) == [other_school.pk, None]
    assert stored_files() == sorted(kept + unattached)
    assert not any(name in stored_files() for name in gone)


def test_an_unregistered_model_no_longer_takes_media_with_it(
    process_now, teacher, school_holder, django_capture_on_commit_callbacks
):
    media = _photo(process_now, teacher, school_holder)
    names = stored_names_of([media])
    access.unregister_holder(Structure)

    with django_capture_on_commit_callbacks(execute=True):
        school_holder.delete()

    assert list(MediaFile.objects.all()) == [media]
    assert stored_files() == sorted(names)
