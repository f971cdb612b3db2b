"""The messagerie's journey in a real browser: the IEN writes to « Tous les directeurs » with a read
receipt and an attachment, a director reads it and replies, the IEN sees « 1 / N lus » and the
reply in the conversation."""

import io

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from mail.models import Delivery, Message, MessageStatus
from tests.factories import DEMO_PASSWORD, SchoolFactory, TeamFactory, make_member, totp_code

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def log_in(page, base_url, email, *, totp=False):
    page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    if totp:
        page.wait_for_url("**/2fa/authenticate/**")
        page.locator("input[name=code]").fill(totp_code(SECRET, at_least_seconds_left=10, fresh=True))
        page.locator("form button[type=submit]").first.click()
    page.wait_for_url(f"{base_url}/")


def a_pdf() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (200, 280), "white").save(buffer, "PDF")
    return buffer.getvalue()


def deliver_due():
    """What beat's ``ent.publish_due`` does every minute (the worker's side of « Envoyer »)."""
    from ent.publication import publish_due

    publish_due(now=timezone.now() + timezone.timedelta(minutes=1))


def test_ien_writes_to_all_directors_a_director_replies(live_server, browser, school, settings):
    settings.ENT_MAIL_UNDO_SECONDS = 2
    team = TeamFactory()
    inspector = make_member(Role.IEN, team, first_name="Annie", last_name="Inspectrice", last_login=timezone.now())
    TOTP.activate(inspector, SECRET)
    director = make_member(
        Role.DIRECTOR, school, first_name="Delphine", last_name="Directrice", last_login=timezone.now()
    )
    for n in range(3):  # three more schools, each with a director who has signed in before: N = 4
        make_member(Role.DIRECTOR, SchoolFactory(), last_name=f"Directeur {n}", last_login=timezone.now())
    errors = []

    # 1. The IEN writes to « Tous les directeurs », with a read receipt and the calendar attached.
    ien_context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    ien = ien_context.new_page()
    log_in(ien, live_server.url, inspector.email, totp=True)
    ien.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    ien.on("pageerror", lambda error: errors.append(str(error)))
    ien.get_by_role("link", name="Messagerie").first.click()
    expect(ien).to_have_url(f"{live_server.url}/messagerie/")
    ien.get_by_role("link", name="Écrire").first.click()
    field = ien.get_by_role("combobox", name="Ajouter des destinataires")
    field.click()
    ien.keyboard.type("directeurs")
    option = ien.get_by_role("option", name="Tous les directeurs")
    expect(option).to_be_visible()  # the suggestions came (htmx)
    ien.keyboard.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    ien.keyboard.press("Enter")
    expect(ien.locator("[data-mail-chips=to]").get_by_text("Tous les directeurs", exact=True)).to_be_visible()
    ien.get_by_label("Objet").fill("Conseils d’école : calendrier")
    editor = ien.locator(".prose-editor .tiptap[contenteditable=true]")
    editor.click()
    ien.keyboard.type("Merci de m’adresser le compte rendu de votre conseil d’école.")
    ien.locator("input[name=documents]").set_input_files(
        files=[{"name": "calendrier.pdf", "mimeType": "application/pdf", "buffer": a_pdf()}]
    )
    ien.locator("label[for=id_read_receipt]").click()  # the DSFR draws the box on the label
    expect(ien.get_by_label("Demander un accusé de lecture")).to_be_checked()
    ien.get_by_role("button", name="Envoyer").click()
    expect(ien.get_by_text("Votre message part dans")).to_be_visible()
    message = Message.objects.get(subject="Conseils d’école : calendrier")
    ien.wait_for_timeout(2_500)  # the undo window passes
    deliver_due()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.recipient_count == 4
    assert Delivery.objects.filter(message=message, user=director).exists()

    # 2. The director is told about the receipt before opening, reads, downloads and replies.
    director_context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    reader = director_context.new_page()
    log_in(reader, live_server.url, director.email)
    reader.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    reader.on("pageerror", lambda error: errors.append(str(error)))
    reader.get_by_role("link", name="Messagerie").first.click()
    row = reader.locator("main").get_by_role("link", name="Conseils d’école : calendrier")
    expect(row).to_be_visible()
    expect(reader.locator("main")).to_contain_text("Accusé de lecture demandé")
    row.click()
    expect(reader.get_by_role("heading", name="Conseils d’école : calendrier")).to_be_visible()
    expect(reader.get_by_text("Tous les directeurs")).to_be_visible()
    with reader.expect_download() as download:
        reader.get_by_role("link", name="calendrier.pdf").click()
    assert download.value.suggested_filename.endswith(".pdf")
    reader.get_by_role("link", name="Répondre", exact=True).click()
    chips = reader.locator("[data-mail-chips=to]")
    expect(chips.get_by_text("Annie Inspectrice", exact=True)).to_be_visible()
    expect(chips.get_by_text("Tous les directeurs", exact=True)).to_have_count(0)  # the sender only
    reader.locator(".prose-editor .tiptap[contenteditable=true]").click()
    reader.keyboard.type("Notre conseil d’école aura lieu le 10 novembre.")
    reader.get_by_role("button", name="Envoyer").click()
    expect(reader.get_by_text("Votre message part dans")).to_be_visible()
    reader.wait_for_timeout(2_500)
    deliver_due()
    reply = Message.objects.get(parent=message)
    assert reply.status == MessageStatus.SENT and reply.thread_id == message.pk

    # 3. The IEN sees « 1 / 4 lus » and the reply in the conversation.
    ien.goto(f"{live_server.url}/messagerie/messages/{message.pk}/")
    ien.get_by_role("link", name="Accusés de lecture").click()
    expect(ien.get_by_text("1 / 4 lu")).to_be_visible()
    expect(ien.get_by_text("lu dans 1 / 4 écoles")).to_be_visible()
    ien.goto(f"{live_server.url}/messagerie/messages/{message.pk}/conversation/")
    expect(ien.get_by_text("Notre conseil d’école aura lieu le 10 novembre.")).to_be_visible()
    expect(ien.get_by_text("Merci de m’adresser le compte rendu de votre conseil d’école.", exact=True)).to_be_visible()
    assert not errors, errors
