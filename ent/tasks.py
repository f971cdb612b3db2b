"""Celery tasks of the project's shared pieces."""

from celery import shared_task
from django.db import OperationalError

from . import publication


@shared_task(name="ent.publish_due", autoretry_for=(OperationalError,), retry_backoff=10, max_retries=3)
def publish_due() -> int:
    """Run every minute by Celery beat: publish the scheduled rows of every registered model whose
    time has come (see :mod:`ent.publication`). Idempotent; returns how many were published.

    A failing row does not fail the task (it is logged and tried again next minute); the task
    retries only when the database cannot be reached at all.
    """
    return sum(len(pks) for pks in publication.publish_due().values())
