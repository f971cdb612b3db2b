"""The journal of actions on accounts and consents: the IEN reads it; anyone else gets 404."""

import pytest
from django.urls import reverse

from accounts.models import AccountAction
from audit.services import record
from privacy.models import PrivacyAction

URL = "journal:index"
QUERIES = 3


@pytest.mark.parametrize("person", ["teacher", "director", "counsellor", "rased_member", "admin_user"], indirect=True)
def test_only_the_ien_reads_it(person, client_as, inspector):
    record(actor=inspector, target=inspector, action=AccountAction.ACTIVATED)
    assert client_as(person).get(reverse(URL)).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, db):
    assert client.get(reverse(URL)).status_code == 302


def test_the_ien_reads_accounts_and_consents_actions_filtered(client_as, inspector, admin_user, teacher, school):
    record(actor=admin_user, target=teacher, action=AccountAction.DEACTIVATED)
    record(actor=admin_user, target=school, action=PrivacyAction.POLICY_UPDATED)
    html = client_as(inspector).get(reverse(URL)).content.decode()
    assert "Compte désactivé" in html and "Règle des responsables légaux modifiée" in html
    assert str(admin_user) in html
    html = client_as(inspector).get(reverse(URL), {"action": AccountAction.DEACTIVATED}).content.decode()
    assert "Compte désactivé" in html and "Règle des responsables légaux modifiée" not in html.split("<table")[1]


def test_its_cost_does_not_grow(client_as, inspector, admin_user, teacher, assert_flat_queries):
    def add(n):
        for _ in range(n):
            record(actor=admin_user, target=teacher, action=AccountAction.DEACTIVATED)

    assert_flat_queries(
        client_as(inspector),
        reverse(URL),
        add,
        rows=5,
        queries=QUERIES,
        shown=lambda response: response.content.decode().count("<tr><td>"),
        expect=(5, 50),
    )


def test_linked_for_the_ien_from_the_registries_page(client_as, inspector):
    assert reverse(URL) in client_as(inspector).get(reverse("privacy:index")).content.decode()
