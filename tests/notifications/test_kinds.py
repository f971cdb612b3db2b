import pytest
from django.conf import settings

from notifications import kinds
from notifications.kinds import Frequency, register


def test_registered_kinds_are_grouped_by_app():
    groups = dict(kinds.grouped_by_app())
    assert [k.key for k in groups["Actualités (test)"]] == ["tests.comment", "tests.news"]
    assert kinds.get("tests.news").default_frequency == Frequency.DAILY


def test_registering_twice_the_same_is_harmless_but_a_conflict_is_refused():
    register("tests.news", label="Nouvelle actualité (test)", app_label="tests_news", app_name="Actualités (test)",
             default_frequency=Frequency.DAILY)  # fmt: skip
    with pytest.raises(ValueError):
        register("tests.news", label="Autre", app_label="tests_news", app_name="Actualités (test)",
                 default_frequency=Frequency.DAILY)  # fmt: skip


def test_bad_frequency_and_unknown_kind_are_refused():
    with pytest.raises(ValueError):
        register("tests.bad", label="x", app_label="x", app_name="x", default_frequency="hourly")
    with pytest.raises(LookupError):
        kinds.get("tests.bad")
    assert kinds.describe("tests.gone").label == "tests.gone"  # an old row still displays


def test_schedules_and_routes_are_declared():
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["notifications-sweep"]["schedule"] == 300.0
    daily, weekly = schedule["notifications-daily-digest"], schedule["notifications-weekly-digest"]
    assert (daily["task"], daily["args"]) == ("notifications.send_digests", ["daily"])
    assert (weekly["task"], weekly["args"]) == ("notifications.send_digests", ["weekly"])
    assert daily["schedule"].hour == {7} and daily["schedule"].minute == {0}
    assert weekly["schedule"].day_of_week == {1} and weekly["schedule"].hour == {7}
    assert settings.CELERY_TASK_ROUTES["notifications.*"] == {"queue": "email"}


def test_scheduled_task_names_exist():
    from ent.celery import app

    app.loader.import_default_modules()
    assert settings.CELERY_BEAT_SCHEDULE  # the loop below is not empty
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks
