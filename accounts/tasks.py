import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ent.queue import requeue

from .models import Invitation
from .services import invitation_mark_sent
from .tokens import make_invitation_token

logger = logging.getLogger(__name__)


@shared_task(
    name="accounts.send_invitation",
    autoretry_for=(OSError,),
    retry_backoff=30,
    retry_backoff_max=1800,
    max_retries=8,
)
def send_invitation(invitation_id: int) -> None:
    """E-mail one invitation, once: the row lock and ``sent_at`` make a second run a no-op."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().select_related("user").filter(pk=invitation_id).first()
        if invitation is None or invitation.sent_at is not None or not invitation.user.is_active:
            return
        user = invitation.user
        link = settings.ENT_SITE_URL + reverse("accounts:invitation", args=[make_invitation_token(user)])
        context = {
            "user": user,
            "link": link,
            "days": settings.ENT_INVITATION_MAX_AGE // 86400,
            "site_url": settings.ENT_SITE_URL,
        }
        message = EmailMultiAlternatives(
            subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}Votre compte sur l’ENT de circonscription",
            body=render_to_string("accounts/email/invitation.txt", context),
            to=[user.email],
        )
        message.attach_alternative(render_to_string("accounts/email/invitation.html", context), "text/html")
        message.send()
        invitation_mark_sent(invitation=invitation)
        logger.info("Invitation %s sent to user %s", invitation.pk, user.pk)


@shared_task(name="accounts.sweep")
def sweep() -> int:
    """Every 5 minutes: queue again the invitations of active people still unsent past ``ENT_QUEUE_STUCK_AFTER``.

    Their task was never queued (broker down at the activation), its message was lost, or it gave
    up retrying. Each is queued again at most once per delay, for as long as its link would last
    (``ENT_INVITATION_MAX_AGE``): an invitation unsent after that waits for an administrator's
    « Renvoyer l’invitation ». ``send_invitation`` sends once whatever the number of copies.
    """
    now = timezone.now()
    stuck_after = settings.ENT_QUEUE_STUCK_AFTER
    stuck = (
        Invitation.objects.filter(
            sent_at__isnull=True,
            user__is_active=True,
            created_at__lt=now - timedelta(seconds=stuck_after),
            created_at__gte=now - timedelta(seconds=settings.ENT_INVITATION_MAX_AGE),
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    queued = requeue(send_invitation, stuck, every=stuck_after)
    if queued:
        logger.info("Invitation sweep: %s unsent invitation(s) queued again", queued)
    return queued
