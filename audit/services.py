"""Writing the audit trail. Every service that changes something people care about calls
:func:`record` (or :func:`record_many` for a batch) inside its own transaction: the row is
committed with the change, or rolled back with it."""

from collections.abc import Iterable, Sequence

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.text import Truncator

from . import actions
from .models import Event

REPR_MAX = 200
LABEL_MAX = 300


def _event(*, actor, target: models.Model, action: str, label: str, changes: Sequence[dict], at) -> Event:
    if target is None or not isinstance(target.pk, int):
        raise TypeError("The target of an audit event must be a saved model instance with an integer primary key.")
    label = " ".join((label or actions.get(action).label).split())
    return Event(
        created_at=at,
        actor=actor,
        action=action,
        label=Truncator(label).chars(LABEL_MAX),
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        target_repr=Truncator(str(target)).chars(REPR_MAX),
        changes=list(changes),
    )


def record(
    *,
    actor,
    target: models.Model,
    action: str,
    label: str = "",
    changes: Sequence[dict] = (),
) -> Event:
    """Record that ``actor`` (None for a task) did ``action`` to ``target``, now.

    ``action`` is a registered code (``audit.actions``); ``label`` is the French sentence shown to
    people, by default the action's own label (give a fuller one: « Renvoyée à son auteur : … »).
    ``changes`` comes from :func:`audit.changes.changes_between`. One INSERT, in the caller's
    transaction.
    """
    actions.get(action)
    event = _event(actor=actor, target=target, action=action, label=label, changes=changes, at=timezone.now())
    event.save()
    return event


def record_many(
    *,
    actor,
    targets: Iterable[models.Model],
    action: str,
    label: str = "",
    changes: Sequence[dict] = (),
) -> list[Event]:
    """:func:`record` the same action on each of ``targets`` at the same moment (one bulk INSERT)."""
    actions.get(action)
    now = timezone.now()
    events = [
        _event(actor=actor, target=target, action=action, label=label, changes=changes, at=now) for target in targets
    ]
    return Event.objects.bulk_create(events)
