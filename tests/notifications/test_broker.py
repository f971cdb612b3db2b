"""Enqueueing through a real broker (Redis), and through one that cannot be reached."""

import base64
import datetime as dt
import json
import time

import pytest
import redis
import time_machine
from django.core import mail

from notifications import tasks
from notifications.models import EmailState, Notification
from notifications.quiet_hours import PARIS
from notifications.services import notify

from .conftest import IMMEDIATE_KIND

THURSDAY_10H = dt.datetime(2026, 3, 12, 10, 0, tzinfo=PARIS)


def _notify_and_commit(django_capture_on_commit_callbacks, person):
    with django_capture_on_commit_callbacks(execute=True):
        return notify(kind=IMMEDIATE_KIND, actor=None, target=None, text="Note", url="/", recipients=[person])


@pytest.mark.services
@time_machine.travel(THURSDAY_10H, tick=False)
def test_immediate_emails_are_published_to_the_email_queue(
    redis_url, real_broker, director, django_capture_on_commit_callbacks
):
    client = redis.Redis.from_url(redis_url)
    client.delete("email")
    real_broker(redis_url)
    try:
        _notify_and_commit(django_capture_on_commit_callbacks, director)
        raw = client.lpop("email")
    finally:
        client.delete("email")

    message = json.loads(raw)
    assert message["headers"]["task"] == "notifications.send_immediate"
    assert message["properties"]["delivery_info"]["routing_key"] == "email"
    args, kwargs, _embed = json.loads(base64.b64decode(message["body"]))
    assert args == [[director.pk]]
    assert mail.outbox == []  # a worker would send it; here it waits in Redis
    # A worker would now run the task: it sends once.
    tasks.send_immediate([director.pk])
    assert len(mail.outbox) == 1


@pytest.mark.slow  # waits for the connection to be refused and the retry to give up
@time_machine.travel(THURSDAY_10H, tick=False)
def test_unreachable_broker_fails_fast_and_loses_nothing(real_broker, director, django_capture_on_commit_callbacks):
    real_broker("redis://127.0.0.1:1/0")  # nothing listens on port 1

    started = time.monotonic()
    assert _notify_and_commit(django_capture_on_commit_callbacks, director) == 1
    assert time.monotonic() - started < 10

    assert Notification.objects.get().email_state == EmailState.PENDING
    assert mail.outbox == []
    tasks.sweep()  # the sweep, here unable to enqueue either, sends from the worker itself
    assert len(mail.outbox) == 1
