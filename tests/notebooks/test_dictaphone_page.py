"""The dictaphone on a notebook page's form, in Chromium with a fake microphone: record 3 s, save,
and the page then plays an .m4a of about 3 s, with its transcript."""

import pytest
from playwright.sync_api import expect

from notebooks.models import Block
from tests.factories import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def chromium_args(chromium_args):
    return [*chromium_args, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]


def test_a_recording_made_on_the_page_form_is_played_on_the_page(live_server, browser, teacher, notebook):
    from tests.factories import NotebookPageFactory

    # (``page`` is the notebook page fixture in this directory: the browser tab is made here.)
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    context.set_default_timeout(20_000)
    page = context.new_page()
    draft = NotebookPageFactory(notebook=notebook, title="Notre lecture", author=teacher)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(teacher.email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/cahiers/{notebook.slug}/pages/{draft.pk}/modifier/")

    page.locator("label[for=id_new_kind_3]").click()  # « Enregistrement »
    page.get_by_role("button", name="Enregistrer", exact=True).click()  # the dictaphone's
    page.wait_for_function("() => document.querySelector('[data-ent-dictaphone-time]').textContent === '0:03'")
    page.get_by_role("button", name="Arrêter").click()
    expect(page.get_by_label("Écouter l’enregistrement")).to_be_visible()
    page.get_by_label("Transcription de l’enregistrement").fill("Il était une fois un loup.")
    page.get_by_role("button", name="Enregistrer la page", exact=True).click()

    expect(page.get_by_text("La page est enregistrée.")).to_be_visible()
    player = page.locator(".ent-media audio")
    expect(player).to_have_count(1)
    duration = page.evaluate(
        """() => new Promise((done, fail) => {
            const audio = document.querySelector('.ent-media audio');
            if (audio.readyState >= 1) { done(audio.duration); return; }
            audio.addEventListener('loadedmetadata', () => done(audio.duration));
            audio.addEventListener('error', () => fail(new Error('the audio did not load')));
            audio.load();
        })"""
    )
    assert 2.5 <= duration <= 3.8, duration
    block = Block.objects.get(page=draft, kind="audio")
    assert block.media.audio.name.endswith(".m4a") and block.transcript == "Il était une fois un loup."
    assert 2.5 <= block.media.duration <= 3.8
    page.goto(f"{live_server.url}/cahiers/{notebook.slug}/pages/{draft.pk}/")
    expect(page.get_by_text("Il était une fois un loup.")).to_be_visible()
    assert not errors, errors
    context.close()
