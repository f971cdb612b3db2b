"""The "Notifications" page in a real browser: htmx updates the item, the summary and the bell."""

import pytest
from playwright.sync_api import expect

from tests.factories import DEMO_PASSWORD

from .factories import NotificationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_mark_read_then_all_read_without_reloading(page, live_server, teacher):
    NotificationFactory(recipient=teacher, text="Conseil des maîtres mardi")
    NotificationFactory(recipient=teacher, text="Sortie au musée")
    NotificationFactory(recipient=teacher, text="Nouvel outil de la semaine")

    page.goto(f"{live_server.url}/notifications/")
    page.get_by_label("Adresse e-mail").fill(teacher.email)
    page.get_by_label("Mot de passe", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    bell = page.locator(".fr-header__tools-links .ent-bell")
    expect(bell).to_have_text("Notifications (3 non lues)")

    page.get_by_role("button", name="Marquer comme lue : Sortie au musée").click()

    expect(bell).to_have_text("Notifications (2 non lues)")
    expect(page.locator("#notifications-resume")).to_have_text("3 notifications, dont 2 non lues.")
    expect(page.get_by_role("button", name="Marquer comme lue : Sortie au musée")).to_have_count(0)
    assert page.url.endswith("/notifications/")  # no reload

    page.get_by_role("button", name="Tout marquer comme lu").click()

    expect(bell).to_have_text("Notifications")
    expect(page.locator("#notifications-resume")).to_have_text("3 notifications, toutes lues.")
    expect(page.get_by_text("Non lue", exact=True)).to_have_count(0)
