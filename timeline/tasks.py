"""Scheduled work of the frise (Celery beat, see CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.utils import timezone

from . import services


class RemindersIncomplete(Exception):
    """Some reminders could not be written (database unavailable): retried later."""


@shared_task(
    name="timeline.send_deadline_reminders",
    autoretry_for=(RemindersIncomplete,),
    retry_backoff=300,
    max_retries=3,
)
def send_deadline_reminders() -> int:
    """Daily: remind each deadline's audience 7 days and 1 day before. Safe to run twice."""
    result = services.deadline_reminders_send(today=timezone.localdate())
    if result.failed:
        raise RemindersIncomplete(f"{result.failed} échéance(s) sans rappel")
    return result.sent
