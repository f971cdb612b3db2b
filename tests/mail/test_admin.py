"""The messaging's admin: metadata only (no subject, text, recipients nor attachments), and the
reports of abuse acted on through the mailbox services (« Classer sans suite », « Rappeler le message »)."""

import pytest
from django.urls import reverse

from audit.models import Event
from mail.models import AbuseReport, Message
from tests.factories import send_mail_to

pytestmark = pytest.mark.django_db

SUBJECT = "Objet-tres-prive"
BODY = "Texte-tres-prive"


@pytest.fixture
def message(inspector, director):
    return send_mail_to(inspector, [director], subject=SUBJECT, body=f"<p>{BODY}</p>")


@pytest.fixture
def report(message, director):
    return AbuseReport.objects.create(message=message, reporter=director, reason="Propos déplacés")


def _pages(message, report):
    return [
        reverse("admin:mail_message_changelist"),
        reverse("admin:mail_message_change", args=[message.pk]),
        reverse("admin:mail_message_history", args=[message.pk]),
        reverse("admin:mail_abusereport_changelist"),
        reverse("admin:mail_abusereport_change", args=[report.pk]),
    ]


def test_the_admin_shows_metadata_only(client_as, admin_user, message, report):
    client = client_as(admin_user)
    for url in _pages(message, report):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert SUBJECT not in html and BODY not in html, url
        if "message" in url:  # who received it is not shown (the reporter is, on their report)
            assert "Delphine" not in html, url
    html = client.get(reverse("admin:mail_message_changelist")).content.decode()
    assert f"Message n° {message.pk}" in html and "Annie Inspectrice" in html
    assert "Propos déplacés" in client.get(reverse("admin:mail_abusereport_changelist")).content.decode()


def test_no_message_is_added_changed_or_deleted_in_the_admin(client_as, admin_user, message):
    client = client_as(admin_user)
    assert client.get(reverse("admin:mail_message_add")).status_code == 403
    response = client.post(reverse("admin:mail_message_delete", args=[message.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Message.objects.filter(pk=message.pk).exists()


def test_dismissing_a_report(client_as, admin_user, report):
    url = reverse("admin:mail_abusereport_changelist")
    response = client_as(admin_user).post(url, {"action": "dismiss", "_selected_action": [report.pk]}, follow=True)
    assert "1 signalement classé sans suite." in response.content.decode()
    report.refresh_from_db()
    assert report.status == AbuseReport.Status.DISMISSED and report.handled_by == admin_user
    assert report.message.recalled_at is None
    assert Event.objects.filter(action="mail.report.handled").count() == 1


def test_recalling_a_reported_message(client_as, admin_user, report, director, message):
    url = reverse("admin:mail_abusereport_changelist")
    client_as(admin_user).post(url, {"action": "recall", "_selected_action": [report.pk]}, follow=True)
    report.refresh_from_db()
    message.refresh_from_db()
    assert report.status == AbuseReport.Status.ACTED
    assert message.recalled_at is not None
    html = client_as(director).get(reverse("mail:message", args=[message.pk])).content.decode()
    assert "Message rappelé" in html and BODY not in html


def test_the_audit_trail_keeps_no_subject(client_as, director, message):
    client_as(director).post(reverse("mail:report", args=[message.pk]), {"reason": "Abus"})
    event = Event.objects.get(action="mail.message.reported")
    assert SUBJECT not in event.target_repr and SUBJECT not in event.label


@pytest.mark.parametrize("person", ["teacher", "director", "counsellor"])
def test_only_administrators_close_reports(request, person, report):
    from django.core.exceptions import PermissionDenied

    from mail.services import report_dismiss

    with pytest.raises(PermissionDenied):
        report_dismiss(actor=request.getfixturevalue(person), report=report)
    report.refresh_from_db()
    assert report.status == AbuseReport.Status.OPEN
