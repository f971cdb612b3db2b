"""Development only: publish scheduled rows without Celery beat.

With tasks inline (``make run``, no broker: Celery eager) a countdown is ignored and no beat runs,
so nothing scheduled would ever be published — the messaging's 15-second « Annuler l’envoi »,
« Envoi différé », news and blog posts scheduled for later. Under ``runserver`` (in the reloader's
child process, ``RUN_MAIN``), with ``ENT_INLINE_SCHEDULER`` on and Celery eager, a daemon thread
calls :func:`ent.publication.publish_due` every :data:`INTERVAL` seconds. Never in production
(gunicorn, a worker), where Celery beat runs ``ent.publish_due``.
"""

import logging
import os
import sys
import threading

from django.conf import settings

logger = logging.getLogger(__name__)

INTERVAL = 5
_started = threading.Event()


def should_start(argv=None, environ=None) -> bool:
    argv = sys.argv if argv is None else argv
    environ = os.environ if environ is None else environ
    return (
        getattr(settings, "ENT_INLINE_SCHEDULER", False)
        and getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False)
        and len(argv) > 1
        and argv[1] == "runserver"
        and environ.get("RUN_MAIN") == "true"
    )


def _loop(stop: threading.Event) -> None:
    from django.db import close_old_connections

    from .publication import publish_due

    while not stop.wait(INTERVAL):
        try:
            publish_due()
        except Exception:  # a bad row is logged by publish_due; the database may be migrating
            logger.exception("Inline scheduler: publish_due failed")
        finally:
            close_old_connections()


def start() -> threading.Thread | None:
    """Start the thread once per process (no-op if already started)."""
    if _started.is_set():
        return None
    _started.set()
    thread = threading.Thread(target=_loop, args=(threading.Event(),), name="ent-inline-scheduler", daemon=True)
    thread.start()
    logger.info("Inline scheduler started: scheduled rows are published every %s seconds", INTERVAL)
    return thread
