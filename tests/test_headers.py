"""Headers every page sends: no browser cache for signed-in people, and a Permissions-Policy."""

import pytest
from django.urls import reverse

from news.models import FeedToken
from tests.timeline.factories import EventFactory

pytestmark = pytest.mark.django_db

SIGNED_IN_PAGES = [
    "accounts:home",
    "accounts:directory",
    "accounts:profile",
    "news:week",
    "timeline:frise",
    "blogs:blog-list",
    "notifications:list",
]


def _policy(response) -> dict[str, str]:
    return dict(item.strip().split("=", 1) for item in response["Permissions-Policy"].split(","))


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_pages_for_a_signed_in_person_are_kept_in_no_browser_cache(client_as, teacher, name):
    response = client_as(teacher).get(reverse(name))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_a_refusal_to_a_signed_in_person_is_not_cached_either(client_as, teacher):
    response = client_as(teacher).get("/actualites/billet/999999/")

    assert response.status_code == 404
    assert response["Cache-Control"] == "private, no-store"


def test_a_redirect_after_a_form_is_not_cached_either(client_as, teacher):
    response = client_as(teacher).post(reverse("accounts:profile"), {"first_name": "Tom", "last_name": "Enseignant"})

    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"


def test_anonymous_pages_and_static_files_keep_their_caching(client, client_as, teacher):
    key = FeedToken.objects.create(user=teacher).key
    feed = client.get(reverse("news:atom", args=[key, "pedagogie"]))
    assert feed.status_code == 200
    assert "Cache-Control" not in feed
    missing = client.get("/page-inconnue/")
    assert missing.status_code == 404
    assert "Cache-Control" not in missing

    static = client_as(teacher).get("/static/ent/ent.css")
    assert static.status_code == 200
    assert "no-store" not in static.get("Cache-Control", "")


def test_a_view_that_chose_its_own_caching_keeps_it(client_as, teacher):
    # An event's .ics says « private, no-cache » itself (calendar apps revalidate it).
    event = EventFactory()
    response = client_as(teacher).get(reverse("timeline:event-ics", args=[event.pk]))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_page_allows_the_microphone_on_the_site_only_and_nothing_else(client, client_as, teacher, signed_in):
    browser = client_as(teacher) if signed_in else client
    for url in [reverse("account_login"), "/page-inconnue/", reverse("accounts:home")]:
        policy = _policy(browser.get(url))

        assert policy.pop("microphone") == "(self)"
        assert {"camera", "geolocation", "display-capture", "usb", "payment"} <= set(policy)
        assert set(policy.values()) == {"()"}
