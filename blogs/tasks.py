import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(name="blogs.publish_due_posts")
def publish_due_posts() -> int:
    """Publish the scheduled posts whose time has come and tell their readers (every minute, by beat).

    Idempotent: a post is published and announced once, however often this runs or overlaps.
    """
    published = services.posts_publish_due()
    if published:
        logger.info("Published scheduled blog posts %s", published)
    return len(published)
