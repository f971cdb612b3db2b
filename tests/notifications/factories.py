import factory
from django.utils import timezone

from notifications.kinds import Frequency
from notifications.models import EmailState, Notification
from tests.factories import UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    """A notification row as notify() would write it (no e-mail to send by default)."""

    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = "tests.news"
    text = factory.Sequence(lambda n: f"Notification n°{n}")
    url = "/ecoles/"
    created_at = factory.LazyFunction(timezone.now)
    email_frequency = Frequency.NEVER
    email_state = EmailState.NONE

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from ent.header import unread_changed

        notification = super()._create(model_class, *args, **kwargs)
        unread_changed([notification.recipient_id])  # as notify() does: the bell counts again
        return notification
