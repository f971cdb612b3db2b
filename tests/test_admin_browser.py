"""Every admin page an administrator uses, in a real browser at 1280 px: no axe violation, no
horizontal scrolling. A superuser with an authenticator signs in through the real two-factor step,
on the demo data plus the rows the demo does not make (a notification, a file, Celery beat's
schedules); every list of the index is opened, then its first row and its "add" page."""

import io
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)
from PIL import Image

from accounts import imports
from accounts.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from accounts.models import User
from notifications.services import notify
from tests.factories import totp_code
from uploads.services import media_upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 1280

# What an administrator works with: each must be among the pages checked, list and form.
MUST_CHECK = [
    "accounts/user",
    "accounts/structure",
    "accounts/membership",
    "accounts/authenticator",
    "news/post",
    "blogs/blog",
    "blogs/post",
    "timeline/event",
    "uploads/mediafile",
    "audit/event",
    "notifications/notification",
    "django_celery_beat/periodictask",
]
# Pages that are no list, form or index.
OTHER_PAGES = ["/admin/accounts/user/importer/", "/admin/accounts/structure/importer/"]


def _png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "#3558a2").save(buffer, "PNG")
    return SimpleUploadedFile("carre.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def admin_rows(settings):
    settings.DEBUG = True  # the demo refuses to load otherwise
    call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False
    admin = User.objects.get(email="admin@demo.ent.fr")
    director = User.objects.get(email="directeur@demo.ent.fr")
    notify(
        kind="news.published",
        actor=admin,
        target=None,
        text="Nouvelle actualité : calendrier des exercices",
        url="/actualites/",
        recipients=[director],
    )
    media_upload(file=_png(), kind="image", uploaded_by=admin, alt_text="Un carré bleu")
    crontab = CrontabSchedule.objects.create(minute="0", hour="7", day_of_week="1-5")
    interval = IntervalSchedule.objects.create(every=5, period=IntervalSchedule.MINUTES)
    SolarSchedule.objects.create(event="sunrise", latitude="46.6", longitude="0.3")
    clocked = ClockedSchedule.objects.create(clocked_time=timezone.now() + timedelta(days=1))
    PeriodicTask.objects.create(name="Résumés quotidiens", task="notifications.send_digests", crontab=crontab)
    PeriodicTask.objects.create(name="Balayage", task="notifications.sweep", interval=interval)
    PeriodicTask.objects.create(name="Une fois", task="ent.publish_due", clocked=clocked, one_off=True)
    return admin


def _log_in(page, base_url):
    page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=login]").fill("admin@demo.ent.fr")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/2fa/authenticate/**")
    page.locator("input[name=code]").fill(totp_code(DEMO_TOTP_SECRET, at_least_seconds_left=10))
    page.locator("form button[type=submit]").first.click()
    page.wait_for_url(f"{base_url}/")


def _admin_pages(page, base_url) -> list[str]:
    """The index, every list it links to, each list's first row and each "add" page."""
    page.goto(f"{base_url}/admin/")
    links = page.eval_on_selector_all("#content-main a", "links => links.map(a => a.getAttribute('href'))")
    pages = ["/admin/"]
    for href in dict.fromkeys(links):
        pages.append(href)
        if href.endswith("/add/"):
            continue
        page.goto(base_url + href)
        first = page.locator("#result_list tbody tr").first.locator("th a, td a").first
        if first.count():
            pages.append(first.get_attribute("href"))
    return pages


def test_every_admin_page_has_no_axe_violation_and_fits_1280_px(browser, live_server, admin_rows):
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris", viewport={"width": WIDTH, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    script_errors = []
    page.on("pageerror", lambda error: script_errors.append(str(error)))
    _log_in(page, live_server.url)

    pages = _admin_pages(page, live_server.url) + OTHER_PAGES
    person = User.objects.get(email="directeur@demo.ent.fr")
    pages.append(f"/admin/accounts/user/{person.pk}/delete/")
    for model in MUST_CHECK:
        assert f"/admin/{model}/" in pages, model
        assert any(url.startswith(f"/admin/{model}/") and url.endswith("/change/") for url in pages), model

    axe = Axe()
    problems = {}
    for url in dict.fromkeys(pages):
        response = page.goto(live_server.url + url)
        assert response.status == 200, url
        page.wait_for_load_state("load")
        width = page.evaluate("document.documentElement.scrollWidth")
        violations = axe.run(page).response["violations"]
        found = [f"{v['id']} ({v['impact']}): {[node['target'] for node in v['nodes'][:3]]}" for v in violations]
        if width > WIDTH:
            found.append(f"{width} px wide")
        if found:
            problems[url] = found
    # The previews of the CSV imports (a valid line and a line in error each).
    for model, kind in (("user", "people"), ("structure", "schools")):
        page.goto(f"{live_server.url}/admin/accounts/{model}/importer/")
        text = imports.template_csv(kind) + "sans-arobase;;;;;\r\n"
        page.locator("input[type=file]").set_input_files(
            files=[{"name": "import.csv", "mimeType": "text/csv", "buffer": text.encode()}]
        )
        page.get_by_role("button", name="Afficher l’aperçu").click()
        page.wait_for_load_state("load")
        assert page.locator("table").count(), model  # the preview is there
        found = [v["id"] for v in axe.run(page).response["violations"]]
        if page.evaluate("document.documentElement.scrollWidth") > WIDTH:
            found.append("too wide")
        if found:
            problems[f"aperçu de l’import ({model})"] = found
    context.close()

    assert problems == {}
    assert script_errors == []
    assert len(pages) > 60  # the walk really went through the admin
