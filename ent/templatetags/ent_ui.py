"""Small template helpers shared by every app's templates."""

from django import template
from dsfr.utils import dsfr_input_class_attr

register = template.Library()


@register.filter
def dsfr(bound_field):
    """Give a form field the DSFR classes (``fr-input``, ``fr-select``…) before rendering it."""
    dsfr_input_class_attr(bound_field)
    return bound_field
