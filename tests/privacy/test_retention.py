"""The retention rules of privacy/retention.py, with frozen time: each deletes what is past its
duration, keeps the rest, and a second run deletes nothing more."""

import datetime as dt
from zoneinfo import ZoneInfo

import time_machine
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.utils import timezone

from notifications.models import Notification
from privacy import retention, tasks
from privacy.models import DataExport

PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 12, 1, 10, tzinfo=PARIS)


def test_every_rule_has_its_beat_task_scheduled():
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    for rule in retention.RULES:
        assert rule.task in scheduled, rule.key
        assert rule.duration()


def test_mail_is_pointed_at_not_copied(settings):
    settings.ENT_MAIL_RETENTION_DAYS = 730
    mail = retention.rule("mail")
    assert mail.purge is None and mail.task == "mail.purge"
    assert "2 ans" in mail.duration()


def test_notifications_after_one_year(teacher):
    with time_machine.travel(NOW, tick=False):
        old = Notification.objects.create(
            recipient=teacher, kind="x", text="ancienne", url="/", created_at=NOW - dt.timedelta(days=366)
        )
        recent = Notification.objects.create(
            recipient=teacher, kind="x", text="récente", url="/", created_at=NOW - dt.timedelta(days=364)
        )
        assert tasks.purge_notifications() == 1
        assert tasks.purge_notifications() == 0
    assert not Notification.objects.filter(pk=old.pk).exists()
    assert Notification.objects.filter(pk=recent.pk).exists()


def test_expired_sessions(teacher):
    with time_machine.travel(NOW - dt.timedelta(days=30), tick=False):
        expired = SessionStore()
        expired["_auth_user_id"] = str(teacher.pk)
        expired.create()
    with time_machine.travel(NOW, tick=False):
        live = SessionStore()
        live.create()
        assert tasks.purge_sessions() == 1
        assert tasks.purge_sessions() == 0
    assert list(Session.objects.values_list("pk", flat=True)) == [live.session_key]


def test_exports_after_seven_days(teacher):
    with time_machine.travel(NOW - dt.timedelta(days=8), tick=False):
        old = DataExport.objects.create(user=teacher)
        old.file.save("old.zip", ContentFile(b"zip"))
    path = old.file.path
    with time_machine.travel(NOW - dt.timedelta(days=6), tick=False):
        recent = DataExport.objects.create(user=teacher)
    with time_machine.travel(NOW, tick=False):
        assert tasks.purge_exports() == 1
        assert tasks.purge_exports() == 0
    assert list(DataExport.objects.all()) == [recent]
    import os

    assert not os.path.exists(path)
    assert timezone.now()  # the clock is back
