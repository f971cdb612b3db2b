"""The retention rules of ``privacy.retention``, one beat task each (``CELERY_BEAT_SCHEDULE``)."""

from celery import shared_task

from . import retention


@shared_task(name="privacy.purge_notifications")
def purge_notifications() -> int:
    return retention.purge_notifications()


@shared_task(name="privacy.purge_sessions")
def purge_sessions() -> int:
    return retention.purge_sessions()


@shared_task(name="privacy.purge_exports")
def purge_exports() -> int:
    return retention.purge_exports()


@shared_task(name="privacy.purge_ended_accounts")
def purge_ended_accounts() -> dict:
    return retention.purge_ended_accounts()


@shared_task(name="privacy.build_export")
def build_export(export_id: int) -> None:
    from .export import export_build

    export_build(export_id)
