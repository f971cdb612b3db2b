"""Scheduled publication, once for every app: a row is *scheduled* for a time, and published then.

A publishable model inherits :class:`Publishable` (a ``status`` among whose values are
``programme`` and ``publie``, a ``published_at``, and :class:`PublishableQuerySet.due`), and its
app registers the service that publishes one row, from its ``AppConfig.ready()``::

    publication.register(Post, publish=lambda post: services.post_publish_scheduled(post=post))

Celery beat runs :func:`publish_due` every minute (the ``ent.publish_due`` task). For every
registered model, in registration order, it lists the due rows and publishes each **in its own
transaction**: the row is locked (``select_for_update(skip_locked=True)``: a row another run is
publishing is left to it), checked again (still scheduled, still due: a row already published,
rescheduled or deleted meanwhile is skipped) and handed to the app's service, which sets the
published status, writes its history and notifies its audience (with a dedupe key). A row whose
service fails is rolled back and logged; it stays scheduled and the next run tries it again, and
the other rows are published all the same.

This module knows nothing of the apps that use it: news, blogs, and later mail's scheduled sends
and notebooks each bring their own service.
"""

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable

from django.db import models, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)


class PublicationStatus(models.TextChoices):
    """The statuses every publishable model has (an app may add its own, e.g. « archivé »)."""

    DRAFT = "brouillon", "Brouillon"
    SCHEDULED = "programme", "Programmé"
    PUBLISHED = "publie", "Publié"


class PublishableQuerySet(models.QuerySet):
    def due(self, now: dt.datetime | None = None):
        """Scheduled rows whose publication time has come."""
        now = now or timezone.now()
        return self.filter(status=PublicationStatus.SCHEDULED, published_at__lte=now)


class Publishable(models.Model):
    """A row published at ``published_at``: scheduled while that time is to come.

    ``published_at`` is the planned time of a scheduled row and the actual time of a published
    one. A model may redeclare ``status`` with more choices, keeping ``programme`` and ``publie``
    (checked by :func:`register`), and its manager must be built on :class:`PublishableQuerySet`.
    It should also index ``(status, published_at)``, the query :meth:`PublishableQuerySet.due` runs.
    """

    status = models.CharField("état", max_length=20, choices=PublicationStatus.choices, default=PublicationStatus.DRAFT)
    published_at = models.DateTimeField(
        "publication le", null=True, blank=True, help_text="Date et heure de publication, prévue ou passée."
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_due(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.status == PublicationStatus.SCHEDULED and self.published_at is not None and self.published_at <= now


# --- Registry --------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Registration:
    model: type[Publishable]
    # Called with the locked, due row inside its transaction; sets the published status and
    # tells whoever must be told (once: a dedupe key).
    publish: Callable[[Publishable], object]

    @property
    def label(self) -> str:
        return self.model._meta.label


_registry: dict[str, Registration] = {}


def register(model: type[Publishable], *, publish: Callable[[Publishable], object]) -> None:
    """Declare a publishable model and the service that publishes one of its rows (idempotent)."""
    if not issubclass(model, Publishable):
        raise TypeError(f"{model.__qualname__} must inherit ent.publication.Publishable")
    if not isinstance(model._default_manager.all(), PublishableQuerySet):
        raise TypeError(f"{model._meta.label}'s default manager must be built on PublishableQuerySet")
    values = {value for value, _ in model._meta.get_field("status").choices}
    missing = {PublicationStatus.SCHEDULED.value, PublicationStatus.PUBLISHED.value} - values
    if missing:
        raise TypeError(f"{model._meta.label}.status lacks the statuses {sorted(missing)}")
    _registry[model._meta.label] = Registration(model=model, publish=publish)


def unregister(model: type[Publishable]) -> None:
    """For tests."""
    _registry.pop(model._meta.label, None)


def registrations() -> list[Registration]:
    return list(_registry.values())


def registration_for(model: type[Publishable]) -> Registration:
    try:
        return _registry[model._meta.label]
    except KeyError:
        raise LookupError(f"{model._meta.label} is not registered with ent.publication") from None


# --- Service ---------------------------------------------------------------------------------


def publish_if_due(model: type[Publishable], pk, *, now: dt.datetime | None = None) -> bool:
    """Publish this row if it is still scheduled and due, in one transaction, row locked.

    False when there is nothing to do (already published, rescheduled, deleted, not yet due, or
    being published by a concurrent run): safe to call twice, or from two workers at once.
    Errors of the app's service propagate (and roll back).
    """
    registration = registration_for(model)
    now = now or timezone.now()
    with transaction.atomic():
        row = model._default_manager.select_for_update(skip_locked=True).filter(pk=pk).first()
        if row is None or not row.is_due(now):
            return False
        registration.publish(row)
    return True


def publish_due(*, now: dt.datetime | None = None) -> dict[str, list]:
    """Publish every due row of every registered model; each row alone. Returns the published
    primary keys by model label (``{"news.Post": [3, 7]}``). A failing row is logged and left
    scheduled for the next run; it never stops the others."""
    now = now or timezone.now()
    published: dict[str, list] = {}
    for registration in registrations():
        model = registration.model
        due = list(model._default_manager.due(now).order_by("published_at", "pk").values_list("pk", flat=True))
        for pk in due:
            try:
                done = publish_if_due(model, pk, now=now)
            except Exception:
                logger.exception("Publishing %s %s failed; it stays scheduled for the next run", registration.label, pk)
                continue
            if done:
                published.setdefault(registration.label, []).append(pk)
    if published:
        logger.info("Published scheduled rows: %s", published)
    return published
