"""Writes on people and structures. Each function is one transaction and names who acts."""

from collections.abc import Iterable, Sequence
from dataclasses import asdict
from datetime import timedelta
from typing import TypeVar

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from audit.services import record, record_many
from ent import versions
from ent.queue import enqueue_each_on_commit
from ent.text import french_sort_key

from .imports import PersonRow, SchoolRow, person_name_changes, school_changes
from .models import (
    MEMBERSHIPS_VERSION,
    NAMES_VERSION,
    AccountAction,
    District,
    Invitation,
    Membership,
    PrivateLinkKey,
    Structure,
    User,
    new_private_key,
)
from .roles import people_changed


def _ids(users: Iterable[User]) -> list[int]:
    if isinstance(users, QuerySet):
        return list(users.order_by().values_list("pk", flat=True))
    return [user.pk for user in users]


def _send_invitations_on_commit(invitation_ids: list[int]) -> None:
    from .tasks import send_invitation

    enqueue_each_on_commit(send_invitation, [(invitation_id,) for invitation_id in invitation_ids])


def users_activate_and_invite(*, actor: User, users: Iterable[User]) -> dict:
    """Activate these accounts and send one invitation to each person who has no password yet.

    An inactive account is activated (and the activation recorded with ``actor``); if its owner has
    no password, an invitation to choose one is sent. An account already active is only invited if it
    never was. So clicking twice, or two administrators at once, sends one invitation, not two.

    Returns counts for the admin's message: ``activated``, ``invited`` and ``with_password`` (people
    who already chose a password and so need no invitation).
    """
    ids = _ids(users)
    now = timezone.now()
    activated: list[int] = []
    to_invite: list[User] = []
    requeue: list[int] = []
    with_password = 0
    with transaction.atomic():
        people = list(User.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        invited_before = set(Invitation.objects.filter(user_id__in=ids).values_list("user_id", flat=True))
        pending = dict(Invitation.objects.filter(user_id__in=ids, sent_at__isnull=True).values_list("user_id", "pk"))
        for user in people:
            newly_active = not user.is_active
            if newly_active:
                activated.append(user.pk)
            if user.has_usable_password():
                with_password += 1
            elif not newly_active and user.pk in invited_before:
                continue  # already invited, or the invitation is on its way: a double click.
            elif user.pk in pending:
                # Reactivated while an old invitation waits unsent: queue that one, do not add another.
                requeue.append(pending[user.pk])
            else:
                to_invite.append(user)
        record_many(actor=actor, targets=[u for u in people if not u.is_active], action=AccountAction.ACTIVATED)
        User.objects.filter(pk__in=activated).update(is_active=True)
        created = Invitation.objects.bulk_create(
            Invitation(user=user, created_by=actor, created_at=now) for user in to_invite
        )
        invitation_ids = requeue + [invitation.pk for invitation in created]
        _send_invitations_on_commit(invitation_ids)
    return {"activated": len(activated), "invited": len(invitation_ids), "with_password": with_password}


# A second "Renvoyer l'invitation" this soon after the previous one is taken for a double click.
REINVITE_COOLDOWN = timedelta(minutes=10)


def users_reinvite(*, actor: User, users: Iterable[User]) -> dict:
    """Send a fresh invitation to active people who have not chosen a password yet.

    For people whose link expired or whose e-mail was lost. Nothing is sent to an inactive account,
    to someone who already chose a password (they use « Mot de passe oublié »), nor if an invitation
    was sent or queued less than :data:`REINVITE_COOLDOWN` ago, so a double click sends one e-mail.
    An invitation queued longer ago but still unsent (a lost task) is queued again, not duplicated.

    Returns counts: ``invited``, ``inactive``, ``with_password`` and ``recent``.
    """
    ids = _ids(users)
    now = timezone.now()
    counts = {"invited": 0, "inactive": 0, "with_password": 0, "recent": 0}
    to_invite: list[User] = []
    requeue: list[int] = []
    with transaction.atomic():
        people = list(User.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        latest: dict[int, Invitation] = {}
        for invitation in Invitation.objects.filter(user_id__in=ids).order_by("created_at"):
            latest[invitation.user_id] = invitation
        for user in people:
            last = latest.get(user.pk)
            if not user.is_active:
                counts["inactive"] += 1
            elif user.has_usable_password():
                counts["with_password"] += 1
            elif last is not None and last.created_at > now - REINVITE_COOLDOWN:
                counts["recent"] += 1
            elif last is not None and last.sent_at is None:
                requeue.append(last.pk)
            else:
                to_invite.append(user)
        created = Invitation.objects.bulk_create(
            Invitation(user=user, created_by=actor, created_at=now) for user in to_invite
        )
        if requeue:
            # Restart the cooldown so that a double click on a lost invitation queues it once.
            Invitation.objects.filter(pk__in=requeue).update(created_at=now, created_by=actor)
        invitation_ids = requeue + [invitation.pk for invitation in created]
        _send_invitations_on_commit(invitation_ids)
    counts["invited"] = len(invitation_ids)
    return counts


def user_reinvite(*, actor: User, user: User) -> Invitation | None:
    """Send one person a fresh invitation (see :func:`users_reinvite`). None if nothing was sent."""
    if not users_reinvite(actor=actor, users=[user])["invited"]:
        return None
    return Invitation.objects.filter(user=user).order_by("-created_at", "-pk").first()


def users_deactivate(*, actor: User, users: Iterable[User]) -> int:
    """Deactivate these accounts (never the actor's own) and drop their unsent invitations.

    Returns how many accounts were active and are now deactivated.
    """
    ids = [pk for pk in _ids(users) if pk != actor.pk]
    with transaction.atomic():
        people = list(User.objects.select_for_update().filter(pk__in=ids, is_active=True).order_by("pk"))
        deactivated = [user.pk for user in people]
        User.objects.filter(pk__in=deactivated).update(is_active=False)
        record_many(actor=actor, targets=people, action=AccountAction.DEACTIVATED)
        # An invitation waiting to be sent will not be: reactivating the account sends a new one.
        Invitation.objects.filter(user_id__in=deactivated, sent_at__isnull=True).delete()
    return len(deactivated)


def invitation_mark_sent(*, invitation: Invitation) -> None:
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["sent_at"])
    record(actor=invitation.created_by, target=invitation.user, action=AccountAction.INVITED)


def user_update_profile(*, user: User, first_name: str, last_name: str) -> User:
    with transaction.atomic():
        user.first_name = first_name.strip()
        user.last_name = last_name.strip()
        user.save(update_fields=["first_name", "last_name"])
    return user


def user_set_password_from_invitation(*, user: User, password: str) -> User:
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def _log(*, actor: User, objects: list, flag: int, message: str) -> None:
    """Leave the import in each object's admin history (« Historique »): who, when, what."""
    if objects:
        LogEntry.objects.log_actions(user_id=actor.pk, queryset=objects, action_flag=flag, change_message=message)


def schools_import(*, actor: User, rows: Sequence[SchoolRow]) -> dict:
    """Create or update schools from checked rows, in one transaction. Natural key: the UAI.

    Importing the same file again changes nothing; an empty optional cell keeps the current value.
    Returns counts: ``created``, ``updated``, ``unchanged``.
    """
    created: list[Structure] = []
    updated: list[Structure] = []
    unchanged = 0
    with transaction.atomic():
        district = District.objects.order_by("pk").first()
        if district is None:
            raise ValueError("Aucune circonscription n’est enregistrée.")
        existing = {
            school.uai: school
            for school in Structure.objects.select_for_update().filter(uai__in=[row.uai for row in rows])
        }
        for row in rows:
            school = existing.get(row.uai)
            if school is None:
                school = Structure(district=district, kind=Structure.Kind.SCHOOL, code=row.uai.lower(), **asdict(row))
                school.save()
                existing[row.uai] = school
                created.append(school)
                continue
            changes = school_changes(school, row)
            if not changes:
                unchanged += 1
                continue
            for name, value in changes.items():
                setattr(school, name, value)
            school.save(update_fields=list(changes))
            updated.append(school)
        _log(actor=actor, objects=created, flag=ADDITION, message="Créée par un import CSV d’écoles.")
        _log(actor=actor, objects=updated, flag=CHANGE, message="Modifiée par un import CSV d’écoles.")
    return {"created": len(created), "updated": len(updated), "unchanged": unchanged}


def people_import(*, actor: User, rows: Sequence[PersonRow]) -> dict:
    """Create or update people and their memberships from checked rows, in one transaction.

    Natural keys: the lower-cased e-mail for a person, who is created inactive and without a
    password (activating them sends the invitation); a membership is created only if the same one
    (person, structure, role) is not already running. Importing the same file again changes nothing.
    Returns counts: ``created``, ``updated``, ``unchanged`` (people) and ``memberships``.
    """
    today = timezone.localdate()
    with transaction.atomic():
        users = {u.email: u for u in User.objects.select_for_update().filter(email__in={r.email for r in rows})}
        new_users: list[User] = []
        renamed: list[User] = []
        for row in rows:
            user = users.get(row.email)
            if user is None:
                user = User(email=row.email, first_name=row.first_name, last_name=row.last_name, is_active=False)
                user.set_unusable_password()
                users[row.email] = user
                new_users.append(user)
            elif user.pk and user not in renamed and (changes := person_name_changes(user, row)):
                for name, value in changes.items():
                    setattr(user, name, value)
                renamed.append(user)
        for user in (*new_users, *renamed):  # bulk writes skip save(), which keeps sort_name
            user.sort_name = french_sort_key(user.last_name, user.first_name)
        User.objects.bulk_create(new_users)
        User.objects.bulk_update(renamed, ["first_name", "last_name", "sort_name"])

        running = {
            (m.user_id, m.structure_id, m.role): m
            for m in Membership.objects.select_for_update().running(today).filter(user__in=list(users.values()))
        }
        new_memberships: list[Membership] = []
        respecified: list[Membership] = []
        for row in rows:
            user = users[row.email]
            key = (user.pk, row.structure_id, row.role)
            membership = running.get(key)
            if membership is None:
                membership = Membership(
                    user=user, structure_id=row.structure_id, role=row.role, speciality=row.speciality, start_date=today
                )
                running[key] = membership
                new_memberships.append(membership)
            elif row.speciality and membership.speciality != row.speciality:
                membership.speciality = row.speciality
                respecified.append(membership)
        Membership.objects.bulk_create(new_memberships)
        Membership.objects.bulk_update([m for m in respecified if m.pk], ["speciality"])
        people_changed(m.user_id for m in new_memberships + respecified)  # bulk writes send no signal
        if new_memberships:
            versions.bump(MEMBERSHIPS_VERSION)  # the directory's member counts
        if renamed:
            versions.bump(NAMES_VERSION)  # other people's names shown on kept pages

        created_ids = {u.pk for u in new_users}
        touched_ids = {u.pk for u in renamed} | {m.user_id for m in new_memberships + respecified}
        updated = [u for u in users.values() if u.pk in touched_ids and u.pk not in created_ids]
        _log(actor=actor, objects=new_users, flag=ADDITION, message="Créée par un import CSV de personnes.")
        _log(actor=actor, objects=updated, flag=CHANGE, message="Modifiée par un import CSV de personnes.")
    return {
        "created": len(new_users),
        "updated": len(updated),
        "unchanged": len(users) - len(new_users) - len(updated),
        "memberships": len(new_memberships),
    }


# --- Private-link keys ------------------------------------------------------------------------------

K = TypeVar("K", bound=PrivateLinkKey)


def private_key_ensure(*, model: type[K], user: User) -> K:
    """This person's private-link key of ``model``, created on first use."""
    key, _ = model.objects.get_or_create(user=user)
    return key


def private_key_renew(*, model: type[K], user: User) -> K:
    """Create this person's key of ``model``, or replace it: every link made with the old one stops working."""
    with transaction.atomic():
        key, created = model.objects.select_for_update().get_or_create(user=user)
        if not created:
            key.key = new_private_key()
            key.created_at = timezone.now()
            key.save(update_fields=["key", "created_at"])
    return key


def user_record_visit(*, user, day) -> None:
    """This person used the site on ``day``: ``last_seen`` and, the first time in a month, that month.

    Called by ``LastSeenMiddleware`` at most once per person and day; safe to call again (the month
    row is unique, the update a no-op)."""
    from .models import ActiveMonth

    previous = user.last_seen
    User.objects.filter(pk=user.pk).update(last_seen=day)
    user.last_seen = day
    if previous is None or (previous.year, previous.month) != (day.year, day.month):
        ActiveMonth.objects.get_or_create(user_id=user.pk, month=day.replace(day=1))


# --- Memberships ------------------------------------------------------------------------------

# Apps told of the people whose membership has ended, once the change is committed (e.g. privacy
# closes an account whose last membership ended). Registered in their AppConfig.ready().
_membership_end_listeners: list = []


def on_membership_ended(listener) -> None:
    """Register ``listener(users)``, called after commit with the people whose membership has ended
    (an end date today or earlier) or was deleted by ``memberships_save``."""
    if listener not in _membership_end_listeners:
        _membership_end_listeners.append(listener)


def memberships_save(
    *, actor: User, memberships: Iterable[Membership] = (), deleted: Iterable[Membership] = ()
) -> None:
    """Save these memberships and delete those, in one transaction (the admin's inlines and list).

    A membership that ends today or earlier, or is deleted, may have been the person's last one:
    the listeners of ``on_membership_ended`` are told after commit. An end date in the future is
    acted upon by their own nightly tasks on that day."""
    today = timezone.localdate()
    memberships, deleted = list(memberships), list(deleted)
    with transaction.atomic():
        for membership in memberships:
            membership.save()
        for membership in deleted:
            membership.delete()
        ended = {m.user_id: m.user for m in memberships if m.end_date is not None and m.end_date <= today} | {
            m.user_id: m.user for m in deleted
        }
        if ended:
            users = list(ended.values())
            for listener in _membership_end_listeners:
                transaction.on_commit(lambda listener=listener: listener(users))
