"""« Droit à l'image » under a school's name (``accounts.structure_page``), for those who keep its registry."""

from django.urls import reverse

from .permissions import can_view_registry


def registry_action_context(request, structure):
    if structure.kind != "ecole" or not can_view_registry(request.user, structure):
        return None
    return {"url": reverse("privacy:registry", args=[structure.code])}
