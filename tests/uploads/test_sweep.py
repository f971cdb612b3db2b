"""A broker outage during an upload: the request answers, the item waits pending, the sweep queues it."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from news.models import Post
from uploads import tasks
from uploads.models import MediaFile
from uploads.services import media_upload

from . import samples

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
UPLOADED = dt.datetime(2026, 3, 12, 10, 0, tzinfo=PARIS)
STUCK = UPLOADED + dt.timedelta(minutes=16)  # past ENT_QUEUE_STUCK_AFTER (15 minutes)


def _upload(user) -> MediaFile:
    return media_upload(file=samples.jpeg_upload(), kind="image", uploaded_by=user, alt_text="Une cour d’école")


def _statuses():
    return dict(MediaFile.objects.values_list("pk", "status"))


def test_an_upload_while_the_broker_is_down_answers_normally_and_the_sweep_processes_it(
    counsellor, client_as, broker_down, caplog, django_capture_on_commit_callbacks
):
    with time_machine.travel(UPLOADED, tick=False), broker_down(), django_capture_on_commit_callbacks(execute=True):
        response = client_as(counsellor).post(
            reverse("news:post-create", args=["directeurs"]),
            {
                "title": "Exercices PPMS",
                "summary": "Le calendrier des exercices.",
                "body": "<p>Voir l’image.</p>",
                "audience_choice": "all",
                "action": "publish",
                "cover": samples.jpeg_upload("ppms.jpg"),
                "cover_alt": "Le plan d’évacuation de l’école",
                "cover_no_pupil": "on",
            },
        )

    assert response.status_code == 302
    cover = Post.objects.get(title="Exercices PPMS").cover
    assert (cover.status, cover.attempts) == (MediaFile.Status.PENDING, 0)
    assert f"Could not queue uploads.process_media for [[{cover.pk}]] (broker unreachable?)" in caplog.text

    with time_machine.travel(STUCK, tick=False):
        assert tasks.sweep() == 1  # the broker is back: queued again (and run inline here)

    cover.refresh_from_db()
    assert (cover.status, cover.attempts) == (MediaFile.Status.READY, 1)
    assert cover.display_webp and not cover.original


def test_the_sweep_picks_the_stuck_item_and_leaves_the_fresh_and_the_done_ones(teacher, broker_down, process_now):
    with time_machine.travel(UPLOADED, tick=False):
        done = process_now(_upload, user=teacher)
        with broker_down():
            stuck = process_now(_upload, user=teacher)
    with time_machine.travel(STUCK - dt.timedelta(minutes=2), tick=False), broker_down():
        fresh = process_now(_upload, user=teacher)
    assert _statuses() == {done.pk: "ready", stuck.pk: "pending", fresh.pk: "pending"}

    with time_machine.travel(STUCK, tick=False), broker_down() as publish:
        assert tasks.sweep() == 0  # still down: logged, nothing marked, the next run tries again
        assert [call.kwargs["args"] for call in publish.call_args_list] == [[stuck.pk]]
    with time_machine.travel(STUCK, tick=False):
        assert tasks.sweep() == 1
        assert tasks.sweep() == 0  # another run (or a second beat) within the delay queues nothing

    assert _statuses() == {done.pk: "ready", stuck.pk: "ready", fresh.pk: "pending"}


def test_the_sweep_queues_an_item_again_once_per_delay(teacher, broker_down, process_now, monkeypatch, settings):
    # The markers expire on the travelled clock in a local-memory cache (Redis keeps its own time).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    with time_machine.travel(UPLOADED, tick=False), broker_down():
        media = process_now(_upload, user=teacher)
    queued = []
    monkeypatch.setattr(tasks.process_media, "apply_async", lambda args, **options: queued.append(args))

    for minutes in (16, 20, 30, 32):  # the sweep runs every 5 minutes; the delay is 15
        with time_machine.travel(UPLOADED + dt.timedelta(minutes=minutes), tick=False):
            tasks.sweep()

    assert queued == [[media.pk], [media.pk]]  # at 16 and at 32 minutes


def test_an_item_whose_runs_never_finish_fails_after_the_bounded_attempts(teacher, broker_down, process_now):
    with time_machine.travel(UPLOADED, tick=False), broker_down():
        media = process_now(_upload, user=teacher)
    MediaFile.objects.filter(pk=media.pk).update(attempts=tasks.MAX_ATTEMPTS)  # workers killed mid-run

    with time_machine.travel(STUCK, tick=False):
        assert tasks.sweep() == 1

    media.refresh_from_db()
    assert media.status == MediaFile.Status.FAILED
    assert media.attempts == tasks.MAX_ATTEMPTS
    assert media.original  # kept, so that an administrator may re-process it
    with time_machine.travel(STUCK + dt.timedelta(hours=1), tick=False):
        assert tasks.sweep() == 0  # failed: not pending any more


def test_the_sweep_is_scheduled_under_its_name(settings):
    assert settings.CELERY_BEAT_SCHEDULE["uploads-sweep"] == {"task": "uploads.sweep", "schedule": 300.0}
    assert tasks.sweep.name == "uploads.sweep"
    assert settings.ENT_QUEUE_STUCK_AFTER == 15 * 60
