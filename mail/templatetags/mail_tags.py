"""``{% mail_unread_count as count %}``: the person's unread messages, counted once per request."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def mail_unread_count(context) -> int:
    """One COUNT on the partial index of unread deliveries, kept on the request for the rest of the page."""
    from mail.selectors import unread_count

    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return 0
    if not hasattr(request, "_mail_unread_count"):
        request._mail_unread_count = unread_count(request.user)
    return request._mail_unread_count
