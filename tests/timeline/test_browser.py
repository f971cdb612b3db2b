"""A director's journey in a real browser: the frise, the deadlines, one event into their calendar."""

from datetime import timedelta
from pathlib import Path

import icalendar
import pytest
from django.utils import timezone

from accounts.audiences import AudienceKind
from tests.factories import DEMO_PASSWORD
from timeline.categories import Category
from timeline.dates import school_year_of

from .factories import EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_director_filters_the_deadlines_and_downloads_one(page, live_server, director):
    """``page``: Chromium (``chromium_path``) through Playwright, from tests/conftest.py."""
    from playwright.sync_api import expect

    today = timezone.localdate()
    year = school_year_of(today)
    period = year.opening_period(today)  # what the frise opens on: the current trimester
    day = period.first_day + timedelta(days=40)
    deadline = EventFactory(
        title="Dépôt des dossiers de classe de découverte",
        category=Category.DEADLINE,
        audience=AudienceKind.DIRECTORS,
        start_date=day,
    )
    EventFactory(title="Réunion de directeurs de secteur", category=Category.DIRECTORS_MEETING, start_date=day)

    # Signs in through the real form.
    page.goto(f"{live_server.url}/")
    page.locator("input[name=login]").fill(director.email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Delphine")

    # Opens the frise from the main navigation: both events are there.
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Frise chronologique").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Frise chronologique")
    listing = page.locator("#frise-liste")
    expect(listing.get_by_role("link", name="Réunion de directeurs de secteur")).to_be_visible()

    # Keeps only the administrative deadlines (htmx swaps the frise in place, the address follows).
    checkbox = page.get_by_role("checkbox", name="Échéance administrative")
    page.locator(f"label[for={checkbox.get_attribute('id')}]").click()  # the DSFR draws the box on the label
    expect(checkbox).to_be_checked()
    expect(listing.get_by_role("link", name="Réunion de directeurs de secteur")).to_have_count(0)
    expect(page).to_have_url(
        f"{live_server.url}/frise/?annee={year.start_year}&periode={period.key}&categorie=echeance"
    )
    expect(page.get_by_role("status")).to_contain_text("1 événement")
    svg_mark = page.locator(f'svg a[href="/frise/evenements/{deadline.pk}/"]')
    expect(svg_mark).to_have_attribute(
        "aria-label", f"Dépôt des dossiers de classe de découverte — Échéance administrative — {deadline.when}"
    )

    # Opens the event and downloads it for their calendar.
    listing.get_by_role("link", name="Dépôt des dossiers de classe de découverte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Dépôt des dossiers de classe de découverte")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ajouter à mon agenda (.ics)").click()
    download = download_info.value

    assert download.suggested_filename == "depot-des-dossiers-de-classe-de-decouverte.ics"
    calendar = icalendar.Calendar.from_ical(Path(download.path()).read_bytes())
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Dépôt des dossiers de classe de découverte"
    assert vevent.decoded("DTSTART") == day
    assert vevent.decoded("DTEND") == day + timedelta(days=1)
    assert str(vevent["UID"]).startswith(f"event-{deadline.pk}@")


def _sign_in(page, live_server, person):
    page.goto(f"{live_server.url}/")
    page.locator("input[name=login]").fill(person.email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()


def _watch_errors(page):
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def test_copier_l_adresse_puts_the_private_address_in_the_clipboard(browser, live_server, director):
    from playwright.sync_api import expect

    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    errors = _watch_errors(page)
    _sign_in(page, live_server, director)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Delphine")

    page.goto(f"{live_server.url}/frise/abonnement/")
    page.get_by_role("button", name="Obtenir mon adresse d’abonnement").click()
    address = page.get_by_label("Votre adresse d’abonnement").input_value()
    assert address.startswith(f"{live_server.url}/frise/agenda/") and address.endswith(".ics")
    page.get_by_role("button", name="Copier l’adresse").click()

    expect(page.locator("#adresse-abonnement-copie")).to_have_text(
        "L’adresse est copiée : collez-la dans votre agenda."
    )
    assert page.evaluate("navigator.clipboard.readText()") == address
    assert errors == []
    context.close()


def test_without_a_clipboard_the_address_is_selected_instead(browser, live_server, director):
    from playwright.sync_api import expect

    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    context.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    page = context.new_page()
    errors = _watch_errors(page)
    _sign_in(page, live_server, director)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bonjour Delphine")
    page.goto(f"{live_server.url}/frise/abonnement/")
    page.get_by_role("button", name="Obtenir mon adresse d’abonnement").click()

    page.get_by_role("button", name="Copier l’adresse").click()

    expect(page.locator("#adresse-abonnement-copie")).to_have_text(
        "L’adresse est sélectionnée : copiez-la avec Ctrl+C (ou Cmd+C sur Mac)."
    )
    field = page.get_by_label("Votre adresse d’abonnement")
    expect(field).to_be_focused()
    selected = page.evaluate(
        "(() => { const f = document.getElementById('adresse-abonnement'); "
        "return f.value.substring(f.selectionStart, f.selectionEnd); })()"
    )
    assert selected == field.input_value()
    assert errors == []
    context.close()
