"""Beat runs overlapping (PostgreSQL: real row locks): a scheduled post is published and announced once."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from audit.selectors import history_of
from ent import tasks
from news.models import Post, PostStatus
from notifications.models import Notification

from .factories import PostFactory

WORKERS = 4

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_parallel_runs_publish_and_notify_once(postgres, counsellor, teacher, director):
    posts = PostFactory.create_batch(
        3, author=counsellor, status=PostStatus.SCHEDULED, published_at=timezone.now() - dt.timedelta(seconds=5)
    )
    barrier = threading.Barrier(WORKERS)
    errors = []

    def worker():
        try:
            barrier.wait()
            tasks.publish_due.apply()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert set(Post.objects.values_list("status", flat=True)) == {PostStatus.PUBLISHED}
    for post in posts:
        assert history_of(post).filter(label="Publication programmée").count() == 1
        recipients = Notification.objects.filter(key=f"news.published:{post.pk}").values_list("recipient_id", flat=True)
        assert sorted(recipients) == sorted([teacher.pk, director.pk])
