"""In a real browser: the counsellor writes next week's tutorial with an image and schedules it; once
its time has come, a teacher finds it on "Accueil" and comments it."""

import io
from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from accounts.audiences import AudienceKind
from blogs.models import Comment, Post, PostImage
from blogs.weeks import monday_of
from ent.tasks import publish_due
from notifications.models import Notification
from tests.factories import DEMO_PASSWORD, totp_code

from .factories import SeriesFactory, TagFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "MVXHILLEMVWW6LLMMVXGG3DPNF2HEZJB"


def _photo() -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", (640, 400), (0, 99, 203))
    image.paste((255, 255, 255), (40, 40, 600, 360))
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _sign_in(page, base, email):
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()


def test_a_tutorial_written_scheduled_published_read_and_commented(live_server, browser, counsellor, teacher):
    """``browser`` (tests/conftest.py) is Debian's Chromium driven by Playwright; one context per person."""
    base = live_server.url
    today = timezone.localdate()
    next_monday = monday_of(today) + timedelta(weeks=1)
    series = SeriesFactory(
        series_start=monday_of(today) - timedelta(weeks=4), audience=AudienceKind.TEACHERS, contributors=[counsellor]
    )
    TagFactory(kind="cycle", name="Cycle 3")
    TOTP.activate(counsellor, SECRET)

    # --- The counsellor signs in (password, then the code of their authenticator app).
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    csp_errors = []
    page.on("console", lambda message: message.type == "error" and csp_errors.append(message.text))
    _sign_in(page, base, counsellor.email)
    assert "/accounts/2fa/authenticate/" in page.url
    page.fill("input[name=code]", totp_code(SECRET, at_least_seconds_left=10))
    page.click("form button[type=submit]")
    page.wait_for_url(f"{base}/")

    # --- From the planning, next week is empty: they write its tutorial.
    page.goto(f"{base}/blogs/{series.slug}/planning/")
    week_label = f"semaine du {next_monday.day if next_monday.day != 1 else '1er'}"
    assert page.get_by_text(f"Aucun tutoriel prévu pour la {week_label}").first.is_visible()
    page.click(f"a[href$='?semaine={next_monday.isoformat()}']")
    editor = page.locator(".prose-editor > .ProseMirror[contenteditable=true]")
    editor.wait_for()
    assert editor.get_attribute("aria-labelledby") == "id_body-label"
    assert page.locator(".prose-menubar [data-name=bold]").get_attribute("title") == "Gras"
    # Nothing to undo yet: the greyed button says so to screen readers (and contrast checks skip it).
    undo = page.locator(".prose-menubar [data-name='history:undo']")
    expect(undo).to_have_attribute("aria-disabled", "true")
    page.fill("input[name=title]", "Vocaroo : enregistrer sa voix en un clic")
    editor.click()
    page.keyboard.type("Pour enregistrer la lecture de chaque élève ")
    page.locator(".prose-menubar [data-name=bold]").click()
    page.keyboard.type("sans rien installer")
    page.locator(".prose-menubar [data-name=bold]").click()
    page.keyboard.type(".")
    expect(undo).not_to_have_attribute("aria-disabled", "true")
    page.locator("label.fr-label", has_text="Cycle 3").click()
    assert page.get_by_label("Cycle 3").is_checked()
    page.set_input_files(
        "input[name=image]", files=[{"name": "vocaroo.jpg", "mimeType": "image/jpeg", "buffer": _photo()}]
    )
    page.fill("input[name=image_alt]", "Le bouton rouge d’enregistrement de Vocaroo")
    page.locator("label[for=id_image_no_pupil]").click()  # a screenshot: no pupil (droit à l'image)
    assert page.is_checked("input[name=image_no_pupil]")
    assert page.input_value("input[name=publish_date]") == next_monday.isoformat()
    assert page.input_value("input[name=publish_time]") == "08:00"
    page.click("button[value=programmer]")
    page.wait_for_selector("text=Programmé : il paraîtra le")

    post = Post.objects.get()
    assert post.status == Post.Status.SCHEDULED
    assert post.week_start == next_monday
    assert post.body == "<p>Pour enregistrer la lecture de chaque élève <strong>sans rien installer</strong>.</p>"
    assert list(post.tags.values_list("name", flat=True)) == ["Cycle 3"]
    image = PostImage.objects.get(post=post)
    assert image.media.alt_text == "Le bouton rouge d’enregistrement de Vocaroo"
    assert page.locator("img[alt='Le bouton rouge d’enregistrement de Vocaroo']").count() == 1
    assert not [e for e in csp_errors if "Content Security Policy" in e], csp_errors
    context.close()

    # --- Its time comes: the every-minute task publishes it (run twice, as beat would).
    with time_machine.travel(post.published_at + timedelta(minutes=1), tick=False):
        assert publish_due() == 1
        assert publish_due() == 0
    assert Notification.objects.filter(recipient=teacher, key=f"blogs.published:{post.pk}").count() == 1

    # --- A teacher finds it on "Accueil", reads it and comments.
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    _sign_in(page, base, teacher.email)
    page.wait_for_url(f"{base}/")
    panel = page.locator("#panneau-tutoriel")
    assert "Vocaroo : enregistrer sa voix en un clic" in panel.inner_text()
    panel.get_by_role("link").click()
    page.wait_for_selector("h1:has-text('Vocaroo')")
    assert page.locator("img[alt='Le bouton rouge d’enregistrement de Vocaroo']").count() == 1
    page.fill("textarea[name=body]", "Essayé avec mes CM1 : voir https://vocaroo.com/ merci !")
    page.click("text=Envoyer le commentaire")
    page.wait_for_selector("text=Votre commentaire est publié.")
    link = page.locator("#commentaires a[href='https://vocaroo.com/']")
    assert link.get_attribute("rel") == "nofollow noopener"
    context.close()

    comment = Comment.objects.get()
    assert (comment.author, comment.post, comment.status) == (teacher, post, Comment.Status.PUBLISHED)
