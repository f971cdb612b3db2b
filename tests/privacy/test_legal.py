"""The legal pages: reachable by anyone, linked from every page's footer, the retention periods read
from privacy/retention.py."""

import pytest
from django.urls import reverse

from privacy import retention

PAGES = ["legal:notice", "legal:personal-data", "legal:image-rights"]


@pytest.mark.parametrize("name", PAGES)
def test_reachable_without_signing_in(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert response.content.decode().count('lang="fr"') >= 1


def test_linked_from_the_footer_of_the_sign_in_page_and_of_a_signed_in_page(client, client_as, teacher):
    for response in (client.get(reverse("account_login")), client_as(teacher).get(reverse("accounts:home"))):
        html = response.content.decode()
        for name in PAGES:
            assert f'href="{reverse(name)}"' in html


def test_the_retention_periods_come_from_the_rules(client, db, settings, monkeypatch):
    settings.ENT_MAIL_RETENTION_DAYS = 730
    monkeypatch.setattr(retention, "NOTIFICATION_DAYS", 730)
    html = client.get(reverse("legal:personal-data")).content.decode()
    for rule in retention.RULES:
        assert rule.data.replace("’", "&#x27;") in html or rule.data in html
    assert "2 ans après leur envoi" in html
    assert "arrêté du 30 novembre 2006" in html


def test_the_measures_of_the_dashboard_are_listed(client, db):
    from accounts import adoption

    html = client.get(reverse("legal:personal-data")).content.decode()
    assert "La mesure de l’utilisation de l’ENT" in html
    assert "le jour de la dernière visite est noté, une fois par jour au plus" in html
    assert adoption.measures()
    for measure in adoption.measures():
        assert f"<li>{measure.label} :" in html
