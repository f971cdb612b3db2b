"""Activation and invitations: one e-mail per person, however often it is asked or run."""

import re

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP
from django.urls import reverse

from accounts.models import AccountAction, Invitation, Role, User
from accounts.services import user_reinvite, users_activate_and_invite, users_deactivate
from accounts.tasks import send_invitation
from audit.selectors import history_of
from tests.factories import UserFactory, make_member

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def newcomer(db):
    return User.objects.create_user("nouvelle@ac-poitiers.fr", first_name="Nora", last_name="Nouvelle")


def _link(message):
    return re.search(r"http://\S+/invitation/\S+/", message.body).group(0)


def test_activation_sends_one_invitation_with_a_link(admin_user, newcomer, mailoutbox):
    result = users_activate_and_invite(actor=admin_user, users=[newcomer])
    assert result == {"activated": 1, "invited": 1, "with_password": 0}
    newcomer.refresh_from_db()
    assert newcomer.is_active
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["nouvelle@ac-poitiers.fr"]
    assert "choisir votre mot de passe" in mailoutbox[0].body
    assert mailoutbox[0].alternatives[0][1] == "text/html"
    assert history_of(newcomer).filter(action=AccountAction.ACTIVATED, actor=admin_user).exists()
    assert history_of(newcomer).filter(action=AccountAction.INVITED).exists()


def test_activating_twice_sends_one_invitation(admin_user, newcomer, mailoutbox):
    users_activate_and_invite(actor=admin_user, users=[newcomer])
    second = users_activate_and_invite(actor=admin_user, users=[newcomer])
    assert second == {"activated": 0, "invited": 0, "with_password": 0}
    assert len(mailoutbox) == 1
    assert Invitation.objects.filter(user=newcomer).count() == 1


def test_the_task_run_twice_sends_once(admin_user, newcomer, mailoutbox):
    users_activate_and_invite(actor=admin_user, users=[newcomer])
    invitation = Invitation.objects.get(user=newcomer)
    send_invitation(invitation.pk)
    send_invitation.apply(args=[invitation.pk])
    assert len(mailoutbox) == 1


def test_the_task_returns_quietly_when_the_invitation_is_gone(admin_user, newcomer, mailoutbox):
    newcomer.is_active = True
    newcomer.save(update_fields=["is_active"])
    invitation = Invitation.objects.create(user=newcomer, created_by=admin_user)
    invitation.delete()  # withdrawn between its queueing and the task's run

    assert send_invitation(invitation.pk) is None
    assert send_invitation.apply(args=[invitation.pk]).successful()
    assert mailoutbox == []
    assert not Invitation.objects.exists()


def test_following_the_link_sets_the_password_then_the_link_dies(client, admin_user, newcomer, mailoutbox):
    users_activate_and_invite(actor=admin_user, users=[newcomer])
    link = _link(mailoutbox[0]).replace("http://127.0.0.1:8000", "")
    response = client.get(link)
    assert response.status_code == 200
    assert "Bienvenue, Nora" in response.text
    response = client.post(
        link, {"new_password1": "Un-mot-de-passe-solide-86", "new_password2": "Un-mot-de-passe-solide-86"}
    )
    assert response.status_code == 302
    assert client.login(username="nouvelle@ac-poitiers.fr", password="Un-mot-de-passe-solide-86")
    client.logout()
    assert client.get(link).status_code == 400


def test_a_weak_password_is_refused_in_french_and_nothing_changes(client, admin_user, newcomer, mailoutbox):
    users_activate_and_invite(actor=admin_user, users=[newcomer])
    link = _link(mailoutbox[0]).replace("http://127.0.0.1:8000", "")
    response = client.post(link, {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200
    assert "trop court" in response.text
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()


def test_the_link_expires(client, admin_user, newcomer, mailoutbox, settings):
    with time_machine.travel("2026-11-02 09:00 +0100", tick=False):
        users_activate_and_invite(actor=admin_user, users=[newcomer])
    link = _link(mailoutbox[0]).replace("http://127.0.0.1:8000", "")
    with time_machine.travel("2026-11-10 09:00 +0100", tick=False):
        response = client.get(link)
    assert response.status_code == 400
    assert "ne fonctionne plus" in response.text


def test_a_forged_link_is_refused(client, db):
    assert client.get(reverse("accounts:invitation", args=["pas-un-jeton"])).status_code == 400


def test_reinvite_sends_a_fresh_link_once(admin_user, newcomer, mailoutbox):
    with time_machine.travel("2026-11-02 09:00 +0100", tick=False):
        users_activate_and_invite(actor=admin_user, users=[newcomer])
        assert user_reinvite(actor=admin_user, user=newcomer) is None  # a double click sends nothing more
    with time_machine.travel("2026-11-12 09:00 +0100", tick=False):
        assert user_reinvite(actor=admin_user, user=newcomer) is not None
        assert user_reinvite(actor=admin_user, user=newcomer) is None
    assert len(mailoutbox) == 2


def test_deactivation_is_recorded_and_spares_the_actor(admin_user, mailoutbox):
    teacher = UserFactory()
    assert users_deactivate(actor=admin_user, users=[teacher, admin_user]) == 1
    teacher.refresh_from_db()
    admin_user.refresh_from_db()
    assert not teacher.is_active
    assert admin_user.is_active
    assert history_of(teacher).get().actor == admin_user


PASSWORD = "Un-mot-de-passe-solide-86"


def _choose_password(client, admin_user, person, mailoutbox):
    users_activate_and_invite(actor=admin_user, users=[person])
    link = _link(mailoutbox[-1]).replace("http://127.0.0.1:8000", "")
    return client.post(link, {"new_password1": PASSWORD, "new_password2": PASSWORD}), link


def test_choosing_the_password_signs_the_person_in_and_opens_accueil(client, admin_user, newcomer, mailoutbox):
    response, link = _choose_password(client, admin_user, newcomer, mailoutbox)

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:home")
    assert client.session["_auth_user_id"] == str(newcomer.pk)
    assert client.session["_auth_user_backend"] == "allauth.account.auth_backends.AuthenticationBackend"
    home = client.get(reverse("accounts:home"))
    assert home.status_code == 200
    assert "Votre mot de passe est enregistré. Bienvenue sur l’ENT !" in home.text
    assert "Connexion avec Nora Nouvelle réussie." in home.text  # allauth's own sign-in
    assert "Bonjour Nora" in home.text
    newcomer.refresh_from_db()
    assert newcomer.last_login is not None
    assert client.get(link).status_code == 400  # the link died with the sign-in


def test_the_district_team_signed_in_from_the_invitation_is_sent_to_set_up_mfa(client, admin_user, mailoutbox):
    counsellor = make_member(Role.CPC, first_name="Camille", last_name="Conseillère", is_active=False, password=None)

    response, _ = _choose_password(client, admin_user, counsellor, mailoutbox)

    assert client.session["_auth_user_id"] == str(counsellor.pk)
    home = client.get(response["Location"])
    assert home.status_code == 302
    assert home["Location"] == reverse("mfa_activate_totp")


def test_a_person_who_already_has_a_second_factor_is_asked_for_it(client, admin_user, newcomer, mailoutbox):
    TOTP.activate(newcomer, "MVXHILLEMVWW6LLMMVXGG3DPNF2HEZJB")

    response, _ = _choose_password(client, admin_user, newcomer, mailoutbox)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
