"""What the messaging adds to the adoption dashboard (accounts.adoption): messages to the district."""

from django.db.models import Exists, OuterRef

from accounts.adoption import COUNT, Measure, count_by_school

from .models import Delivery, Message, MessageStatus


def messages_by_school(period) -> dict:
    to_team = Delivery.objects.filter(message=OuterRef("pk"), shared_box__isnull=False)
    messages = Message.objects.filter(status=MessageStatus.SENT, published_at__gte=period.start_datetime).filter(
        Exists(to_team)
    )
    return count_by_school(messages, "sender_id")


MEASURES = [
    Measure(
        key="mail.to_district",
        order=50,
        label="Messages à la circonscription",
        unit=COUNT,
        by_school=messages_by_school,
        description="messages envoyés depuis la rentrée par les membres de l’école à la boîte partagée de l’équipe",
    )
]
