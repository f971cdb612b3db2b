"""Signing in: e-mail login, sessions on shared computers, rate limits, MFA for the district team."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.urls import reverse

from tests.factories import DEMO_PASSWORD, totp_code

pytestmark = pytest.mark.django_db


def _login(client, email, password=DEMO_PASSWORD, remember=False):
    data = {"login": email, "password": password}
    if remember:
        data["remember"] = "on"
    return client.post(reverse("account_login"), data)


def test_login_by_email_whatever_its_case(client, teacher):
    response = _login(client, teacher.email.upper())
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:home")


def test_session_ends_with_the_browser_unless_asked(client, teacher):
    _login(client, teacher.email)
    assert client.session.get_expire_at_browser_close()


def test_remember_me_keeps_the_session(client, teacher):
    _login(client, teacher.email, remember=True)
    assert not client.session.get_expire_at_browser_close()


def test_inactive_account_cannot_sign_in(client, teacher):
    teacher.is_active = False
    teacher.save()
    response = _login(client, teacher.email)
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert "inactive" in response["Location"]


def test_login_failures_are_rate_limited(client, teacher):
    for _ in range(5):
        response = _login(client, teacher.email, password="mauvais-mot-de-passe")
        assert response.status_code == 200
    # The right password is refused too, while the limit holds.
    response = _login(client, teacher.email)
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200
    assert "Trop de tentatives de connexion" in response.text


def test_too_many_password_reset_requests_get_a_french_429(client, teacher):
    for _ in range(5):
        client.post(reverse("account_reset_password"), {"email": teacher.email})
    response = client.post(reverse("account_reset_password"), {"email": teacher.email})
    assert response.status_code == 429
    assert "Trop de tentatives" in response.text


def test_password_reset_sends_an_email(client, teacher, mailoutbox):
    response = client.post(reverse("account_reset_password"), {"email": teacher.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [teacher.email]


def test_logout_by_post(client_as, teacher):
    client = client_as(teacher)
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_district_team_must_set_up_mfa_before_anything_else(client, counsellor):
    _login(client, counsellor.email)
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_teachers_may_use_mfa_but_are_not_forced(client, teacher):
    _login(client, teacher.email)
    assert client.get(reverse("accounts:home")).status_code == 200
    response = client.get(reverse("mfa_index"))
    assert response.status_code == 200
    assert reverse("mfa_activate_totp") in response.text


def test_district_team_with_totp_signs_in_with_a_code(client, counsellor):
    secret = "MVXHILLEMVWW6LLMMVXGG3DPNF2HEZJB"
    TOTP.activate(counsellor, secret)
    response = _login(client, counsellor.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.get(reverse("accounts:home")).status_code == 200
    assert Authenticator.objects.filter(user=counsellor).count() == 1
