"""Template helpers of the blogs."""

from django import template
from django.utils.html import linebreaks, urlize
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter(is_safe=True, needs_autoescape=False)
def comment_text(text: str) -> str:
    """A comment's plain text as HTML: everything escaped, web addresses made into links that
    neither pass the page to the target nor count for it (rel="nofollow noopener"), paragraphs kept."""
    linked = urlize(text or "", trim_url_limit=60, nofollow=True, autoescape=True)
    linked = linked.replace('rel="nofollow"', 'rel="nofollow noopener"')
    return mark_safe(linebreaks(linked, autoescape=False))  # noqa: S308 - escaped by urlize above
