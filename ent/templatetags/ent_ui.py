"""Small template helpers shared by every app's templates."""

from django import template
from django.utils.html import format_html
from dsfr.utils import dsfr_input_class_attr

from ent.forms import requirement_note

register = template.Library()


@register.filter
def dsfr(bound_field):
    """Give a form field the DSFR classes (``fr-input``, ``fr-select``…) before rendering it."""
    dsfr_input_class_attr(bound_field)
    return bound_field


@register.inclusion_tag("components/breadcrumb.html", takes_context=True)
def breadcrumb(context, current, *levels):
    """The page's breadcrumb: ``{% breadcrumb current "Actualités" news_url feed.label feed_url %}``.

    ``levels`` are the pages above this one, top first, as label, URL, label, URL… (make a URL
    with ``{% url … as name %}``, or use an object's ``get_absolute_url``).
    """
    if len(levels) % 2:
        raise template.TemplateSyntaxError("breadcrumb takes the current label, then label and URL pairs")
    links = list(zip(levels[::2], levels[1::2], strict=True))
    return {"user": context.get("user"), "links": links, "current": current}


@register.filter
def requirement(bound_field):
    """What the label says of the field being needed (``ent.forms.requirement_note``), as a hint."""
    note = requirement_note(bound_field)
    return format_html(' <span class="fr-hint-text fr-mb-0">{}</span>', note) if note else ""
