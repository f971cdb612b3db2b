"""The one declaration of a model that holds media: who may see its files, and that they go with it.

Each app that attaches media to its objects says, once, who may see such an object::

    # notebooks/apps.py
    def ready(self):
        from uploads.access import register_holder
        from .models import Page
        from .permissions import can_view_page
        register_holder(Page, can_view_page)

Registering does two things: ``can_view_media`` asks the rule, and deleting a holder by any path
(a service, the admin, a cascade from a parent, a queryset ``delete()``) deletes the media attached
to it, whose files go once the transaction commits (``signals.py``). ``media_upload`` and
``media_attach`` refuse a holder whose model is not registered, so no attached media is left behind.
A covering foreign key (``cover``) must point to a media attached to the same object: set it from
``media_upload(..., holder=obj)``, never from a free choice (the admin shows it read-only).

A holder whose model was never registered shows its media to nobody but their uploader.
"""

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete

_CAN_VIEW: dict[str, Callable] = {}
# Holders whose rule is also asked about people who are not signed in.
_ANONYMOUS: set[str] = set()


def _label(model) -> str:
    return model._meta.concrete_model._meta.label_lower


def register_holder(model, can_view: Callable, *, anonymous: bool = False) -> None:
    """``can_view(user, holder) -> bool`` decides who sees the media attached to a ``model`` instance.

    With ``anonymous=True`` the rule is also asked about people who are not signed in (an
    ``AnonymousUser``), for holders that may be public (a public blog); otherwise they see nothing.
    """
    label = _label(model)
    _CAN_VIEW[label] = can_view
    if anonymous:
        _ANONYMOUS.add(label)
    else:
        _ANONYMOUS.discard(label)
    post_delete.connect(_delete_media_of_holder, sender=model._meta.concrete_model, dispatch_uid=_uid(label))


def unregister_holder(model) -> None:
    label = _label(model)
    _CAN_VIEW.pop(label, None)
    _ANONYMOUS.discard(label)
    post_delete.disconnect(sender=model._meta.concrete_model, dispatch_uid=_uid(label))


def _uid(label: str) -> str:
    return f"uploads_delete_media_of:{label}"


def _delete_media_of_holder(sender, instance, using, **kwargs) -> None:
    """A holder was deleted (in the deleting transaction): its media rows go now, their files on commit."""
    from .models import MediaFile

    MediaFile.objects.using(using).attached_to(instance).delete()


def can_view_media(user, media) -> bool:
    """The uploader always; others when the holder's rule lets them see the holder. Unattached: uploader only.

    People not signed in (and inactive accounts) see only the media of holders registered with
    ``anonymous=True`` whose rule lets an anonymous person see them.
    """
    signed_in = user is not None and user.is_authenticated and user.is_active
    if signed_in and media.uploaded_by_id is not None and media.uploaded_by_id == user.pk:
        return True
    if media.holder_content_type_id is None:
        return False
    content_type = ContentType.objects.get_for_id(media.holder_content_type_id)  # cached
    label = f"{content_type.app_label}.{content_type.model}"
    can_view = _CAN_VIEW.get(label)
    if can_view is None or (not signed_in and label not in _ANONYMOUS):
        return False
    holder = media.holder
    return holder is not None and bool(can_view(user if signed_in else AnonymousUser(), holder))
