"""Who may see an uploaded file: the person who sent it, or whoever may see what holds it.

Each app that attaches media to its objects says, once, who may see such an object::

    # notebooks/apps.py
    def ready(self):
        from uploads.access import register_holder
        from .models import Page
        from .permissions import can_view_page
        register_holder(Page, can_view_page)

A holder whose model was never registered shows its media to nobody but their uploader.
"""

from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType

_CAN_VIEW: dict[str, Callable] = {}


def _label(model) -> str:
    return model._meta.concrete_model._meta.label_lower


def register_holder(model, can_view: Callable) -> None:
    """``can_view(user, holder) -> bool`` decides who sees the media attached to a ``model`` instance."""
    _CAN_VIEW[_label(model)] = can_view


def unregister_holder(model) -> None:
    _CAN_VIEW.pop(_label(model), None)


def can_view_media(user, media) -> bool:
    """The uploader always; others when the holder's rule lets them see the holder. Unattached: uploader only."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if media.uploaded_by_id is not None and media.uploaded_by_id == user.pk:
        return True
    if media.holder_content_type_id is None:
        return False
    content_type = ContentType.objects.get_for_id(media.holder_content_type_id)  # cached
    can_view = _CAN_VIEW.get(f"{content_type.app_label}.{content_type.model}")
    if can_view is None:
        return False
    holder = media.holder
    return holder is not None and bool(can_view(user, holder))
