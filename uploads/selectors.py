"""Reads on uploaded media."""

from collections.abc import Iterable

from django.db.models import QuerySet

from .models import MediaFile


def media_by_public_id(public_id) -> MediaFile | None:
    return MediaFile.objects.filter(public_id=public_id).first()


def media_of(holder) -> QuerySet[MediaFile]:
    """The items attached to ``holder``, oldest first (for a page's photos and recordings)."""
    return MediaFile.objects.attached_to(holder).order_by("created_at", "pk")


def unattached_media_of(*, user, public_ids: Iterable) -> QuerySet[MediaFile]:
    """Items this person sent and has not attached yet, among ``public_ids`` (e.g. from a form's hidden inputs)."""
    return MediaFile.objects.filter(
        uploaded_by=user, holder_content_type__isnull=True, public_id__in=list(public_ids)
    ).order_by("created_at", "pk")
