"""How long the ENT keeps what it keeps: every retention rule in one place.

Each rule is a :class:`Rule` (what, how long, why, which beat task applies it). The « Données
personnelles » page reads its table from :data:`RULES`, so the page and the code cannot drift. A rule
this module applies has a ``purge`` function (idempotent: a second run deletes nothing more, and
logs what it did); a rule another app applies (the messaging's) is only pointed at, never copied.
"""

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

BATCH = 500

NOTIFICATION_DAYS = 365
EXPORT_DAYS = 7
# A person's data is purged this long after their last membership ended (arrêté du 30 novembre 2006).
ACCOUNT_PURGE_MONTHS = 3


def _delete_in_batches(queryset) -> int:
    deleted = 0
    while ids := list(queryset.values_list("pk", flat=True)[:BATCH]):
        with transaction.atomic():
            deleted += queryset.model.objects.filter(pk__in=ids).delete()[0]
    return deleted


def purge_notifications(*, now: dt.datetime | None = None) -> int:
    """Notifications (and their digests) older than :data:`NOTIFICATION_DAYS`, read or not."""
    from ent.header import unread_changed
    from notifications.models import Digest, Notification

    limit = (now or timezone.now()) - dt.timedelta(days=NOTIFICATION_DAYS)
    old = Notification.objects.filter(created_at__lt=limit)
    # Everyone whose list held some: their bell counted the unread ones, their « Notifications »
    # page (kept, ent.fragments) listed them all.
    unread_of = set(old.values_list("recipient_id", flat=True).distinct())
    count = _delete_in_batches(old)
    unread_changed(unread_of)
    count += _delete_in_batches(Digest.objects.filter(created_at__lt=limit))
    logger.info("Retention: %d notifications and digests older than %d days deleted", count, NOTIFICATION_DAYS)
    return count


def purge_sessions(*, now: dt.datetime | None = None) -> int:
    """Sign-in records: the sessions (who is signed in, from when) past their expiry date
    (``SESSION_COOKIE_AGE``). Django keeps them until someone runs ``clearsessions``; this rule does."""
    from django.contrib.sessions.models import Session

    count = _delete_in_batches(Session.objects.filter(expire_date__lt=now or timezone.now()))
    logger.info("Retention: %d expired sessions deleted", count)
    return count


def purge_exports(*, now: dt.datetime | None = None) -> int:
    """« Mes données » exports (the zip file and its row) older than :data:`EXPORT_DAYS`."""
    from .models import DataExport

    limit = (now or timezone.now()) - dt.timedelta(days=EXPORT_DAYS)
    count = 0
    for export in DataExport.objects.filter(created_at__lt=limit).iterator():
        with transaction.atomic():
            if export.file:
                export.file.delete(save=False)
            export.delete()
            count += 1
    logger.info("Retention: %d data exports older than %d days deleted", count, EXPORT_DAYS)
    return count


def purge_ended_accounts(*, now: dt.datetime | None = None) -> dict:
    """Close the accounts whose last membership ended, purge those closed 3 months ago."""
    from . import accounts_purge

    return accounts_purge.run(now=now)


@dataclass(frozen=True)
class Rule:
    key: str
    data: str  # what is kept, in French, for the « Données personnelles » page
    duration: Callable[[], str]  # how long, in French (a callable: settings may change in tests)
    task: str  # the beat task that applies it
    purge: Callable | None = None  # None: another app applies it (``task``)


def _days(days: int) -> str:
    if days % 365 == 0:
        years = days // 365
        return f"{years} an{'s' if years > 1 else ''}"
    return f"{days} jour{'s' if days > 1 else ''}"


RULES: list[Rule] = [
    Rule(
        "notifications",
        "Les notifications reçues dans l’ENT et les résumés par e-mail",
        lambda: f"{_days(NOTIFICATION_DAYS)} après leur envoi, lues ou non",
        "privacy.purge_notifications",
        purge_notifications,
    ),
    Rule(
        "mail",
        "Les messages reçus (boîte de réception, boîte partagée) et la corbeille",
        lambda: (
            f"{_days(settings.ENT_MAIL_RETENTION_DAYS)} après leur réception s’ils ne sont pas classés ; "
            f"{_days(settings.ENT_MAIL_TRASH_DAYS)} dans la corbeille"
        ),
        "mail.purge",
    ),
    Rule(
        "exports",
        "Les archives « Mes données » que vous demandez",
        lambda: f"{_days(EXPORT_DAYS)} après leur préparation (téléchargeables une fois)",
        "privacy.purge_exports",
        purge_exports,
    ),
    Rule(
        "sessions",
        "Les traces de connexion (sessions ouvertes)",
        lambda: f"jusqu’à leur expiration, {_days(settings.SESSION_COOKIE_AGE // 86400)} au plus",
        "privacy.purge_sessions",
        purge_sessions,
    ),
    Rule(
        "accounts",
        "Les données d’identification d’une personne qui a quitté la circonscription "
        "(nom, prénom, adresse e-mail, second facteur, sessions)",
        lambda: f"{ACCOUNT_PURGE_MONTHS} mois après la fin de son dernier rattachement (arrêté du 30 novembre 2006)",
        "privacy.purge_ended_accounts",
        purge_ended_accounts,
    ),
]


def rule(key: str) -> Rule:
    return next(r for r in RULES if r.key == key)
