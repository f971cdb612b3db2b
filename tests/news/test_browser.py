"""One journey in a real browser: a counsellor publishes a directors' note that asks for an
acknowledgement, a director acknowledges it, the IEN sees « 1 / N »."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from playwright.sync_api import expect

from accounts.models import Role
from tests.factories import DEMO_PASSWORD, make_member, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def log_in(page, base_url, email, *, totp=False):
    page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    if totp:
        # The district team passes the real MFA step: allauth asks for the authenticator's code.
        page.wait_for_url("**/2fa/authenticate/**")
        page.locator("input[name=code]").fill(totp_code(SECRET, at_least_seconds_left=10, fresh=True))
        page.locator("form button[type=submit]").first.click()
    page.wait_for_url(f"{base_url}/")


def test_directors_note_acknowledged_and_followed(live_server, browser, school, make_schools):
    counsellor = make_member(Role.CPC, first_name="Adrian", last_name="Conseiller")
    inspector = make_member(Role.IEN, first_name="Annie", last_name="Inspectrice")
    director = make_member(Role.DIRECTOR, school, first_name="Delphine", last_name="Directrice")
    for member in (counsellor, inspector):
        TOTP.activate(member, SECRET)
    make_schools(3)  # three more schools, each with a director: N = 4

    console_errors = []  # CSP refusals and script errors end up here
    # 1. The counsellor writes and publishes the note, in the rich text editor.
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    log_in(page, live_server.url, counsellor.email, totp=True)
    # From here on (the news pages), any script error or CSP refusal fails the test.
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    page.get_by_role("link", name="Actualités").first.click()
    page.goto(f"{live_server.url}/actualites/directeurs/nouveau/")
    page.get_by_label("Titre").fill("Exercices PPMS : calendrier")
    page.get_by_label("Résumé").fill("Chaque école réalise un exercice PPMS avant les vacances.")
    # The Tiptap editor really started (the textarea is hidden behind it), under the strict CSP.
    editor = page.locator(".prose-editor .tiptap[contenteditable=true]")
    expect(editor).to_be_visible()
    expect(editor).to_have_accessible_name("Texte")
    expect(page.locator("textarea[name=body]")).to_be_hidden()
    editor.click()
    page.keyboard.type("Merci de prévenir la mairie et les familles.")
    page.get_by_role("button", name="Gras").click()  # the toolbar speaks French
    page.keyboard.type(" Important.")
    expect(page.locator("textarea[name=body]")).to_have_value(
        "<p>Merci de prévenir la mairie et les familles.<strong> Important.</strong></p>"
    )
    page.locator("label[for=id_requires_ack]").click()
    page.get_by_role("button", name="Publier ou programmer").click()
    expect(page.get_by_text("L’actualité est publiée.")).to_be_visible()
    expect(page.locator(".news-body")).to_contain_text("Merci de prévenir la mairie et les familles.")
    post_url = page.url
    context.close()

    # 2. The director is told on "Accueil" and acknowledges.
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    log_in(page, live_server.url, director.email)
    expect(page.get_by_text("Accusés de lecture attendus")).to_be_visible()
    page.get_by_role("link", name="Exercices PPMS : calendrier").first.click()
    page.get_by_role("button", name="J’ai pris connaissance").click()
    expect(page.get_by_text("Vous avez pris connaissance de cette information le")).to_be_visible()
    context.close()

    # 3. The IEN follows the acknowledgements.
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    log_in(page, live_server.url, inspector.email, totp=True)
    page.goto(post_url)
    page.get_by_role("link", name="Suivi des accusés de lecture").click()
    expect(page.locator(".news-ack-count")).to_have_text("1 / 4 écoles")
    context.close()
    assert console_errors == []
