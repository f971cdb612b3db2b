"""Who may see and act on notifications: a notification belongs to its recipient only.

Every signed-in person, whatever their role, has their own notifications and e-mail preferences;
nobody (not even the district team) reads someone else's. Administrators use the Django admin.
"""

from django.db.models import Q


def notifications_visible_to(user) -> Q:
    if user is None or not user.is_authenticated:
        return Q(pk__in=[])
    return Q(recipient_id=user.pk)


def can_view_notification(user, notification) -> bool:
    return user is not None and user.is_authenticated and notification.recipient_id == user.pk


def can_manage_email_preferences(user) -> bool:
    return user is not None and user.is_authenticated and user.is_active
