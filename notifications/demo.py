"""Demo data of the notifications: what people have read, and this morning's daily digest.

The notifications themselves are written by the other apps' demos, through their services
(``notify()``), each dated when its service ran (:mod:`ent.demo_history`). ``seed`` runs before
them and ``finish`` after every app's demo (``manage.py seed_demo``):

* ``seed``: the IEN gave up the right to disconnect (through ``preferences_save``), so that she
  receives her digest even on a weekend;
* ``finish``: people have read most of what is older than a week and a third of the rest (read a
  few hours after it came; an e-mail not sent yet is then not sent, as on the site); then the daily
  digest task runs once, as beat would at 07:00, writing the digests (under ``var/mail/`` with
  ``make run``'s file backend).

Idempotent: the read rule picks the same rows again (by id), and a digest never carries a
notification twice.
"""

import datetime as dt

from django.db import transaction
from django.db.models import DateTimeField, ExpressionWrapper, F, Value
from django.db.models.functions import Least
from django.utils import timezone

from accounts.models import User

from .kinds import Frequency
from .models import EmailSettings, Notification
from .services import _mark_read, preferences_save

INSPECTOR = "ien@demo.ent.fr"
READ_AFTER = dt.timedelta(hours=4)
RECENT = dt.timedelta(days=7)
# One older notice in KEPT_UNREAD stays unread (nobody reads everything); one recent one in
# READ_RECENT is read already.
KEPT_UNREAD = 6
READ_RECENT = 3


def seed(command):
    inspector = User.objects.filter(email=INSPECTOR).first()
    if inspector is not None and not EmailSettings.objects.filter(user=inspector).exists():
        preferences_save(user=inspector, frequencies={}, quiet_hours=False)


def finish(command):
    now = timezone.now()
    read = mark_read_as_people_did(now=now)
    transaction.on_commit(lambda: _send_digest(command))
    unread = Notification.objects.filter(read_at__isnull=True).count()
    command.stdout.write(
        f"  notifications : {Notification.objects.count()} ({read} lues à l’instant, {unread} non lues)"
    )


def mark_read_as_people_did(*, now: dt.datetime) -> int:
    """Mark read, a few hours after it came, most of what is older than a week and a third of the rest."""
    unread = Notification.objects.filter(read_at__isnull=True, created_at__lte=now - READ_AFTER)
    older = unread.filter(created_at__lt=now - RECENT).exclude(pk__in=_every(unread, KEPT_UNREAD))
    recent = unread.filter(created_at__gte=now - RECENT, pk__in=_every(unread, READ_RECENT))
    read_at = Least(
        ExpressionWrapper(F("created_at") + Value(READ_AFTER), output_field=DateTimeField()),
        Value(now, output_field=DateTimeField()),
    )
    return _mark_read(older, read_at) + _mark_read(recent, read_at)


def _every(queryset, n: int):
    """The ids of one row in ``n`` (by id: the same rows on every run)."""
    return queryset.annotate(rest=F("pk") % n).filter(rest=0).values("pk")


def _send_digest(command):
    from .tasks import send_digests

    people = send_digests(Frequency.DAILY)
    command.stdout.write(f"  notifications : résumé quotidien envoyé à {people} personnes")
