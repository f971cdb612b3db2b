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

    day = school_year_of(timezone.localdate()).first_day + timedelta(days=40)
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
        f"{live_server.url}/frise/?annee={day.year if day.month >= 8 else day.year - 1}&periode=annee&categorie=echeance"
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
