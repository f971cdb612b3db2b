"""``ent.fragments``: a part of a page drawn once per person and address, kept under its data's
versions, with the request's own CSRF token put back every time."""

import pytest
from django.core.cache import cache
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.test import RequestFactory

from accounts.roles import people_changed
from ent import fragments, versions
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TEMPLATE = "tests_fragments/list.html"


@pytest.fixture(autouse=True)
def _template(settings, tmp_path):
    (tmp_path / "tests_fragments").mkdir()
    (tmp_path / "tests_fragments" / "list.html").write_text(
        '<ul>{% for item in items %}<li>{{ item }}</li>{% endfor %}</ul><form method="post">{% csrf_token %}</form>'
    )
    templates = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]
    settings.TEMPLATES = templates
    cache.clear()


class Drawn:
    """The fragment's context, counting how often it was asked for."""

    def __init__(self, *items):
        self.items, self.calls = list(items), 0

    def __call__(self):
        self.calls += 1
        return {"items": list(self.items)}


def _request(user, path="/liste/"):
    request = RequestFactory().get(path)
    request.user = user
    return request


def _kept(request, context, names=("tests:liste",)):
    return fragments.kept_for(request, "liste", names, TEMPLATE, context)


def test_a_fragment_is_drawn_once_then_kept_until_its_version_changes():
    person, context = UserFactory(), Drawn("Sortie au musée")
    assert "<li>Sortie au musée</li>" in _kept(_request(person), context)
    context.items.append("Conseil des maîtres")
    assert "Conseil des maîtres" not in _kept(_request(person), context)
    assert context.calls == 1

    versions.bump("tests:liste")
    assert "<li>Conseil des maîtres</li>" in _kept(_request(person), context)
    assert context.calls == 2


def test_each_person_and_each_address_has_its_own_copy():
    person, other, context = UserFactory(), UserFactory(), Drawn("Sortie")
    _kept(_request(person), context)
    _kept(_request(other), context)
    _kept(_request(person, "/liste/?page=2"), context)
    _kept(_request(person), context)
    assert context.calls == 3


def test_a_membership_change_draws_the_person_s_copy_again():
    person, context = UserFactory(), Drawn("Sortie")
    _kept(_request(person), context)
    people_changed([person.pk])
    _kept(_request(person), context)
    assert context.calls == 2


def test_the_csrf_token_is_the_request_s_own_every_time():
    person, context = UserFactory(), Drawn("Sortie")
    first, second = _request(person), _request(person)
    first_html, second_html = _kept(first, context), _kept(second, context)
    assert context.calls == 1
    assert fragments.CSRF_PLACEHOLDER not in first_html + second_html

    def token(html):
        return html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]

    assert token(first_html) != token(second_html)  # masked afresh: never the same bytes twice
    for request, html in ((first, first_html), (second, second_html)):
        secret = _unmask_cipher_token(get_token(request))
        assert _unmask_cipher_token(token(html)) == secret


def test_an_administrator_s_rights_are_in_the_key():
    """Being an administrator is in no membership (no version says it): the key does."""
    person, context = UserFactory(), Drawn("Sortie")
    _kept(_request(person), context)
    type(person).objects.filter(pk=person.pk).update(is_superuser=True)  # no signal, no version bumped
    person.refresh_from_db()
    _kept(_request(person), context)
    assert context.calls == 2
