import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

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
