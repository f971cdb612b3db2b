"""A teacher types « dictaphone » in the header's search field, opens the help page found, then
the tutorial found (« L'outil numérique de la semaine »). axe finds no violation on the results, the
help page and the tutorial library, on a computer and on a phone."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from blogs.search import post_index
from tests.factories import DEMO_PASSWORD, make_member
from tests.uploads.test_dictaphone_browser import axe_violations

from ..blogs.factories import PostFactory, SeriesFactory, TagFactory

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_a_teacher_finds_the_help_and_the_tutorial_about_the_dictaphone(live_server, page, school, counsellor):
    teacher = make_member(Role.TEACHER, school, first_name="Thomas", last_name="Enseignant", last_login=timezone.now())
    tutorial = PostFactory(
        blog=SeriesFactory(),
        author=counsellor,
        title="Le dictaphone de l’ENT",
        body="<p>Enregistrer la lecture à voix haute des élèves.</p>",
    )
    tutorial.tags.set([TagFactory(name="Dictaphone")])
    post_index(tutorial)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(teacher.email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")

    search = page.get_by_role("search").get_by_label("Rechercher dans l’ENT")
    search.fill("Dictaphone")
    search.press("Enter")
    page.wait_for_url("**/recherche/?q=Dictaphone")
    expect(page.get_by_role("heading", name="Pages d’aide")).to_be_visible()
    expect(page.get_by_role("heading", name="Tutoriels")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Cahiers multimédias").first.click()
    expect(page.get_by_role("heading", level=1, name="Cahiers multimédias")).to_be_visible()
    expect(page.get_by_role("heading", name="Enregistrer avec le dictaphone")).to_be_visible()
    assert axe_violations(page) == []

    page.go_back()
    page.get_by_role("link", name="Le dictaphone de l’ENT").click()
    expect(page.get_by_role("heading", level=1, name="Le dictaphone de l’ENT")).to_be_visible()

    page.goto(f"{live_server.url}/aide/tutoriels/")
    page.locator("label", has_text="Dictaphone (1)").click()
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_role("link", name="Le dictaphone de l’ENT")).to_be_visible()
    assert axe_violations(page) == []

    page.set_viewport_size({"width": 390, "height": 800})  # a phone: the search opens from the header
    page.get_by_role("button", name="Rechercher").first.click()
    field = page.locator("#recherche-entete").get_by_label("Rechercher dans l’ENT")
    field.fill("dictaphone")
    field.press("Enter")
    page.wait_for_url("**/recherche/?q=dictaphone")
    assert axe_violations(page) == []
    assert errors == []
