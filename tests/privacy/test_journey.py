"""One journey in a real browser: a teacher records her class's consents, adds a photo of two pupils to
a notebook page, is refused for the pupil without photo consent, blurs that pupil, and publishes."""

import io

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from accounts.models import Role
from notebooks.models import Page
from privacy.models import GuardianDecision, MediaDeclaration
from tests.factories import DEMO_PASSWORD, NotebookFactory, SchoolFactory, make_member

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def log_in(browser, base_url, email):
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    context.set_default_timeout(20_000)
    page = context.new_page()
    page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{base_url}/")
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page, errors


def photo(path):
    image = Image.new("RGB", (800, 600), (240, 240, 240))
    for x in range(0, 800, 10):
        image.paste((20, 20, 20) if (x // 10) % 2 else (250, 250, 250), (x, 0, x + 5, 600))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def answer(page, pupil, guardian, decision):
    row = page.locator("form.ent-privacy-row", has_text=pupil)
    row.get_by_label(f"Réponse du responsable {guardian} pour {pupil}").select_option(label=decision)
    row.get_by_label(f"Formulaire signé le (responsable {guardian}, {pupil})").fill(timezone.localdate().isoformat())


def test_consents_then_a_refused_photo_blurred_and_published(live_server, browser, tmp_path):
    school = SchoolFactory(name="École élémentaire Jean Raffarin")
    thomas = make_member(Role.TEACHER, school, first_name="Thomas", last_name="Martin")
    notebook = NotebookFactory(title="La classe dehors", policy="immediate", contributing_structures=[school])
    base = live_server.url
    context, page, errors = log_in(browser, base, thomas.email)

    # 1. The class list and the request, then the families' answers by hand.
    page.goto(f"{base}/droit-a-l-image/")
    expect(page.get_by_role("heading", name="Registre des autorisations")).to_be_visible()
    for first, initial in (("Élodie", "M"), ("Noé", "B")):
        page.get_by_label("Prénom").fill(first)
        page.get_by_label("Initiale du nom").fill(initial)
        page.locator("#id_class_name").fill("CM1")
        page.get_by_role("button", name="Ajouter l’élève").click()
        expect(page.get_by_text(f"{first} {initial}. (CM1) est ajouté·e au registre.")).to_be_visible()
    page.get_by_role("link", name="Nouvelle demande d’autorisation").click()
    page.get_by_label("Titre du projet").fill("La vie de l’école")
    page.get_by_label("Ce que couvre la demande").select_option(label="La vie de l’école (toute l’année)")
    page.locator("label", has_text="image (photo, vidéo)").click()
    page.locator("label[for^=id_channels]", has_text="dans l’ENT").click()
    page.get_by_label("Version du texte du formulaire").fill("2026-1")
    page.get_by_label("Valable jusqu’au").fill(
        timezone.localdate().replace(year=timezone.localdate().year + 1).isoformat()
    )
    page.get_by_role("button", name="Créer la demande").click()
    expect(page.get_by_role("heading", name="Formulaires rendus par classe")).to_be_visible()
    answer(page, "Élodie M.", 1, "Accordée")
    answer(page, "Élodie M.", 2, "Accordée")
    page.get_by_role("button", name="Enregistrer les réponses de Élodie M.").click()
    expect(page.get_by_text("Réponses de la famille de Élodie M. enregistrées.")).to_be_visible()
    answer(page, "Noé B.", 1, "Accordée")
    answer(page, "Noé B.", 2, "Refusée")
    page.get_by_role("button", name="Enregistrer les réponses de Noé B.").click()
    expect(page.get_by_text("Réponses de la famille de Noé B. enregistrées.")).to_be_visible()
    assert GuardianDecision.objects.count() == 4

    # 2. A page with a photo of the two pupils: publishing is refused for Noé.
    page.goto(f"{base}{notebook.get_absolute_url()}")
    page.get_by_role("link", name="Ajouter une page").click()
    page.get_by_label("Titre de la page").fill("Dans la cour")
    page.get_by_label("Classe").fill("CM1")
    page.get_by_role("button", name="Créer la page").click()
    page.locator("label[for=id_new_kind_2]").click()  # « Image »
    page.locator("input[name=new_image]").set_input_files(photo(tmp_path / "cour.jpg"))
    page.get_by_label("Description de l’image").first.fill("Deux élèves jouent à la marelle.")
    page.get_by_label("Élèves visibles ou entendus").select_option(label=["Élodie M. (CM1)", "Noé B. (CM1)"])
    page.get_by_role("button", name="Enregistrer la page", exact=True).click()
    expect(page.get_by_text("Bloc 1 : image")).to_be_visible()
    page.get_by_role("button", name="Enregistrer la page", exact=True).click()
    expect(page.get_by_text("Noé B. (CM1) : pas d’autorisation d’image")).to_be_visible()
    assert Page.objects.get().status != Page.Status.PUBLISHED

    # 3. Blur Noé (typed zone, keyboard), then declare only Élodie, and publish.
    page.get_by_role("link", name="Élèves visibles ou entendus sur cette photo").click()
    expect(page.get_by_role("heading", name="Flouter un visage ou un nom")).to_be_visible()
    for part, value in (("gauche", "50"), ("haut", "0"), ("largeur", "50"), ("hauteur", "100")):
        page.get_by_label(f"Zone 1 : {part} (%)").fill(value)
    expect(page.locator(".ent-blur__box")).to_have_count(1)
    page.get_by_role("button", name="Flouter ces zones").click()
    expect(page.get_by_text("Les zones choisies sont floutées")).to_be_visible()
    page.locator("label", has_text="Noé B. (CM1)").click()  # untick
    page.get_by_role("button", name="Enregistrer la déclaration").click()
    expect(page.get_by_text("Déclaration enregistrée")).to_be_visible()
    assert [p.first_name for p in MediaDeclaration.objects.get().pupils.all()] == ["Élodie"]
    page.goto(f"{base}{Page.objects.get().get_absolute_url()}modifier/")
    page.get_by_role("button", name="Enregistrer la page", exact=True).click()
    expect(page.get_by_text("La page est enregistrée et publiée.")).to_be_visible()
    assert Page.objects.get().status == Page.Status.PUBLISHED
    assert not errors, errors
    context.close()
