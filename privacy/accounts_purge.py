"""Ended accounts (arrêté du 30 novembre 2006): closed at once, personal data purged 3 months later.

An account whose memberships have all ended (none current, none starting later) is **closed**:
deactivated, its sessions ended, an :class:`~privacy.models.AccountClosure` recorded with the last
structure's name. :data:`~privacy.retention.ACCOUNT_PURGE_MONTHS` months after the last end date its
personal data are **purged**: name and e-mail replaced (« Ancien membre / de l'école X »), password
unusable, second factors, e-mail addresses, private-link keys and sessions deleted. Its contributions
stay, credited to that name — unless the person objected when the account was closed
(:func:`closure_set_objection`): then the account is deleted, and with it what it wrote.

Both steps are idempotent (a closure is made once per account; a purge sets ``purged_at``), logged
and recorded in the audit trail. Staff accounts are never closed automatically.
"""

import datetime as dt
import logging
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from accounts.models import Membership, User
from audit.services import record

from .models import AccountClosure, PrivacyAction
from .retention import ACCOUNT_PURGE_MONTHS

logger = logging.getLogger(__name__)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it has fewer days)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=d)
        except ValueError:
            continue
    raise AssertionError


def _end_sessions(user_ids: set[int]) -> int:
    """Delete the sessions of these people (the database sessions hold the user id, encoded)."""
    if not user_ids:
        return 0
    wanted = {str(pk) for pk in user_ids}
    doomed = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") in wanted
    ]
    # Through the session engine, so that the cache's copy goes too (``cached_db``).
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for key in doomed:
        store(session_key=key).delete()
    return len(doomed)


def ended_users(today: dt.date):
    """Active, non-staff people with at least one membership and none still held or to come."""
    open_memberships = Membership.objects.filter(user=OuterRef("pk")).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=today)
    )
    return (
        User.objects.filter(is_active=True, is_staff=False, memberships__isnull=False)
        .exclude(Exists(open_memberships))
        .exclude(Exists(AccountClosure.objects.filter(user=OuterRef("pk"), purged_at__isnull=True)))
        .distinct()
    )


def close_ended(*, today: dt.date | None = None, actor=None, users=None) -> list[AccountClosure]:
    """Close every account whose last membership ended (or only among ``users``). Idempotent."""
    today = today or timezone.localdate()
    candidates = ended_users(today)
    if users is not None:
        candidates = candidates.filter(pk__in=[u.pk for u in users])
    closures = []
    for user in candidates:
        with transaction.atomic():
            user = User.objects.select_for_update().get(pk=user.pk)
            last = user.memberships.select_related("structure").order_by("-end_date", "-pk").first()
            ended_on = user.memberships.aggregate(last=Max("end_date"))["last"]
            AccountClosure.objects.filter(user=user).delete()  # reopened then closed again: the new dates win
            closure = AccountClosure.objects.create(
                user=user,
                school_name=str(last.structure),
                ended_on=ended_on,
                purge_on=add_months(ended_on, ACCOUNT_PURGE_MONTHS),
            )
            user.is_active = False
            user.save(update_fields=["is_active"])
            record(actor=actor, target=user, action=PrivacyAction.ACCOUNT_CLOSED)
            _end_sessions({user.pk})
            closures.append(closure)
    if closures:
        logger.info("Accounts closed (no membership left): %s", [c.user_id for c in closures])
    return closures


def closure_set_objection(*, actor: User, closure: AccountClosure, objected: bool) -> AccountClosure:
    """Record the person's choice, told to the administrator when the account was closed: object to
    their contributions being kept after the purge (they are then deleted with the account)."""
    with transaction.atomic():
        closure = AccountClosure.objects.select_for_update().get(pk=closure.pk)
        if closure.purged_at is not None:
            raise ValueError("The account was already purged.")
        if closure.objected != objected:
            closure.objected = objected
            closure.save(update_fields=["objected"])
            record(
                actor=actor,
                target=closure,
                action=PrivacyAction.ACCOUNT_OBJECTION,
                changes=[{"field": "objected", "label": "Opposition", "before": not objected, "after": objected}],
            )
    return closure


def _anonymise(user: User, closure: AccountClosure) -> None:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from accounts.models import PrivateLinkKey

    user.first_name = "Ancien membre"
    user.last_name = f"de l’école {closure.school_name}"
    user.email = f"ancien-membre-{user.pk}@invalid.invalid"
    user.is_active = False
    user.set_unusable_password()
    user.save()
    Authenticator.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    for model in apps.get_models():
        if issubclass(model, PrivateLinkKey):
            model.objects.filter(user=user).delete()


def purge_due(*, today: dt.date | None = None) -> dict:
    """Purge the closed accounts whose date has come. Idempotent: a purged closure is skipped."""
    today = today or timezone.localdate()
    counts = {"anonymised": 0, "deleted": 0}
    due = AccountClosure.objects.filter(purged_at__isnull=True, purge_on__lte=today, user__isnull=False)
    for closure_id in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            closure = AccountClosure.objects.select_for_update(of=("self",)).select_related("user").get(pk=closure_id)
            if closure.purged_at is not None or closure.user is None:
                continue
            user = closure.user
            if user.memberships.filter(Q(end_date__isnull=True) | Q(end_date__gt=today)).exists():
                closure.delete()  # came back meanwhile: nothing to purge
                continue
            _end_sessions({user.pk})
            record(actor=None, target=closure, action=PrivacyAction.ACCOUNT_PURGED)
            if closure.objected:
                user.delete()
                counts["deleted"] += 1
            else:
                _anonymise(user, closure)
                counts["anonymised"] += 1
            AccountClosure.objects.filter(pk=closure.pk).update(purged_at=timezone.now())
    logger.info("Ended accounts purged: %s", counts)
    return counts


def run(*, now: dt.datetime | None = None) -> dict:
    today = timezone.localdate(now) if now else timezone.localdate()
    closed = close_ended(today=today)
    return {"closed": len(closed), **purge_due(today=today)}


def on_membership_ended(users):
    """Memberships ended (``accounts.services.memberships_save``, after commit): close at once the
    accounts whose last one it was. A membership ending later is closed by the nightly task on that day."""
    close_ended(users=users)
