"""The compose page in a real browser, under the strict CSP: the recipient combobox by keyboard
(arrows, Enter, Escape, removable chips), the autosave status, « Annuler l’envoi »."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from mail.models import Message, MessageStatus
from tests.factories import DEMO_PASSWORD, TeamFactory, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base_url, email):
    page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base_url}/")


def test_compose_by_keyboard_autosave_and_undo(live_server, page, school, settings):
    settings.ENT_MAIL_UNDO_SECONDS = 60
    team = TeamFactory()
    inspector = make_member(Role.IEN, team, first_name="Annie", last_name="Inspectrice", last_login=timezone.now())
    make_member(Role.CPC, team, first_name="Adrian", last_name="Conseiller")
    director = make_member(Role.DIRECTOR, school, first_name="Delphine", last_name="Directrice")
    errors = []
    log_in(page, live_server.url, director.email)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/messagerie/ecrire/")

    field = page.get_by_role("combobox", name="Ajouter des destinataires")
    field.click()
    page.keyboard.type("inspectr")  # without the accent, in lower case
    listbox = page.get_by_role("listbox", name="Destinataires proposés")
    expect(listbox).to_be_visible()
    expect(field).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    option = page.get_by_role("option", name="Annie Inspectrice")
    expect(option).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    expect(listbox).to_be_hidden()
    chips = page.locator("[data-mail-chips=to]")
    expect(chips.get_by_text("Annie Inspectrice", exact=True)).to_be_visible()
    # A second one, then Escape closes the list without choosing.
    page.keyboard.type("conseil")
    expect(page.get_by_role("option", name="Adrian Conseiller")).to_be_visible()
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(chips.get_by_text("Adrian Conseiller", exact=True)).to_have_count(0)
    # Remove a chip by its named button.
    field.fill("")
    page.keyboard.type("adrian")
    expect(page.get_by_role("option", name="Adrian Conseiller")).to_be_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(chips.get_by_text("Adrian Conseiller", exact=True)).to_be_visible()
    page.get_by_role("button", name="Retirer Adrian Conseiller (À)").click()
    expect(chips.get_by_text("Adrian Conseiller", exact=True)).to_have_count(0)

    page.get_by_label("Objet").fill("Projet jardin")
    expect(page.locator("#mail-status")).to_contain_text("Brouillon enregistré à", timeout=15_000)
    for _ in range(30):  # the next autosave (every 5 seconds) carries the subject
        draft = Message.objects.get()
        if draft.subject:
            break
        page.wait_for_timeout(500)
    assert draft.subject == "Projet jardin" and draft.addressing["to"] == [f"u:{inspector.pk}"]

    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_text("Votre message part dans")).to_be_visible()
    page.get_by_role("button", name="Annuler l’envoi").click()
    expect(page.get_by_text("Envoi annulé")).to_be_visible()
    draft.refresh_from_db()
    assert draft.status == MessageStatus.DRAFT
    assert not errors, errors
