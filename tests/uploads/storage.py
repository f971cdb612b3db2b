"""What is on disk under MEDIA_ROOT, for tests that check a deletion left no file behind."""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage

from uploads.models import MediaFile


def stored_files() -> list[str]:
    """Every file under MEDIA_ROOT, or in the S3 bucket, as storage names (sorted)."""
    if hasattr(default_storage, "bucket"):
        from tests.s3 import bucket_names

        return bucket_names()
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return []
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def stored_names_of(media_items) -> list[str]:
    """The storage names of these items' files, each checked to exist (so a later "gone" means deleted)."""
    names = [name for media in media_items for name in media.stored_names()]
    assert names, "the media have no stored file"
    assert all(default_storage.exists(name) for name in names), names
    return names


def assert_no_media_left(names) -> None:
    """No MediaFile row, no file under MEDIA_ROOT (or in the bucket), and none of ``names`` in the storage."""
    assert not MediaFile.objects.exists()
    assert [name for name in names if default_storage.exists(name)] == []
    assert stored_files() == []
