"""The invitation goes through Redis to a real Celery worker process, which e-mails it."""

import pytest

from accounts.models import Invitation, User
from accounts.services import users_activate_and_invite

pytestmark = pytest.mark.services


def test_a_real_worker_delivers_the_invitation(celery_worker_process, admin_user):
    newcomer = User.objects.create_user("par.le.worker@ac-poitiers.fr", first_name="Wendy", last_name="Worker")

    users_activate_and_invite(actor=admin_user, users=[newcomer])

    invitation = Invitation.objects.get(user=newcomer)
    celery_worker_process.wait_for(
        lambda: Invitation.objects.filter(pk=invitation.pk, sent_at__isnull=False).exists(),
        what="The invitation e-mail",
    )
    mails = celery_worker_process.mails()
    assert len(mails) == 1
    assert "To: par.le.worker@ac-poitiers.fr" in mails[0]
    assert "/invitation/" in mails[0]
