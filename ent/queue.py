"""The one way to queue a Celery task: after the commit, and never failing the request.

A service calls ``enqueue_on_commit(task, *args)`` (``enqueue_each_on_commit`` for many calls of
one task); the task is published once the transaction commits, so a rolled-back write queues
nothing. If the broker cannot be reached, the error is logged with the task's name and arguments
and the person's request answers normally: every kind of queued work keeps its state on its own
row ("pending", "not sent"), and a periodic sweep of its app queues it again (``requeue``).

Without ``REDIS_URL`` (development, tests) Celery is eager: the task runs inline at the commit,
exactly as a direct call would, its own exceptions included.
"""

import logging
import reprlib
from collections.abc import Iterable, Sequence
from contextlib import suppress
from functools import partial

from django.core.cache import cache
from django.db import transaction
from kombu.exceptions import KombuError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# What publishing a task raises when Redis is down or unreachable (kombu wraps most of them).
BROKER_ERRORS = (KombuError, RedisError, OSError)
# Publishing retries briefly, then gives up: a request waits about a second, not minutes.
RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.5, "interval_max": 1}

_short = reprlib.Repr()
_short.maxlist = _short.maxtuple = 10


def enqueue(task, *args, queue: str | None = None, countdown: float | None = None, **kwargs) -> bool:
    """Publish ``task(*args, **kwargs)`` now. False (and logged) when the broker cannot be reached."""
    return enqueue_each(task, [args], queue=queue, countdown=countdown, kwargs=kwargs) == 1


def enqueue_each(
    task,
    calls: Iterable[Sequence],
    *,
    queue: str | None = None,
    countdown: float | None = None,
    kwargs: dict | None = None,
) -> int:
    """Publish ``task`` once per item of ``calls`` (each the task's positional arguments), now.

    Stops at the first broker error, which is logged with the calls not queued: the broker is down,
    trying the others would only make the person wait. Returns how many were published.
    """
    calls = [list(args) for args in calls]
    options: dict = {"retry": True, "retry_policy": RETRY_POLICY}
    if queue is not None:
        options["queue"] = queue
    if countdown is not None:
        options["countdown"] = countdown
    for published, args in enumerate(calls):
        try:
            task.apply_async(args=args, kwargs=kwargs or None, **options)
        except BROKER_ERRORS:
            logger.warning(
                "Could not queue %s for %s (broker unreachable?): %s task(s) not queued; their rows stay "
                "pending and the sweep will deliver them.",
                task.name,
                _short.repr(calls[published:]),
                len(calls) - published,
                exc_info=True,
            )
            return published
    return len(calls)


def enqueue_on_commit(task, *args, queue: str | None = None, countdown: float | None = None, **kwargs) -> None:
    """Publish ``task(*args, **kwargs)`` once the current transaction commits (see :func:`enqueue`)."""
    _on_commit(task, partial(enqueue, task, *args, queue=queue, countdown=countdown, **kwargs))


def enqueue_each_on_commit(
    task, calls: Iterable[Sequence], *, queue: str | None = None, countdown: float | None = None
) -> None:
    """Publish ``task`` once per item of ``calls`` once the current transaction commits."""
    calls = [list(args) for args in calls]
    if calls:
        _on_commit(task, partial(enqueue_each, task, calls, queue=queue, countdown=countdown))


def _on_commit(task, callback) -> None:
    # Broker errors never leave enqueue(); robust=True also keeps any other publishing error (a bug)
    # from failing a request whose data is committed. Eager tasks run inline and raise as a call would.
    transaction.on_commit(callback, robust=not task.app.conf.task_always_eager)


def requeue(task, ids: Iterable[int], *, every: float) -> int:
    """For a sweep: queue ``task(id)`` again for each row found stuck, at most once per ``every`` seconds.

    A marker in the cache (Redis, shared by every host, in production) makes two sweeps running at
    once, or a sweep run while the workers still catch up on a backlog, queue a row once per period;
    the task itself stays idempotent, so a second copy costs one quick no-op at worst. Stops at the
    first broker error (logged; the next run tries again). Returns how many were queued.
    """
    queued = 0
    for pk in ids:
        key = f"ent.queue.requeued:{task.name}:{pk}"
        try:
            if not cache.add(key, 1, timeout=every):
                continue
        except BROKER_ERRORS:  # the cache shares Redis with the broker: try to queue all the same
            key = None
        if not enqueue(task, pk):
            if key is not None:
                with suppress(*BROKER_ERRORS):
                    cache.delete(key)  # not queued: the next run may try again at once
            break
        queued += 1
    return queued
