"""Accueil's per-person panels (and a feed's filters) are kept in the shared cache (``accounts.roles.kept_for``), and show a
change at once: each app's version is bumped by its rows' signals and by its services' bulk writes."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts import roles
from accounts.models import Role
from news.models import PostStatus
from resources import samples
from resources import services as resource_services
from resources.models import Theme
from tests.factories import NotebookFactory, make_member
from tests.news.factories import PostFactory

pytestmark = pytest.mark.django_db
HOME = reverse("accounts:home")


def _home(client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as log:
        text = client.get(HOME).content.decode()
    return text, len(log)


def _unread_panel(text: str) -> str:
    return text[text.index('id="accueil-actualites"') :].split("</section>")[0]


def test_a_post_published_then_opened_leaves_the_unread_panel_at_once(director, counsellor, client_as):
    client = client_as(director)
    _home(client)
    _, warm = _home(client)
    post = PostFactory(title="Sortie au musée", author=counsellor)
    text, _ = _home(client)
    assert "Sortie au musée" in _unread_panel(text)
    assert _home(client)[1] == warm  # kept again

    assert client.get(post.get_absolute_url()).status_code == 200  # services.post_mark_read
    assert "Sortie au musée" not in _unread_panel(_home(client)[0])


def test_an_acknowledgement_by_a_co_director_clears_it_for_both(director, school, counsellor, client_as):
    co_director = make_member(Role.DIRECTOR, school)
    post = PostFactory(title="Enquête rentrée", directors=True, requires_ack=True, author=counsellor)
    other = client_as(co_director)
    assert "Enquête rentrée" in _home(other)[0]
    mine = client_as(director)
    assert "Enquête rentrée" in _home(mine)[0]

    assert mine.post(reverse("news:acknowledge", args=[post.pk])).status_code in (200, 302)
    for client in (mine, other):
        todo = _home(client)[0]
        assert (
            "Accusés de lecture attendus" not in todo
            or "Enquête rentrée" not in todo.split("Accusés de lecture attendus")[1]
        )


def test_a_post_expired_leaves_the_panel_within_the_delay(director, counsellor, client_as, monkeypatch):
    """No write follows an expiry: the panel is kept 15 minutes at most (``KEPT_FOR``, the cache's own
    timeout: a real Redis does not follow the tests' clock) and per day (the key names the day)."""
    timeouts = []
    cached = roles.versions.cached

    def spied(names, what, compute, timeout=None):
        timeouts.append((what.split(":")[0], timeout))
        return cached(names, what, compute, timeout)

    monkeypatch.setattr(roles.versions, "cached", spied)
    client = client_as(director)
    PostFactory(title="Dernier jour", author=counsellor, expires_at=timezone.now() + dt.timedelta(hours=2))
    assert "Dernier jour" in _unread_panel(_home(client)[0])
    assert ("news", roles.KEPT_FOR) in timeouts and roles.KEPT_FOR == 15 * 60
    with time_machine.travel(timezone.now() + dt.timedelta(days=1)):  # expired, and another day: another key
        assert "Dernier jour" not in _home(client)[0]


def test_a_new_document_shows_then_goes_once_opened(teacher, client_as):
    ien = make_member(Role.IEN)
    folder = resource_services.folder_create(actor=ien, theme=Theme.ADMINISTRATIVE, name="PPMS")
    client = client_as(teacher)
    assert "Plan de mise en sûreté" not in _home(client)[0]
    document = resource_services.document_create(
        folder=folder, file=samples.pdf_file("PPMS", "Exercice"), actor=ien, title="Plan de mise en sûreté"
    )
    assert "Plan de mise en sûreté" in _home(client)[0]
    assert client.get(reverse("resources:document", args=[document.pk])).status_code == 200
    assert "Plan de mise en sûreté" not in _home(client)[0]


def test_a_school_named_contributor_sees_the_notebook_at_once(teacher, school, counsellor, client_as):
    notebook = NotebookFactory(title="Carnet des saisons", created_by=counsellor)
    client = client_as(teacher)
    assert "Carnet des saisons" not in _home(client)[0]
    notebook.contributor_structures.add(school)  # m2m_changed
    assert "Carnet des saisons" in _home(client)[0]
    notebook.contributor_structures.remove(school)
    assert "Carnet des saisons" not in _home(client)[0]


def test_accueil_with_nothing_kept_costs_the_same_with_ten_times_the_rows(director, counsellor, client_as):
    client = client_as(director)

    def cold(count):
        PostFactory.create_batch(count, author=counsellor)
        PostFactory.create_batch(count, author=counsellor, status=PostStatus.ARCHIVED)
        PostFactory.create_batch(count, directors=True, requires_ack=True, author=counsellor)
        NotebookFactory.create_batch(count, created_by=director)
        client.get(HOME)  # the per-process caches (content types…)
        cache.clear()
        return _home(client)[1]

    assert cold(3) == cold(27)


def test_a_feeds_filter_lists_a_new_author_and_month_at_once(teacher, counsellor, client_as):
    url = reverse("news:feed", args=["pedagogie"])
    client = client_as(teacher)
    PostFactory(author=counsellor, published_at=timezone.now() - dt.timedelta(days=40))
    client.get(url)
    newcomer = make_member(Role.CPC, first_name="Nadia", last_name="Bensaïd")
    PostFactory(author=newcomer)
    authors = client.get(url).context["form"].fields["auteur"].choices
    assert any("Bensaïd" in str(label) for _, label in authors)
