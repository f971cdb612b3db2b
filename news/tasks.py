"""Celery tasks of the news app."""

from celery import shared_task
from django.db import OperationalError

from . import services


@shared_task(
    name="news.publish_due_posts",
    autoretry_for=(OperationalError,),
    retry_backoff=10,
    max_retries=3,
)
def publish_due_posts() -> int:
    """Run every minute by Celery beat: publish (and announce) the scheduled posts whose time has come.

    Idempotent: a post is published and announced once, however often this runs or overlaps.
    """
    return services.posts_publish_due()
