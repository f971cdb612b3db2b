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
