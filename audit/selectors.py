"""Reading the audit trail."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from .models import Event


def history_of(target: models.Model) -> QuerySet[Event]:
    """What was done to ``target``, newest first, with who did it (one query)."""
    return (
        Event.objects.filter(target_type=ContentType.objects.get_for_model(target), target_id=target.pk)
        .select_related("actor")
        .order_by("-created_at", "-pk")
    )


def actions_by(user) -> QuerySet[Event]:
    """What ``user`` did, newest first (one query)."""
    return Event.objects.filter(actor=user).select_related("target_type").order_by("-created_at", "-pk")
