"""ent.queue: the one way to queue a task, after commit, logging a broker error instead of raising."""

import logging
import time
from unittest import mock

import pytest
from celery import shared_task
from django.core.cache import cache
from django.db import transaction
from kombu.exceptions import OperationalError

from ent import queue


@shared_task(name="tests.record")
def record(*args, **kwargs):
    record.calls.append((args, kwargs))


record.calls = []


OPTIONS = {"retry": True, "retry_policy": queue.RETRY_POLICY}


@pytest.fixture(autouse=True)
def _no_calls():
    record.calls.clear()


@pytest.fixture
def published():
    """Publishing succeeds but runs nothing: the calls of apply_async, as (args, kwargs, options)."""
    calls = []
    with mock.patch.object(
        record, "apply_async", side_effect=lambda args, kwargs, **o: calls.append((args, kwargs, o))
    ):
        yield calls


def test_enqueue_on_commit_publishes_after_the_commit_only(db, published, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            queue.enqueue_on_commit(record, 7, "a", queue="media", countdown=5, flag=True)
        assert published == []

    for callback in callbacks:
        callback()
    assert published == [([7, "a"], {"flag": True}, {**OPTIONS, "queue": "media", "countdown": 5})]


def test_a_rolled_back_transaction_queues_nothing(db, published, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue.enqueue_on_commit(record, 7)
        raise RuntimeError
    assert callbacks == [] and published == []


def test_inline_mode_runs_the_task_at_the_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queue.enqueue_on_commit(record, 1, 2, name="x")
        assert record.calls == []
    assert record.calls == [((1, 2), {"name": "x"})]


def test_a_broker_error_is_logged_with_the_task_and_its_arguments_never_raised(
    db, broker_down, caplog, django_capture_on_commit_callbacks
):
    with broker_down() as publish, django_capture_on_commit_callbacks(execute=True):
        queue.enqueue_each_on_commit(record, [(1,), (2,), (3,)])

    assert publish.call_count == 1  # the broker is down: the other two are not tried
    assert record.calls == []
    [warning] = [r for r in caplog.records if r.name == "ent.queue"]
    assert warning.levelno == logging.WARNING
    assert warning.getMessage() == (
        "Could not queue tests.record for [[1], [2], [3]] (broker unreachable?): 3 task(s) not queued; "
        "their rows stay pending and the sweep will deliver them."
    )
    assert "Connection refused" in caplog.text  # with the broker's error


def test_enqueue_each_counts_what_was_published_before_the_broker_went_away(db, caplog):
    outcomes = [None, OSError("Connection reset by peer")]
    with mock.patch.object(record, "apply_async", side_effect=outcomes) as publish:
        assert queue.enqueue_each(record, [(1,), (2,), (3,)]) == 1
    assert [call.kwargs["args"] for call in publish.call_args_list] == [[1], [2]]
    assert "for [[2], [3]]" in caplog.text and "2 task(s) not queued" in caplog.text


def test_requeue_queues_a_row_once_per_period_even_from_two_sweeps(db, published):
    assert queue.requeue(record, [1, 2], every=900) == 2
    assert queue.requeue(record, [1, 2, 3], every=900) == 1  # a second sweep, at once: only the new row

    assert [args for args, _, _ in published] == [[1], [2], [3]]
    cache.delete("ent.queue.requeued:tests.record:1")  # the period is over for row 1
    assert queue.requeue(record, [1, 2, 3], every=900) == 1
    assert [args for args, _, _ in published][-1] == [1]


def test_requeue_stops_at_a_broker_error_and_lets_the_next_run_try_again(db):
    refusal = OperationalError("Connection refused")
    with mock.patch.object(record, "apply_async", side_effect=[refusal, None, None]) as publish:
        assert queue.requeue(record, [1, 2], every=900) == 0  # row 2 is not tried while the broker is down
        assert queue.requeue(record, [1, 2], every=900) == 2  # nothing marks row 1 as queued
    assert [call.kwargs["args"] for call in publish.call_args_list] == [[1], [1], [2]]


def test_an_unreachable_broker_is_reported_quickly_not_raised(db, real_broker, caplog):
    real_broker("redis://127.0.0.1:1/0")  # nothing listens on port 1: the real error, not a mock

    started = time.monotonic()
    assert queue.enqueue(record, 42) is False
    assert time.monotonic() - started < 10

    assert record.calls == []
    assert "Could not queue tests.record for [[42]] (broker unreachable?)" in caplog.text
