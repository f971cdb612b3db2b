"""A person signs in with a real browser and reaches their school's page."""

import pytest
from playwright.sync_api import expect

from tests.factories import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_teacher_signs_in_and_reaches_the_school_page(page, live_server, teacher, school):
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next=/")
    page.get_by_label("Adresse e-mail").fill(teacher.email)
    page.get_by_label("Mot de passe", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Thomas")
    page.get_by_role("link", name=school.name).first.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(school.name)
    main = page.get_by_role("main")
    expect(main.get_by_text(school.uai, exact=True)).to_be_visible()
    expect(main.get_by_text(teacher.get_full_name())).to_be_visible()


def test_login_page_has_no_script_error_on_a_phone(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 800}, locale="fr-FR")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Menu").click()

    expect(page.locator("#menu-mobile").get_by_role("link", name="Se connecter")).to_be_visible()
    assert errors == []
    context.close()
