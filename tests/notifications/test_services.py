import datetime as dt
import math
from unittest import mock

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction

from accounts.audiences import Audience, AudienceKind
from accounts.models import Role
from notifications import services
from notifications.kinds import Frequency
from notifications.models import EmailSettings, EmailState, KindPreference, Notification
from notifications.quiet_hours import PARIS
from notifications.services import (
    notification_mark_read,
    notifications_mark_all_read,
    notifications_mark_read_for,
    notifications_unsubscribe,
    notify,
    preferences_save,
)
from tests.factories import SchoolFactory, UserFactory, make_member

from .conftest import DAILY_KIND, IMMEDIATE_KIND, WEEKLY_KIND
from .factories import NotificationFactory


def _notify(**kwargs):
    defaults = {"kind": DAILY_KIND, "actor": None, "target": None, "text": "Une nouvelle actualité", "url": "/ecoles/"}
    return notify(**{**defaults, **kwargs})


def test_notify_writes_one_row_per_audience_member_and_skips_the_actor(school, director, teacher, counsellor):
    other_school_teacher = make_member(Role.TEACHER, SchoolFactory())

    written = _notify(actor=director, target=school, audience=Audience(AudienceKind.STRUCTURES, {school.pk}))

    assert written == 1
    notification = Notification.objects.get()
    assert notification.recipient == teacher
    assert notification.actor == director
    assert notification.target == school
    assert notification.text == "Une nouvelle actualité"
    assert not Notification.objects.filter(recipient__in=[director, other_school_teacher, counsellor]).exists()


def test_notify_merges_audience_and_recipients_once_each(school, director, teacher, counsellor):
    written = _notify(
        audience=Audience(AudienceKind.DIRECTORS), recipients=[director, teacher.pk, counsellor], exclude_actor=False
    )

    assert written == 3
    assert sorted(Notification.objects.values_list("recipient_id", flat=True)) == sorted(
        [director.pk, teacher.pk, counsellor.pk]
    )


def test_notify_can_include_the_actor(director):
    assert _notify(actor=director, recipients=[director], exclude_actor=False) == 1
    assert _notify(actor=director, recipients=[director]) == 0


def test_notify_skips_inactive_people(db):
    active, inactive = UserFactory(), UserFactory(is_active=False)

    assert _notify(recipients=[active, inactive]) == 1
    assert list(Notification.objects.values_list("recipient_id", flat=True)) == [active.pk]


def test_notify_refuses_an_unregistered_kind_and_writes_nothing(teacher):
    with pytest.raises(LookupError):
        _notify(kind="tests.unknown", recipients=[teacher])
    assert not Notification.objects.exists()


def test_notify_refuses_an_empty_text(teacher):
    with pytest.raises(ValueError):
        _notify(text="   ", recipients=[teacher])
    assert not Notification.objects.exists()


def test_notify_shortens_a_long_text_to_one_line(teacher):
    _notify(text="Début\n" + "x" * 400, recipients=[teacher])

    text = Notification.objects.get().text
    assert len(text) == 300
    assert text.startswith("Début x")
    assert text.endswith("…")


def test_notify_with_nobody_writes_nothing(db):
    assert _notify(recipients=[]) == 0
    assert _notify(audience=Audience(AudienceKind.RASED)) == 0


def test_notify_writes_in_the_callers_transaction(teacher):
    with pytest.raises(RuntimeError), transaction.atomic():
        _notify(recipients=[teacher])
        assert Notification.objects.count() == 1
        raise RuntimeError("the caller's transaction fails")

    assert not Notification.objects.exists()


def test_dedupe_key_writes_one_row_per_person(teacher, director):
    assert _notify(recipients=[teacher], key="timeline.deadline:42:7d") == 1
    assert _notify(recipients=[teacher, director], key="timeline.deadline:42:7d") == 1
    assert _notify(recipients=[teacher, director], key="timeline.deadline:42:7d") == 0

    assert Notification.objects.filter(key="timeline.deadline:42:7d").count() == 2
    assert _notify(recipients=[teacher], key="timeline.deadline:42:1d") == 1


def test_dedupe_key_race_is_absorbed_by_the_unique_constraint(teacher):
    """Two notify() at once both pass the pre-check: the unique constraint keeps one row."""
    _notify(recipients=[teacher], key="k")
    read_settings = services._delivery_settings
    with mock.patch.object(services, "_delivery_settings", lambda ids, kind, key: read_settings(ids, kind, None)):
        _notify(recipients=[teacher], key="k")

    assert Notification.objects.filter(key="k").count() == 1


def test_email_frequency_follows_defaults_and_preferences(teacher, director):
    KindPreference.objects.create(user=director, kind=DAILY_KIND, frequency=Frequency.NEVER)

    _notify(recipients=[teacher, director])

    by_person = {n.recipient_id: n for n in Notification.objects.all()}
    assert by_person[teacher.pk].email_frequency == Frequency.DAILY
    assert by_person[teacher.pk].email_state == EmailState.PENDING
    assert by_person[director.pk].email_frequency == Frequency.NEVER
    assert by_person[director.pk].email_state == EmailState.NONE


def _insert_count(n: int) -> int:
    """How many INSERT statements bulk_create needs for n rows on this database."""
    fields = [f for f in Notification._meta.concrete_fields if not f.primary_key]
    per_insert = min(
        services.RECIPIENT_BATCH, connection.ops.bulk_batch_size(fields, [None] * services.RECIPIENT_BATCH)
    )
    full, rest = divmod(n, services.RECIPIENT_BATCH)
    return full * math.ceil(services.RECIPIENT_BATCH / per_insert) + (math.ceil(rest / per_insert) if rest else 0)


@time_machine.travel(dt.datetime(2026, 3, 12, 10, 0, tzinfo=PARIS), tick=False)  # a Thursday morning
@pytest.mark.slow
@pytest.mark.parametrize("kind", [DAILY_KIND, IMMEDIATE_KIND])
def test_notify_to_two_thousand_people_costs_a_bounded_number_of_queries(
    kind, make_people, director, school, django_assert_num_queries, django_capture_on_commit_callbacks
):
    people = make_people(2000)
    KindPreference.objects.create(user=people[0], kind=kind, frequency=Frequency.WEEKLY)
    EmailSettings.objects.create(user=people[1], quiet_hours=False)
    ContentType.objects.clear_cache()
    # Besides the INSERTs: recipients (1), content type (1), savepoint (2), preferences (1 per 1,000 people).
    others = 4 + math.ceil(2000 / services.RECIPIENT_BATCH)
    inserts = _insert_count(2000)

    # Exact: the INSERTs per database come from _insert_count, the other queries are counted above.
    with (
        mock.patch("notifications.tasks.send_immediate.apply_async") as enqueue,
        django_capture_on_commit_callbacks(execute=True),
        django_assert_num_queries(others + inserts) as captured,
    ):
        written = notify(
            kind=kind, actor=director, target=school, text="Conseil d’école", url="/ecoles/", recipients=people
        )

    assert written == 2000
    assert Notification.objects.filter(kind=kind).count() == 2000
    assert sum(q["sql"].startswith("INSERT") for q in captured.captured_queries) == inserts
    if connection.vendor == "postgresql":
        assert len(captured.captured_queries) <= 8  # a handful: 2 INSERTs of 1,000 rows
    # Immediate e-mails are queued in tasks of 100 people (1,999: one person chose weekly); none for digests.
    assert enqueue.call_count == (0 if kind == DAILY_KIND else 20)
    for call in enqueue.call_args_list:
        assert len(call.kwargs["args"][0]) <= services.IMMEDIATE_TASK_BATCH


def test_notify_query_count_does_not_grow_with_the_audience_beyond_inserts(make_people, django_assert_max_num_queries):
    small, large = make_people(20, prefix="small"), make_people(400, prefix="large")
    ContentType.objects.clear_cache()
    # An upper bound only: the INSERTs grow with the audience (one per batch); the other queries
    # are compared exactly below.
    with django_assert_max_num_queries(100) as first:
        _notify(recipients=small)
    with django_assert_max_num_queries(100) as second:
        _notify(recipients=large)

    def non_inserts(captured):
        return [q["sql"] for q in captured.captured_queries if not q["sql"].startswith("INSERT")]

    assert len(non_inserts(second)) == len(non_inserts(first))


def test_notify_enqueues_immediate_emails_after_commit_only(teacher, django_capture_on_commit_callbacks):
    EmailSettings.objects.create(user=teacher, quiet_hours=False)
    with mock.patch("notifications.tasks.send_immediate.apply_async") as enqueue:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            _notify(kind=IMMEDIATE_KIND, recipients=[teacher])
        assert enqueue.call_count == 0
        for callback in callbacks:
            callback()
    assert enqueue.call_count == 1
    assert enqueue.call_args.kwargs["args"] == [[teacher.pk]]


def test_mark_read_marks_only_the_persons_own_notification(teacher, director):
    mine = NotificationFactory(recipient=teacher, email_frequency=Frequency.DAILY, email_state=EmailState.PENDING)
    theirs = NotificationFactory(recipient=director)

    notification_mark_read(user=teacher, notification=mine)
    with pytest.raises(PermissionDenied):
        notification_mark_read(user=teacher, notification=theirs)

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None
    assert mine.email_state == EmailState.NONE  # read on the site: no e-mail any more
    assert theirs.read_at is None


def test_mark_read_keeps_the_first_reading_time(teacher):
    notification = NotificationFactory(recipient=teacher)
    notification_mark_read(user=teacher, notification=notification)
    first = Notification.objects.get().read_at

    notification_mark_read(user=teacher, notification=Notification.objects.get())

    assert Notification.objects.get().read_at == first


def test_mark_all_read_counts_and_touches_only_the_person(teacher, director):
    NotificationFactory.create_batch(3, recipient=teacher)
    NotificationFactory(recipient=teacher, read_at="2026-01-05T10:00:00+01:00")
    NotificationFactory(recipient=director)

    assert notifications_mark_all_read(user=teacher) == 3
    assert notifications_mark_all_read(user=teacher) == 0
    assert Notification.objects.filter(recipient=director, read_at__isnull=True).count() == 1


def test_mark_read_for_a_target(teacher, school):
    _notify(recipients=[teacher], target=school)
    _notify(recipients=[teacher], target=None)

    assert notifications_mark_read_for(user=teacher, target=school) == 1
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_preferences_save_replans_the_waiting_emails(teacher):
    _notify(kind=DAILY_KIND, recipients=[teacher])
    _notify(kind=WEEKLY_KIND, recipients=[teacher])

    preferences_save(
        user=teacher,
        frequencies={DAILY_KIND: Frequency.NEVER, WEEKLY_KIND: Frequency.DAILY, IMMEDIATE_KIND: Frequency.IMMEDIATE},
        quiet_hours=False,
    )

    daily = Notification.objects.get(kind=DAILY_KIND)
    weekly = Notification.objects.get(kind=WEEKLY_KIND)
    assert (daily.email_state, daily.email_frequency) == (EmailState.NONE, Frequency.NEVER)
    assert (weekly.email_state, weekly.email_frequency) == (EmailState.PENDING, Frequency.DAILY)
    assert dict(KindPreference.objects.filter(user=teacher).values_list("kind", "frequency")) == {
        DAILY_KIND: Frequency.NEVER,
        WEEKLY_KIND: Frequency.DAILY,
        IMMEDIATE_KIND: Frequency.IMMEDIATE,
    }
    assert EmailSettings.objects.get(user=teacher).quiet_hours is False


def test_preferences_save_refuses_unknown_values_and_changes_nothing(teacher):
    with pytest.raises(ValueError):
        preferences_save(user=teacher, frequencies={DAILY_KIND: "hourly"}, quiet_hours=True)
    with pytest.raises(LookupError):
        preferences_save(user=teacher, frequencies={"tests.unknown": Frequency.DAILY}, quiet_hours=True)
    assert not KindPreference.objects.exists()
    assert not EmailSettings.objects.exists()


def test_unsubscribe_stops_every_email_now_and_later(teacher):
    KindPreference.objects.create(user=teacher, kind=DAILY_KIND, frequency=Frequency.IMMEDIATE)
    _notify(kind=DAILY_KIND, recipients=[teacher])

    notifications_unsubscribe(user=teacher)
    notifications_unsubscribe(user=teacher)  # twice: same result
    _notify(kind=WEEKLY_KIND, recipients=[teacher])

    assert set(Notification.objects.values_list("email_state", "email_frequency")) == {
        (EmailState.NONE, Frequency.NEVER)
    }
    assert KindPreference.objects.get(user=teacher).frequency == Frequency.NEVER
