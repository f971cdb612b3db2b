"""The development scheduler (ent.inline_scheduler) starts only under runserver with Celery eager,
and notifications_withdraw deletes only the pending, unread notifications of a target."""

import pytest
from django.utils import timezone

from ent import inline_scheduler
from notifications.models import Notification
from notifications.services import notifications_withdraw, notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_scheduler_starts_only_under_runserver_in_the_reloader(settings):
    settings.ENT_INLINE_SCHEDULER = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert inline_scheduler.should_start(["manage.py", "runserver"], {"RUN_MAIN": "true"})
    assert not inline_scheduler.should_start(["manage.py", "runserver"], {})
    assert not inline_scheduler.should_start(["gunicorn"], {"RUN_MAIN": "true"})
    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert not inline_scheduler.should_start(["manage.py", "runserver"], {"RUN_MAIN": "true"})
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.ENT_INLINE_SCHEDULER = False
    assert not inline_scheduler.should_start(["manage.py", "runserver"], {"RUN_MAIN": "true"})


def test_notifications_withdraw_keeps_read_and_emailed_ones():
    target = UserFactory()  # any saved object
    people = [UserFactory() for _ in range(4)]
    notify(kind="mail.received", actor=None, target=target, recipients=people, text="X vous a écrit", url="/m/")
    rows = list(Notification.objects.order_by("recipient_id"))
    rows[0].read_at = timezone.now()
    rows[1].emailed_at = timezone.now()
    rows[2].email_claimed_at = timezone.now()
    for row in rows[:3]:
        row.save()
    other = UserFactory()
    notify(kind="mail.received", actor=None, target=other, recipients=people[:1], text="Y", url="/m/")
    assert notifications_withdraw(target=target) == 1
    assert not Notification.objects.filter(recipient=people[3], target_id=target.pk).exists()
    assert Notification.objects.count() == 4
