"""``{% frame "top" %}``: a part of the page's frame (``ent.frame``), remembered for the values it shows."""

from django import template

from ent import frame as frame_parts

register = template.Library()


@register.simple_tag(takes_context=True)
def frame(context, part: str):
    return frame_parts.draw(context, part)
