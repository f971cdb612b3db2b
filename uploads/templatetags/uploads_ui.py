"""Template helpers of the upload components (``templates/components/dictaphone.html``)."""

from django import template
from dsfr.utils import dsfr_input_class_attr

from uploads.models import MediaFile

register = template.Library()


@register.filter
def recorder_input(bound_field):
    """An audio upload field ready for the dictaphone: the DSFR classes, and ``capture``.

    ``capture`` lets a phone open its own recorder where the page cannot record; the dictaphone's
    module takes it off where the page records itself (the input then chooses an existing file).
    """
    if getattr(bound_field.field, "kind", None) != MediaFile.Kind.AUDIO:
        raise template.TemplateSyntaxError("the dictaphone takes an audio field of uploads.forms")
    dsfr_input_class_attr(bound_field)
    bound_field.field.widget.attrs["capture"] = True
    return bound_field
