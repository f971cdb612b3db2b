"""The page's frame (``ent.frame``): drawn once per process for each set of the values it shows, and
showing at once whatever of those changes (the person's name, the unread counts, the section, the
district's name, the query typed)."""

import re

import pytest
from django.urls import reverse

from accounts.models import District
from ent import frame
from ent.header import unread_changed
from notifications import services as notification_services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
HELP = reverse("search:help")


@pytest.fixture(autouse=True)
def _fresh():
    frame._drawn.cache_clear()


def _page(client, url=HELP) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _without_tokens(html: str) -> str:
    return re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', r"\1", html)


def _nav_current(html: str) -> str:
    nav = html[html.index('id="navigation-principale"') :].split("</nav>")[0]
    return nav.split('aria-current="page">')[1].split("<")[0]


def test_the_frame_is_drawn_once_for_the_same_values(director, client_as):
    client = client_as(director)
    first = _page(client)
    drawn = frame._drawn.cache_info().misses
    second = _page(client)
    assert frame._drawn.cache_info().misses == drawn  # head, top and bottom remembered
    assert first.split("<main")[0].count("<header") == 1
    assert _without_tokens(first) == _without_tokens(second)


def test_the_sign_out_form_posts_with_the_request_s_own_token(director, client_as):
    client = client_as(director)
    client.handler.enforce_csrf_checks = True
    html = _page(client)
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = client.post(reverse("account_logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert not client.get(reverse("accounts:home")).wsgi_request.user.is_authenticated


def test_a_new_name_shows_at_once(director, client_as):
    client = client_as(director)
    assert director.get_full_name() in _page(client)
    director.first_name, director.last_name = "Noémie", "Arnaud"
    director.save()
    assert "Noémie Arnaud" in _page(client)


def test_each_person_has_their_own_header(director, client_as):
    other = UserFactory(first_name="Yves", last_name="Perrin")
    assert director.get_full_name() in _page(client_as(director))
    html = _page(client_as(other))
    assert "Yves Perrin" in html
    assert director.get_full_name() not in html


def test_the_bell_and_the_menu_count_what_is_unread(director, client_as):
    client = client_as(director)
    assert "Notifications (" not in _page(client)
    notification_services.notify(
        kind="news.published", actor=None, target=None, text="Nouvelle actualité", url="/", recipients=[director]
    )
    unread_changed([director.pk])
    assert "Notifications (1 non lue)" in _page(client)


def test_the_menu_marks_the_current_section(director, client_as):
    client = client_as(director)
    assert _nav_current(_page(client, reverse("accounts:home"))) == "Accueil"
    assert _nav_current(_page(client, reverse("accounts:directory"))) == "Écoles"
    assert _nav_current(_page(client, reverse("timeline:frise"))) == "Frise chronologique"


def test_the_search_field_keeps_the_query_on_the_results_page_only(director, client_as):
    client = client_as(director)
    assert 'value="tutoriel"' in _page(client, reverse("search:results") + "?q=tutoriel")
    assert 'value="tutoriel"' not in _page(client, reverse("search:help") + "?q=tutoriel")


def test_the_district_s_new_name_shows_in_the_header_and_the_footer(director, client_as):
    client = client_as(director)
    _page(client)
    district = District.objects.order_by("pk").first() or District.objects.create(name="Circonscription")
    district.name = "Circonscription de Lons-le-Saunier"
    district.save()
    html = _page(client)
    header, footer = html.split("<main")[0], html.split("</main>")[1]
    assert "ENT Circonscription de Lons-le-Saunier" in header
    assert "la Circonscription de Lons-le-Saunier" in footer


def test_someone_signed_out_sees_no_menu(client):
    html = _page(client, reverse("account_login"))
    assert 'id="navigation-principale"' not in html
    assert "Se connecter" in html
