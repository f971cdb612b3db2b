"""Immediate e-mails go through Redis to a real Celery worker process, on the "email" queue."""

import pytest

from notifications import tasks
from notifications.models import EmailSettings, EmailState, Notification
from notifications.services import notify
from tests.factories import UserFactory

from .conftest import IMMEDIATE_KIND

pytestmark = pytest.mark.services


def _sent_to(person) -> bool:
    return Notification.objects.filter(recipient=person, email_state=EmailState.SENT).exists()


def test_a_real_worker_sends_each_immediate_email_once(celery_worker_process, director):
    late = UserFactory(email="dernier@ecole.test")
    for person in (director, late):
        EmailSettings.objects.create(user=person, quiet_hours=False)  # whatever the hour of the test run

    notify(kind=IMMEDIATE_KIND, actor=None, target=None, text="Note de service n°7", url="/", recipients=[director])
    celery_worker_process.wait_for(lambda: _sent_to(director), what="The immediate e-mail")

    # The same work queued again (a retry, a duplicate message, the sweep): nothing more is sent.
    tasks.send_immediate.delay([director.pk])
    tasks.sweep.delay()
    # A later notice, behind them in the same queue, tells when the worker has been through them.
    notify(kind=IMMEDIATE_KIND, actor=None, target=None, text="Note suivante", url="/", recipients=[late])
    celery_worker_process.wait_for(lambda: _sent_to(late), what="The later e-mail")

    mails = celery_worker_process.mails()
    to_director = [m for m in mails if f"To: {director.email}" in m]
    assert len(to_director) == 1
    assert "Note de service n" in to_director[0]
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in to_director[0]
    assert len(mails) == 2
