"""The "Notifications" page in a real browser: htmx updates the item, the summary and the bell."""

import pytest

from tests.factories import DEMO_PASSWORD

from .factories import NotificationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site_url(live_server, settings):
    """The live server, its middleware rebuilt for the test settings (plain HTTP, no HTTPS redirect).

    The session-wide server loaded its middleware with the production defaults, before any test.
    """
    from django.core.handlers.wsgi import WSGIHandler
    from django.test.testcases import _MediaFilesHandler, _StaticFilesHandler

    server = live_server.thread.httpd
    original = server.get_app()
    settings.SECURE_SSL_REDIRECT = False
    settings.SECURE_HSTS_SECONDS = 0
    server.set_app(_StaticFilesHandler(_MediaFilesHandler(WSGIHandler())))
    yield live_server.url
    server.set_app(original)


def test_mark_read_then_all_read_without_reloading(site_url, chromium_path, teacher):
    from playwright.sync_api import expect, sync_playwright

    NotificationFactory(recipient=teacher, text="Conseil des maîtres mardi")
    NotificationFactory(recipient=teacher, text="Sortie au musée")
    NotificationFactory(recipient=teacher, text="Nouvel outil de la semaine")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path)
        page = browser.new_page()
        page.goto(f"{site_url}/accounts/login/?next=/notifications/")
        page.fill("input[name=login]", teacher.email)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[type=submit]")
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
        browser.close()
