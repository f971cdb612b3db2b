"""Signed one-click unsubscribe links (django.core.signing): they work without signing in.

A link names one person and carries an HMAC made with SECRET_KEY; it does not expire, since an
unsubscribe link in an old e-mail must keep working (RFC 8058). Rotating SECRET_KEY voids them all.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "notifications.unsubscribe"


def make_unsubscribe_token(user) -> str:
    return signing.Signer(salt=SALT).sign(str(user.pk))


def user_id_from_unsubscribe_token(token: str) -> int | None:
    try:
        value = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def unsubscribe_url(user) -> str:
    """The absolute link, for e-mails and the ``List-Unsubscribe`` header."""
    return settings.ENT_SITE_URL + reverse("notifications:unsubscribe", args=[make_unsubscribe_token(user)])
