"""Drafts, scheduled and published posts: a scheduled post appears at its time, its readers are told once."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from blogs import services
from blogs.models import Post
from ent import publication
from ent.tasks import publish_due
from notifications.models import Notification

from .factories import PostFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
MONDAY_MORNING = datetime(2026, 3, 16, 7, 30, tzinfo=PARIS)


def _told(post):
    return set(Notification.objects.filter(key=f"blogs.published:{post.pk}").values_list("recipient_id", flat=True))


def test_the_beat_schedule_publishes_every_minute():
    entry = settings.CELERY_BEAT_SCHEDULE["ent.publish_due"]
    assert entry == {"task": "ent.publish_due", "schedule": 60.0}
    assert publish_due.name == "ent.publish_due"


def test_a_scheduled_post_is_published_at_its_time_and_readers_told_once(
    client_as, blog, counsellor, teacher, director, rased_member
):
    with time_machine.travel(MONDAY_MORNING - timedelta(days=3), tick=False):
        post = services.post_create(
            actor=counsellor,
            blog=blog,
            title="Vocaroo",
            body="<p>Enregistrer sa voix.</p>",
            action=services.PostAction.SCHEDULE,
            publish_at=MONDAY_MORNING,
        )
        assert post.status == Post.Status.SCHEDULED
        assert publish_due() == 0
        assert client_as(teacher).get(post.get_absolute_url()).status_code == 404
        assert _told(post) == set()

    with time_machine.travel(MONDAY_MORNING + timedelta(seconds=30), tick=False):
        assert publish_due() == 1
        assert publish_due() == 0  # the task runs every minute: a second run changes nothing

    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    assert post.published_at == MONDAY_MORNING
    # Readers (teachers and directors) are told; the author and people outside the audience are not.
    assert _told(post) == {teacher.pk, director.pk}
    assert Notification.objects.filter(key=f"blogs.published:{post.pk}").count() == 2
    assert client_as(teacher).get(post.get_absolute_url()).status_code == 200


def test_publishing_twice_never_tells_twice(blog, counsellor, teacher):
    with time_machine.travel(MONDAY_MORNING - timedelta(hours=1), tick=False):
        post = services.post_create(
            actor=counsellor, blog=blog, title="T", body="<p>x</p>", action="programmer", publish_at=MONDAY_MORNING
        )
    with time_machine.travel(MONDAY_MORNING + timedelta(minutes=5), tick=False):
        assert publication.publish_if_due(Post, post.pk) is True
        assert publication.publish_if_due(Post, post.pk) is False
        # Unpublished then published again by hand: still one notification per reader.
        services.post_update(actor=counsellor, post=post, title="T", body="<p>x</p>", action="brouillon")
        services.post_update(actor=counsellor, post=post, title="T", body="<p>x</p>", action="publier")
    assert Notification.objects.filter(key=f"blogs.published:{post.pk}", recipient=teacher).count() == 1


def test_publishing_now_tells_readers_at_once(blog, counsellor, teacher):
    post = services.post_create(actor=counsellor, blog=blog, title="Digipad", body="<p>x</p>", action="publier")
    assert post.status == Post.Status.PUBLISHED
    assert _told(post) == {teacher.pk}
    notification = Notification.objects.get(recipient=teacher)
    assert notification.url == post.get_absolute_url()
    assert notification.kind == "blogs.published"


def test_a_draft_tells_nobody_and_the_task_ignores_it(blog, counsellor, teacher):
    post = services.post_create(
        actor=counsellor,
        blog=blog,
        title="Brouillon",
        body="<p>x</p>",
        action="brouillon",
        publish_at=timezone.now() - timedelta(days=1),
    )
    assert publish_due() == 0
    post.refresh_from_db()
    assert post.status == Post.Status.DRAFT
    assert _told(post) == set()


def test_a_post_unscheduled_or_deleted_before_its_time_is_not_published(blog, counsellor):
    soon = timezone.now() + timedelta(hours=1)
    kept = services.post_create(
        actor=counsellor, blog=blog, title="A", body="<p>a</p>", action="programmer", publish_at=soon
    )
    gone = services.post_create(
        actor=counsellor, blog=blog, title="B", body="<p>b</p>", action="programmer", publish_at=soon
    )
    services.post_update(actor=counsellor, post=kept, title="A", body="<p>a</p>", action="brouillon", publish_at=soon)
    services.post_delete(actor=counsellor, post=gone)
    with time_machine.travel(soon + timedelta(minutes=1), tick=False):
        assert publish_due() == 0
        assert publication.publish_if_due(Post, gone.pk) is False
    kept.refresh_from_db()
    assert kept.status == Post.Status.DRAFT


def test_scheduling_in_the_past_is_refused_and_nothing_is_lost(client_as, counsellor, blog):
    url = reverse("blogs:post-create", args=[blog.slug])
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client_as(counsellor).post(
        url,
        {
            "title": "Mon tutoriel",
            "body": "<p>Un texte long à ne pas perdre.</p>",
            "publish_date": yesterday.isoformat(),
            "publish_time": "08:00",
            "action": "programmer",
        },
    )
    assert response.status_code == 200
    assert "Choisissez une date et une heure à venir" in response.text
    assert 'value="Mon tutoriel"' in response.text
    assert "Un texte long à ne pas perdre." in response.text
    assert not Post.objects.exists()


def test_the_form_schedules_a_post(client_as, counsellor, blog):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client_as(counsellor).post(
        reverse("blogs:post-create", args=[blog.slug]),
        {
            "title": "Digicode",
            "body": "<p>Des QR codes.</p>",
            "publish_date": tomorrow.isoformat(),
            "publish_time": "07:45",
            "action": "programmer",
        },
        follow=True,
    )
    post = Post.objects.get()
    assert post.status == Post.Status.SCHEDULED
    assert timezone.localtime(post.published_at).time().strftime("%H:%M") == "07:45"
    assert "Le billet est programmé" in response.text


def test_publishing_needs_a_text(client_as, counsellor, blog):
    response = client_as(counsellor).post(
        reverse("blogs:post-create", args=[blog.slug]), {"title": "Vide", "body": "", "action": "publier"}
    )
    assert response.status_code == 200
    assert "pas encore de texte" in response.text
    assert not Post.objects.exists()


def test_reading_time_is_computed_on_save(blog, counsellor):
    post = PostFactory(blog=blog, author=counsellor, body="<p>" + "mot " * 450 + "</p>")
    assert post.reading_minutes == 3
    assert post.reading_label == "Lecture : 3 min"
    post.body = "<p>Court.</p>"
    post.save()
    assert post.reading_minutes == 1
