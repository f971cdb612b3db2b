"""The one scheduled-publication mechanism (ent.publication), on a test-only model.

news and blogs are tested through it in tests/news/test_scheduling.py and tests/blogs/test_publication.py.
"""

import datetime as dt
import logging

import pytest
from django.db import models
from django.test.utils import isolate_apps
from django.utils import timezone

from ent import publication, tasks
from tests.testapp.models import Bulletin

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 16, 8, 0, tzinfo=dt.UTC)
LABEL = "testapp.Bulletin"


def _announce(bulletin):
    if bulletin.title == "panne":
        raise RuntimeError("the notification service failed")
    bulletin.status = publication.PublicationStatus.PUBLISHED
    bulletin.announcements += 1
    bulletin.save(update_fields=["status", "announcements"])


@pytest.fixture
def registered():
    publication.register(Bulletin, publish=_announce)
    yield
    publication.unregister(Bulletin)


def _bulletin(title, status=publication.PublicationStatus.SCHEDULED, minutes=-1):
    return Bulletin.objects.create(title=title, status=status, published_at=NOW + dt.timedelta(minutes=minutes))


def test_due_keeps_only_scheduled_rows_whose_time_has_come():
    due = _bulletin("due")
    _bulletin("à venir", minutes=1)
    _bulletin("brouillon", status=publication.PublicationStatus.DRAFT)
    _bulletin("déjà publié", status=publication.PublicationStatus.PUBLISHED)
    on_the_minute = _bulletin("à l’heure", minutes=0)
    assert list(Bulletin.objects.due(NOW)) == [due, on_the_minute]
    assert due.is_due(NOW) and on_the_minute.is_due(NOW)
    assert not due.is_due(NOW - dt.timedelta(minutes=2))


def test_every_due_row_is_published_once_however_often_it_runs(registered):
    first, second = _bulletin("premier", minutes=-5), _bulletin("second")
    later = _bulletin("plus tard", minutes=30)

    assert publication.publish_due(now=NOW) == {LABEL: [first.pk, second.pk]}
    assert publication.publish_due(now=NOW) == {}

    assert [(b.title, b.status, b.announcements) for b in Bulletin.objects.all()] == [
        ("premier", "publie", 1),
        ("second", "publie", 1),
        ("plus tard", "programme", 0),
    ]
    later.refresh_from_db()
    assert later.published_at == NOW + dt.timedelta(minutes=30)


def test_a_failing_row_is_logged_left_scheduled_and_does_not_stop_the_others(registered, caplog):
    before, failing, after = _bulletin("avant", minutes=-3), _bulletin("panne", minutes=-2), _bulletin("après")

    with caplog.at_level(logging.ERROR, logger="ent.publication"):
        assert publication.publish_due(now=NOW) == {LABEL: [before.pk, after.pk]}

    failing.refresh_from_db()
    assert (failing.status, failing.announcements) == ("programme", 0)
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.getMessage() == f"Publishing {LABEL} {failing.pk} failed; it stays scheduled for the next run"

    # Repaired, it is published by the next run, and the others are not published again.
    Bulletin.objects.filter(pk=failing.pk).update(title="réparé")
    assert publication.publish_due(now=NOW) == {LABEL: [failing.pk]}
    assert list(Bulletin.objects.values_list("announcements", flat=True)) == [1, 1, 1]


def test_a_row_published_rescheduled_or_deleted_meanwhile_is_skipped(registered):
    published = _bulletin("publié à la main", status=publication.PublicationStatus.PUBLISHED)
    rescheduled = _bulletin("reporté", minutes=60)
    deleted = _bulletin("supprimé")
    deleted_pk = deleted.pk
    deleted.delete()

    assert publication.publish_if_due(Bulletin, published.pk, now=NOW) is False
    assert publication.publish_if_due(Bulletin, rescheduled.pk, now=NOW) is False
    assert publication.publish_if_due(Bulletin, deleted_pk, now=NOW) is False
    assert list(Bulletin.objects.values_list("status", "announcements")) == [("publie", 0), ("programme", 0)]


def test_the_beat_task_publishes_every_registered_model_and_counts(registered):
    _bulletin("un", minutes=-10)
    _bulletin("deux", minutes=-10)
    assert tasks.publish_due.apply().get() == 2
    assert tasks.publish_due.apply().get() == 0
    assert set(Bulletin.objects.values_list("status", flat=True)) == {"publie"}


def test_news_and_blogs_are_registered_with_their_own_services():
    labels = [registration.label for registration in publication.registrations()]
    assert labels[:2] == ["news.Post", "blogs.Post"]


def test_an_unregistered_model_is_refused(db):
    with pytest.raises(LookupError):
        publication.publish_if_due(Bulletin, 1, now=timezone.now())


@isolate_apps("tests.testapp")
def test_register_refuses_a_model_that_cannot_be_scheduled():
    with pytest.raises(TypeError, match="must inherit"):
        publication.register(models.Model, publish=_announce)

    class Fixed(publication.Publishable):
        status = models.CharField(max_length=20, choices=[("brouillon", "Brouillon"), ("publie", "Publié")])

        class Meta:
            app_label = "testapp"

    with pytest.raises(TypeError, match=r"lacks the statuses \['programme'\]"):
        publication.register(Fixed, publish=_announce)
    assert "testapp.Fixed" not in [registration.label for registration in publication.registrations()]
