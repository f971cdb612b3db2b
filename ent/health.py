"""What ``/sante/`` checks: the database, the cache, the broker and the media storage.

Each check returns nothing or raises; the view answers JSON with one word per part (``ok`` or
``indisponible``, ``non utilisé`` where the embedded default has none) and 503 when one is down.
Nothing personal, no error text (a host name, a password in a URL) leaves the server: the reason
is logged.
"""

import logging

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

logger = logging.getLogger(__name__)

OK, DOWN, UNUSED = "ok", "indisponible", "non utilisé"
PROBE_NAME = "sante/sonde.txt"


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return OK


def check_cache() -> str:
    if hasattr(cache, "check"):  # ent.cache.TolerantRedisCache: asks Redis itself
        cache.check()
        return OK
    return UNUSED  # a per-process cache (development) cannot be down


def check_broker() -> str:
    from ent.celery import app

    if app.conf.task_always_eager:
        return UNUSED
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=0, timeout=2)
    return OK


def check_storage() -> str:
    # Writing, then reading back, is the only proof on every storage (a bucket that exists may
    # still refuse writes). The name is fixed: one small object, overwritten.
    if default_storage.exists(PROBE_NAME):
        default_storage.delete(PROBE_NAME)
    saved = default_storage.save(PROBE_NAME, ContentFile(b"ok"))
    with default_storage.open(saved, "rb") as handle:
        if handle.read() != b"ok":
            raise OSError("The storage gave back other bytes than those written.")
    default_storage.delete(saved)
    return OK


CHECKS = {
    "base_de_donnees": check_database,
    "cache": check_cache,
    "file_de_taches": check_broker,
    "stockage": check_storage,
}


def run_checks() -> dict[str, str]:
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception:  # any failure is this part being down; the reason goes to the log
            logger.warning("Health check %s failed", name, exc_info=True)
            results[name] = DOWN
    return results


def is_healthy(results: dict[str, str]) -> bool:
    return DOWN not in results.values()
