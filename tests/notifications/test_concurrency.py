"""Several workers on the same e-mails at once (PostgreSQL: real row locks and concurrent UPDATEs)."""

import datetime as dt
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection

from notifications import delivery
from notifications.kinds import Frequency
from notifications.models import Digest, EmailState, Notification
from notifications.quiet_hours import PARIS
from notifications.services import notify
from tests.factories import UserFactory

from .conftest import DAILY_KIND, IMMEDIATE_KIND

THURSDAY_10H = dt.datetime(2026, 3, 12, 10, 0, tzinfo=PARIS)
WORKERS = 4

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _run_in_parallel(function):
    barrier = threading.Barrier(WORKERS)
    errors = []

    def worker():
        try:
            barrier.wait()
            function()
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


@time_machine.travel(THURSDAY_10H, tick=False)
def test_parallel_immediate_tasks_send_each_email_once(postgres):
    people = [UserFactory() for _ in range(5)]
    for i in range(4):
        notify(kind=IMMEDIATE_KIND, actor=None, target=None, text=f"Note {i}", url="/", recipients=people)

    _run_in_parallel(lambda: delivery.send_immediate([p.pk for p in people]))

    assert len(mail.outbox) == 20
    assert len({(m.to[0], m.subject) for m in mail.outbox}) == 20
    assert set(Notification.objects.values_list("email_state", flat=True)) == {EmailState.SENT}


@time_machine.travel(THURSDAY_10H, tick=False)
def test_parallel_digest_runs_send_one_digest_per_person(postgres):
    people = [UserFactory() for _ in range(5)]
    for i in range(3):
        notify(kind=DAILY_KIND, actor=None, target=None, text=f"Actualité {i}", url="/", recipients=people)

    _run_in_parallel(lambda: delivery.send_digests(Frequency.DAILY, [p.pk for p in people], cutoff=THURSDAY_10H))

    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in people)
    assert Digest.objects.count() == 5
    assert set(Notification.objects.values_list("email_state", flat=True)) == {EmailState.SENT}
