"""A scheduled post appears, and is announced, at its time: not before, and once."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from audit.selectors import history_of
from ent import tasks
from news.models import Post, PostStatus
from news.services import PostInput, post_create, post_publish
from notifications.models import Notification

PARIS = dt.timezone(dt.timedelta(hours=1))


def test_publish_due_posts_runs_every_minute_from_beat():
    entry = settings.CELERY_BEAT_SCHEDULE["ent.publish_due"]
    assert entry["task"] == "ent.publish_due"
    assert entry["schedule"] == 60.0
    assert tasks.publish_due.name == "ent.publish_due"


@pytest.mark.django_db
def test_a_scheduled_post_appears_and_is_announced_at_its_time_once(counsellor, teacher, director, client_as):
    start = dt.datetime(2026, 3, 9, 8, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as traveller:
        post = post_create(
            actor=counsellor,
            feed="pedagogie",
            data=PostInput(title="Animation programmée", summary="Résumé", published_at=start + dt.timedelta(hours=2)),
        )
        post = post_publish(actor=counsellor, post=post)
        assert post.status == PostStatus.SCHEDULED
        client = client_as(teacher)

        tasks.publish_due.delay()
        assert "Animation programmée" not in client.get(reverse("news:feed", args=["pedagogie"])).content.decode()
        assert client.get(post.get_absolute_url()).status_code == 404
        assert not Notification.objects.filter(key=f"news.published:{post.pk}").exists()

        traveller.move_to(start + dt.timedelta(hours=2, minutes=1))
        tasks.publish_due.delay()
        tasks.publish_due.delay()  # beat may run it twice (overlap, retry): nothing more happens

        post.refresh_from_db()
        assert post.status == PostStatus.PUBLISHED
        assert "Animation programmée" in client.get(reverse("news:feed", args=["pedagogie"])).content.decode()
        notified = Notification.objects.filter(key=f"news.published:{post.pk}")
        assert sorted(notified.values_list("recipient_id", flat=True)) == sorted([teacher.pk, director.pk])
        assert history_of(post).filter(label="Publication programmée").count() == 1


@pytest.mark.django_db
def test_publishing_now_announces_with_the_right_kind(counsellor, director, teacher):
    pedagogy = post_create(actor=counsellor, feed="pedagogie", data=PostInput(title="Péda", summary="r"))
    directors = post_create(actor=counsellor, feed="directeurs", data=PostInput(title="Direction", summary="r"))
    post_publish(actor=counsellor, post=pedagogy)
    post_publish(actor=counsellor, post=directors)
    assert set(
        Notification.objects.filter(target_id=pedagogy.pk, kind="news.published").values_list("recipient_id", flat=True)
    ) == {teacher.pk, director.pk}
    assert list(
        Notification.objects.filter(target_id=directors.pk, kind="news.directors").values_list(
            "recipient_id", flat=True
        )
    ) == [director.pk]


@pytest.mark.django_db
def test_editing_a_published_post_notifies_again_only_when_asked(counsellor, teacher, client_as):
    post = post_publish(
        actor=counsellor,
        post=post_create(actor=counsellor, feed="pedagogie", data=PostInput(title="Version 1", summary="r")),
    )
    assert Notification.objects.filter(recipient=teacher).count() == 1
    client = client_as(counsellor)
    form = {"title": "Version 2", "summary": "r", "body": "", "audience_choice": "all", "action": "draft"}
    assert client.post(reverse("news:post-edit", args=[post.pk]), form).status_code == 302
    assert Notification.objects.filter(recipient=teacher).count() == 1
    assert (
        client.post(
            reverse("news:post-edit", args=[post.pk]), form | {"title": "Version 3", "notify_again": "on"}
        ).status_code
        == 302
    )
    again = Notification.objects.filter(recipient=teacher).order_by("pk")
    assert again.count() == 2
    revision = history_of(post).get(label="Modification, annoncée à nouveau")
    assert again.last().key == f"news.published:{post.pk}:r{revision.pk}"


@pytest.mark.django_db
def test_a_past_scheduled_date_published_directly(counsellor):
    post = post_create(actor=counsellor, feed="pedagogie", data=PostInput(title="Sans date", summary="r"))
    post = post_publish(actor=counsellor, post=post)
    assert post.status == PostStatus.PUBLISHED
    assert abs(post.published_at - timezone.now()) < dt.timedelta(seconds=5)
    assert Post.objects.live().filter(pk=post.pk).exists()
