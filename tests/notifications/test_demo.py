"""The demo is made through the services: every demo login is told of things, some read and some
not, the daily digest has gone out, and a second run changes nothing."""

import io
from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db.models import F
from django.urls import reverse

from accounts.models import User
from audit.selectors import history_of
from blogs.models import Comment
from blogs.models import Post as BlogPost
from news.models import Post as NewsPost
from notifications import kinds
from notifications.models import Digest, EmailState, Notification
from notifications.selectors import unread_count

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # each test seeds the whole demo

PARIS = ZoneInfo("Europe/Paris")
# The README's demo logins, but the administrator: a technical account, in no school nor team,
# whom no audience names.
LOGINS = [
    "ien@demo.ent.fr",
    "cpc.numerique@demo.ent.fr",
    "directeur@demo.ent.fr",
    "enseignant@demo.ent.fr",
    "rased@demo.ent.fr",
]
WEDNESDAY = datetime(2026, 11, 25, 10, tzinfo=PARIS)
SATURDAY = datetime(2026, 11, 28, 10, tzinfo=PARIS)


@pytest.fixture
def seed(settings, django_capture_on_commit_callbacks):
    """``seed_demo`` as ``make run`` does, its after-commit work (e-mails, the digest) included."""

    def run():
        settings.DEBUG = True
        with django_capture_on_commit_callbacks(execute=True):
            call_command("seed_demo", stdout=io.StringIO())

    return run


def _state():
    return (
        Notification.objects.count(),
        Notification.objects.filter(read_at__isnull=True).count(),
        Digest.objects.count(),
        len(mail.outbox),
    )


def test_every_demo_login_is_told_of_things_and_the_digest_went_out(seed, settings, client_as):
    with time_machine.travel(WEDNESDAY, tick=True):
        seed()
        first = _state()
        seed()
        assert _state() == first  # idempotent: nothing new, nothing re-sent

        for email in LOGINS:
            person = User.objects.get(email=email)
            mine = Notification.objects.filter(recipient=person)
            unread = unread_count(user=person)
            assert unread > 0, email
            assert mine.filter(read_at__isnull=False).exists(), email  # some read, some not
            bell = client_as(person).get(reverse("accounts:home")).text
            label = f"{unread} non lue" if unread == 1 else f"{unread} non lues"
            assert f"Notifications ({label})" in bell, email

    assert first[2] > 0
    digests = [m for m in mail.outbox if m.subject.startswith(f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Votre résumé")]
    assert len(digests) == Digest.objects.filter(state=Digest.State.SENT).count() > 0
    teacher = User.objects.get(email="enseignant@demo.ent.fr")
    assert any(m.to == [teacher.email] for m in digests)
    assert not Notification.objects.filter(email_state=EmailState.PENDING, email_frequency="daily").exists()


def test_the_past_stays_in_the_past(seed):
    with time_machine.travel(WEDNESDAY, tick=True):
        seed()
        now = datetime.now(tz=PARIS)
    assert not Notification.objects.filter(created_at__gt=now).exists()
    assert not Comment.objects.filter(created_at__gt=now).exists()
    ppms = NewsPost.objects.get(slug="exercices-ppms-premier-trimestre")
    told = Notification.objects.filter(kind="news.directors", target_id=ppms.pk)
    assert told.exists()
    assert set(told.values_list("created_at", flat=True)) == {ppms.published_at}
    assert (now - ppms.published_at).days == 20
    history = list(history_of(ppms))
    assert history[-1].created_at == ppms.published_at  # created back then, not this morning
    # This morning the IEN reminded the directors who had not confirmed: the demo director is one.
    reminded = Notification.objects.get(kind="news.ack_reminder", recipient__email="directeur@demo.ent.fr")
    assert reminded.created_at.date() == now.date()
    # A read notice was read after it came.
    assert not Notification.objects.filter(read_at__lt=F("created_at")).exists()


@pytest.mark.parametrize("moment", [datetime(2026, 9, 2, 8, 15, tzinfo=PARIS), datetime(2027, 6, 30, 19, tzinfo=PARIS)])
def test_at_the_start_and_the_end_of_the_year_nothing_is_dated_in_the_future(seed, moment):
    with time_machine.travel(moment, tick=True):
        seed()
        now = datetime.now(tz=PARIS)
    assert Notification.objects.exists()
    assert not Notification.objects.filter(created_at__gt=now).exists()
    assert not Notification.objects.filter(read_at__gt=now).exists()
    assert not Comment.objects.filter(created_at__gt=now).exists()
    assert not BlogPost.objects.filter(status=BlogPost.Status.PUBLISHED, published_at__gt=now).exists()


def test_everyone_told_of_a_kind_can_receive_it(seed):
    """The services address each kind only to people its ``receivers`` rule admits (so the
    preferences page offers everyone what they do receive)."""
    with time_machine.travel(WEDNESDAY, tick=True):
        seed()
    received = defaultdict(set)
    for recipient_id, kind in Notification.objects.values_list("recipient_id", "kind").distinct():
        received[recipient_id].add(kind)
    assert {kind for kinds_ in received.values() for kind in kinds_} >= {
        "news.published",
        "news.directors",
        "news.ack_reminder",
        "news.proposal_submitted",
        "timeline.event_created",
        "blogs.published",
        "blogs.comment_pending",
    }
    for person in User.objects.filter(pk__in=received):
        for kind in received[person.pk]:
            assert kinds.get(kind).can_receive(person), (person.email, kind)


def test_on_a_saturday_the_inspector_still_gets_her_digest(seed):
    """The daily digest waits for Monday for people who keep the right to disconnect; the demo IEN
    gave it up, so a demo loaded at the weekend still shows a digest."""
    with time_machine.travel(SATURDAY, tick=True):
        seed()
    inspector = User.objects.get(email="ien@demo.ent.fr")
    assert Digest.objects.filter(recipient=inspector, state=Digest.State.SENT).exists()
    assert any(m.to == [inspector.email] for m in mail.outbox)
    assert not Digest.objects.filter(recipient__email="enseignant@demo.ent.fr").exists()
