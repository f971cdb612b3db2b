"""Writes on people and structures. Each function is one transaction and names who acts."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .models import AccountEvent, Invitation, User
from .roles import forget_viewer


def users_activate_and_invite(*, actor: User, users: Iterable[User]) -> dict:
    """Activate these accounts and send each newly activated person one invitation.

    A person already active who was already invited gets nothing new: clicking twice, or two
    administrators at once, sends one invitation. Returns counts for the admin's message.
    """
    from .tasks import send_invitation

    activated = invited = 0
    with transaction.atomic():
        ids = [u.pk for u in users]
        for user in User.objects.select_for_update().filter(pk__in=ids).order_by("pk"):
            if not user.is_active:
                user.is_active = True
                user.save(update_fields=["is_active"])
                AccountEvent.objects.create(user=user, kind=AccountEvent.Kind.ACTIVATED, actor=actor)
                activated += 1
            if user.has_usable_password() or user.invitations.exists():
                continue
            invitation = Invitation.objects.create(user=user, created_by=actor)
            transaction.on_commit(lambda pk=invitation.pk: send_invitation.delay(pk))
            invited += 1
    return {"activated": activated, "invited": invited}


def user_reinvite(*, actor: User, user: User) -> Invitation | None:
    """Send a fresh invitation (the first one expired or was lost). None if one is still waiting."""
    from .tasks import send_invitation

    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not user.is_active or user.invitations.filter(sent_at__isnull=True).exists():
            return None
        invitation = Invitation.objects.create(user=user, created_by=actor)
        transaction.on_commit(lambda: send_invitation.delay(invitation.pk))
    return invitation


def users_deactivate(*, actor: User, users: Iterable[User]) -> int:
    count = 0
    with transaction.atomic():
        ids = [u.pk for u in users if u.pk != actor.pk]
        for user in User.objects.select_for_update().filter(pk__in=ids, is_active=True).order_by("pk"):
            user.is_active = False
            user.save(update_fields=["is_active"])
            AccountEvent.objects.create(user=user, kind=AccountEvent.Kind.DEACTIVATED, actor=actor)
            forget_viewer(user)
            count += 1
    return count


def invitation_mark_sent(*, invitation: Invitation) -> None:
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["sent_at"])
    AccountEvent.objects.create(user=invitation.user, kind=AccountEvent.Kind.INVITED, actor=invitation.created_by)


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
