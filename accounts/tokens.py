"""Invitation links: signed, time-limited, and void once the person has chosen a password."""

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "accounts.invitation"


def _state(user) -> str:
    # Changes as soon as the password is set or the person logs in: the link then stops working.
    login = user.last_login.replace(microsecond=0, tzinfo=None).isoformat() if user.last_login else ""
    return salted_hmac(SALT, f"{user.pk}:{user.password}:{login}:{user.email}").hexdigest()[:20]


def make_invitation_token(user) -> str:
    return signing.dumps({"u": user.pk, "s": _state(user)}, salt=SALT, compress=True)


def user_from_invitation_token(token: str):
    """The person the token invites, or ``None`` if it is forged, expired or already used."""
    from .models import User

    try:
        data = signing.loads(token, salt=SALT, max_age=settings.ENT_INVITATION_MAX_AGE)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=data.get("u"), is_active=True).first()
    if user is None or not constant_time_compare(_state(user), data.get("s", "")):
        return None
    return user
