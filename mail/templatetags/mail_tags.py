"""``{% mail_unread_count as count %}``: the person's unread messages, counted once per request with the bell's."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def mail_unread_count(context) -> int:
    """A COUNT on the partial index of unread deliveries, read with the bell's count in one query
    (``ent.header``) and kept on the request for the rest of the page."""
    from ent.header import counts_for_request

    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return 0
    return counts_for_request(request)[1]
