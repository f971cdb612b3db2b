"""The IEN's journey to the adoption figures: from Accueil to « Tableau de bord », sorts the table
by the people seen these 30 days, and downloads it as CSV (the file read back). axe finds no
violation on the dashboard, on a computer and on a phone."""

import csv
import io
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import ActiveMonth, Role, User
from tests.factories import SchoolFactory, make_member
from tests.mail.test_journey_browser import SECRET, log_in
from tests.uploads.test_dictaphone_browser import axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _seen_today(user):
    today = timezone.localdate()
    User.objects.filter(pk=user.pk).update(last_seen=today)
    ActiveMonth.objects.get_or_create(user=user, month=today.replace(day=1))


def test_the_ien_opens_the_dashboard_and_downloads_the_csv(live_server, page):
    active = SchoolFactory(name="École des Tilleuls")
    quiet = SchoolFactory(name="École du Moulin")
    _seen_today(make_member(Role.DIRECTOR, active))
    make_member(Role.TEACHER, active)
    make_member(Role.DIRECTOR, quiet)
    inspector = make_member(Role.IEN, first_name="Inès", last_name="Inspectrice")
    TOTP.activate(inspector, SECRET)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_viewport_size({"width": 1280, "height": 900})

    log_in(page, live_server.url, inspector.email, totp=True)
    page.get_by_role("link", name="Voir le tableau de bord").click()
    expect(page.get_by_role("heading", level=1, name="Tableau de bord")).to_be_visible()
    expect(page.get_by_text("1 / 2 écoles actives ce mois-ci")).to_be_visible()
    expect(page.get_by_role("img", name="Écoles actives chaque mois depuis la rentrée")).to_be_visible()
    assert axe_violations(page) == []

    table = page.get_by_role("table", name="Chiffres par école")
    table.get_by_role("link", name="Actifs sur 30 jours").click()  # the least active school first
    expect(table.locator("th[aria-sort=ascending]")).to_have_count(1)
    expect(table.locator("tbody th").first).to_have_text("École du Moulin")
    table.get_by_role("link", name="Actifs sur 30 jours").click()  # again: the most active first
    expect(table.locator("th[aria-sort=descending]")).to_have_count(1)
    expect(table.locator("tbody th").first).to_have_text("École des Tilleuls")

    section = page.locator("section", has=page.get_by_role("heading", name="Par école"))
    with page.expect_download() as download_info:
        section.get_by_role("link", name="Télécharger ce tableau").click()
    download = download_info.value
    assert download.suggested_filename == "tableau-de-bord-ecoles.csv"
    text = Path(download.path()).read_bytes().decode("utf-8-sig")
    rows = {row[0]: row[1:5] for row in csv.reader(io.StringIO(text), delimiter=";")}
    # Expected, activated, seen in 7 days, seen in 30 days.
    assert rows["École des Tilleuls"] == ["2", "2", "1", "1"]
    assert rows["École du Moulin"] == ["1", "1", "0", "0"]

    page.set_viewport_size({"width": 390, "height": 800})
    assert axe_violations(page) == []
    assert errors == []
