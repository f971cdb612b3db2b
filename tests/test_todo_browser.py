"""One journey in a real browser: the counsellor signs in (with a two-factor code), sees on Accueil
the proposal to validate and the empty week of the tutorial series, validates the proposal from
there, and back on Accueil the item is gone."""

from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from blogs.weeks import monday_of
from news.models import Post, PostStatus
from tests.blogs.factories import SeriesFactory
from tests.factories import make_member
from tests.news.factories import PostFactory
from tests.news.test_browser import SECRET, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_counsellor_validates_a_proposal_from_accueil(live_server, page, school):
    counsellor = make_member(Role.CPC, first_name="Adrian", last_name="Conseiller")
    TOTP.activate(counsellor, SECRET)
    teacher = make_member(Role.TEACHER, school, first_name="Thomas", last_name="Enseignant")
    proposal = PostFactory(author=teacher, title="Notre correspondance", status=PostStatus.SUBMITTED, published_at=None)
    # This week is the series' 15th (no holidays are loaded), and nobody wrote its tutorial yet.
    SeriesFactory(series_start=monday_of(timezone.localdate()) - timedelta(weeks=14), contributors=[counsellor])
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    log_in(page, live_server.url, counsellor.email, totp=True)
    todo = page.locator("section", has=page.get_by_role("heading", name="À faire"))
    expect(todo.get_by_role("link", name="1 proposition à valider")).to_be_visible()
    expect(todo.get_by_role("link", name="Semaine 15 : aucun tutoriel")).to_be_visible()
    expect(todo).to_contain_text("« Notre correspondance »")

    todo.get_by_role("link", name="1 proposition à valider").click()
    page.get_by_role("button", name="Valider et publier").click()
    expect(page.get_by_text("L’actualité est publiée.")).to_be_visible()
    proposal.refresh_from_db()
    assert proposal.status == PostStatus.PUBLISHED

    page.get_by_role("link", name="Accueil").first.click()
    page.wait_for_url(f"{live_server.url}/")
    expect(todo.get_by_role("link", name="Semaine 15 : aucun tutoriel")).to_be_visible()
    expect(page.get_by_text("proposition à valider")).to_have_count(0)
    assert Post.objects.filter(status=PostStatus.SUBMITTED).count() == 0
    assert errors == []
