"""One journey in a real browser: a counsellor opens a notebook validated first, two teachers of two
schools add a page each (one with a recording and its transcript), the counsellor validates both,
exports the book, and a teacher downloads the PDF."""

import datetime as dt

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from notebooks.models import Notebook, Page
from tests.factories import DEMO_PASSWORD, SchoolFactory, make_member, totp_code
from tests.uploads.samples import sine

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def log_in(browser, base_url, email, *, totp=False):
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", accept_downloads=True)
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    if totp:
        page.wait_for_url("**/2fa/authenticate/**")
        page.locator("input[name=code]").fill(totp_code(SECRET, at_least_seconds_left=10, fresh=True))
        page.locator("form button[type=submit]").first.click()
    page.wait_for_url(f"{base_url}/")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page, errors


def add_page(page, base_url, *, title, class_label):
    page.get_by_role("link", name="Cahiers", exact=True).click()
    page.get_by_role("link", name="Inventaire de printemps").click()
    page.get_by_role("link", name="Ajouter une page").click()
    page.get_by_label("Titre de la page").fill(title)
    page.get_by_label("Classe").fill(class_label)
    page.get_by_role("button", name="Créer la page").click()
    expect(page.get_by_role("heading", name="Modifier la page")).to_be_visible()


def test_a_notebook_from_opening_to_the_common_book(live_server, browser, tmp_path):
    mirebeau = SchoolFactory(name="École élémentaire Jean Raffarin")
    ferry = SchoolFactory(name="École élémentaire Jules Ferry")
    counsellor = make_member(Role.CPC, first_name="Adrian", last_name="Conseiller")
    TOTP.activate(counsellor, SECRET)
    thomas = make_member(Role.TEACHER, mirebeau, first_name="Thomas", last_name="Martin")
    olga = make_member(Role.TEACHER, ferry, first_name="Olga", last_name="Petit")
    base = live_server.url
    today = timezone.localdate()

    # 1. The counsellor opens the notebook, validated first, written by the two schools.
    context, page, errors = log_in(browser, base, counsellor.email, totp=True)
    page.get_by_role("link", name="Cahiers", exact=True).click()
    page.get_by_role("link", name="Ouvrir un cahier").click()
    page.get_by_label("Titre", exact=True).fill("Inventaire de printemps")
    page.locator("#id_theme").fill("Sciences")
    page.get_by_label("Structures contributrices").select_option([str(mirebeau.pk), str(ferry.pk)])
    page.get_by_label("Ouvert aux contributions le").fill((today - dt.timedelta(days=1)).isoformat())
    page.get_by_label("Fermé aux contributions le").fill((today + dt.timedelta(days=30)).isoformat())
    page.locator("label", has_text="Les pages sont validées d’abord").click()
    page.get_by_role("button", name="Ouvrir le cahier").click()
    expect(page.get_by_text("Le cahier « Inventaire de printemps » est ouvert.")).to_be_visible()
    context.close()

    # 2. Thomas writes a page of text and proposes it.
    context, page, errors = log_in(browser, base, thomas.email)
    add_page(page, base, title="Les jonquilles", class_label="CE1")
    page.locator("label[for=id_new_kind_1]").click()  # « Texte » (DSFR radios are clicked on their label)
    editor = page.locator(".prose-editor .tiptap[contenteditable=true]").first
    editor.click()
    page.keyboard.type("Nous avons compté douze jonquilles.")
    page.get_by_role("button", name="Enregistrer la page et la proposer à la validation").click()
    expect(page.get_by_text("les responsables du cahier sont prévenus")).to_be_visible()
    assert not errors, errors
    context.close()

    # 3. Olga sends a recording with its transcript (no pupil heard), then proposes her page.
    context, page, errors = log_in(browser, base, olga.email)
    add_page(page, base, title="Notre lecture", class_label="CP")
    page.locator("label[for=id_new_kind_3]").click()  # « Enregistrement »
    recording = tmp_path / "lecture.wav"
    recording.write_bytes(sine("wav", "pcm_s16le", 1.5))
    page.locator("input[name=audio]").set_input_files(str(recording))
    page.get_by_label("Transcription de l’enregistrement").first.fill("Il était une fois une petite graine.")
    # Olga reads the story herself: no pupil is heard (droit à l'image: declared with the recording).
    page.locator("label[for=id_new_no_pupil]").click()
    page.get_by_role("button", name="Enregistrer la page", exact=True).click()
    expect(page.get_by_text("La page est enregistrée.")).to_be_visible()
    expect(page.locator(".ent-media audio")).to_have_count(1)
    page.get_by_role("button", name="Enregistrer la page et la proposer à la validation").click()
    expect(page.get_by_text("les responsables du cahier sont prévenus")).to_be_visible()
    assert not errors, errors
    context.close()

    # 4. The counsellor validates both pages, then has the book made.
    context, page, errors = log_in(browser, base, counsellor.email, totp=True)
    page.goto(f"{base}/cahiers/")
    page.get_by_role("link", name="Inventaire de printemps").click()
    page.get_by_role("link", name="Pages à valider (2)").click()
    expect(page.get_by_text("Il était une fois une petite graine.")).to_have_count(0)  # first proposals
    page.get_by_role("button", name="Publier la page « Les jonquilles »").click()
    expect(page.get_by_text("La page « Les jonquilles » est publiée")).to_be_visible()
    page.get_by_role("button", name="Publier la page « Notre lecture »").click()
    expect(page.get_by_text("Aucune page n’attend votre validation.")).to_be_visible()
    assert Page.objects.filter(status=Page.Status.PUBLISHED).count() == 2
    page.get_by_role("link", name="Retour au cahier").click()
    page.get_by_role("button", name="Fabriquer le livre en PDF").click()
    expect(page.get_by_role("link", name="Télécharger le livre (PDF")).to_be_visible()
    context.close()

    # 5. Thomas downloads the common book.
    context, page, errors = log_in(browser, base, thomas.email)
    page.goto(f"{base}{Notebook.objects.get().get_absolute_url()}")
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le livre (PDF").click()
    path = download.value.path()
    assert path.read_bytes()[:5] == b"%PDF-"
    assert download.value.suggested_filename == "inventaire-de-printemps.pdf"
    context.close()
