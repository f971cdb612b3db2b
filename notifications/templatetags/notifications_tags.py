from django import template

from ..push import vapid_public_key
from ..selectors import UNREAD_CAP, push_devices, unread_count, unread_count_for_request

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> int:
    """The person's unread count for the bell: one indexed query, once per request."""
    if "notifications_unread" in context:
        return context["notifications_unread"]
    request = context.get("request")
    if request is not None:
        return unread_count_for_request(request)
    return unread_count(user=context.get("user"))


@register.filter
def unread_label(count: int) -> str:
    """« 3 non lues », « 1 non lue », « plus de 99 non lues »; empty when there is none."""
    if not count:
        return ""
    if count > UNREAD_CAP:
        return f"plus de {UNREAD_CAP} non lues"
    return f"{count} non lue" if count == 1 else f"{count} non lues"


@register.simple_tag
def push_devices_of(user) -> list:
    """The person's devices receiving their notifications (the profile's « Mes appareils »)."""
    if user is None or not user.is_authenticated:
        return []
    return list(push_devices(user=user))


@register.simple_tag
def push_public_key() -> str:
    """The VAPID public key the browser subscribes with."""
    return vapid_public_key()
