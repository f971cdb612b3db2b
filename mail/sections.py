"""The messaging on a school's page: « Écrire à la direction » (an action under the school's name)."""

from django.urls import reverse

from accounts.permissions import directs

from . import permissions


def write_to_direction_context(request, structure):
    """A link to the writing page with the school's direction as recipient, for whoever may write to it
    (``permissions.write_scope``, as ``can_write_to`` reads it; not its own directors)."""
    user = request.user
    if not structure.is_school or directs(user, structure):
        return None
    # The scope alone (no label needed): a few queries, the same for any school, kept for the request.
    if not permissions.can_compose(user) or not permissions.write_scope(user).allows_direction(structure.pk):
        return None
    return {"url": f"{reverse('mail:compose')}?a=d:{structure.pk}"}
