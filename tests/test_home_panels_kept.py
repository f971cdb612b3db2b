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


def test_a_post_expired_leaves_the_panel_within_the_delay(director, counsellor, client_as, kept_timeouts):
    """No write follows an expiry: the panel is kept 15 minutes at most (``KEPT_FOR``, the cache's own
    timeout: a real Redis does not follow the tests' clock) and per day (the key names the day)."""
    client = client_as(director)
    PostFactory(title="Dernier jour", author=counsellor, expires_at=timezone.now() + dt.timedelta(hours=2))
    assert "Dernier jour" in _unread_panel(_home(client)[0])
    assert kept_timeouts.of("news") == {roles.KEPT_FOR} and roles.KEPT_FOR == 15 * 60
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


def _drawn(response) -> set[str]:
    return {template.name for template in response.templates}


KEPT_PANELS = {
    "news/home_panel.html",
    "notifications/home_panel.html",
    "mail/home_panel.html",
    "timeline/home_panel.html",
    "resources/home_panel.html",
    "notebooks/home_panel.html",
    "blogs/home_panel.html",
    "accounts/app_links_panel.html",
}


def test_the_panels_are_kept_drawn_and_the_same_page_comes_back(director, counsellor, client_as):
    from tests.notifications.factories import NotificationFactory

    PostFactory(title="Sortie au musée", author=counsellor)
    NotificationFactory(recipient=director, text="Nouveau billet")
    client = client_as(director)
    first = client.get(HOME)
    assert {"news/home_panel.html", "notifications/home_panel.html"} <= _drawn(first)
    second = client.get(HOME)
    assert not KEPT_PANELS & _drawn(second)  # read back as HTML: neither their queries nor their drawing
    panels = second.content.decode().split("<main")[1].split('id="mes-structures"')[0]
    assert "Sortie au musée" in panels and "Nouveau billet" in panels


def test_the_notifications_panel_says_how_long_ago_to_the_minute(director, client_as, kept_timeouts):
    """« il y a 5 minutes » is kept a minute at most (``fragments.RELATIVE_TIMES``), the other panels 15."""
    from ent import fragments
    from tests.notifications.factories import NotificationFactory

    NotificationFactory(recipient=director, text="Nouveau billet", created_at=timezone.now() - dt.timedelta(minutes=5))
    client = client_as(director)
    assert "il y a 5 minutes" in _home(client)[0]
    assert kept_timeouts.of("html", "home", "notifications") == {fragments.RELATIVE_TIMES} == {60}
    assert kept_timeouts.of("html", "home", "news") == {roles.KEPT_FOR}
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=2)):
        cache.clear()  # what the cache's timeout does after a minute (a real Redis does not follow the tests' clock)
        assert "il y a 7 minutes" in _home(client)[0]


def test_a_notification_opened_leaves_the_panel_at_once(director, client_as):
    from tests.notifications.factories import NotificationFactory

    notification = NotificationFactory(recipient=director, text="Nouveau billet")
    client = client_as(director)
    assert "Nouveau billet" in _home(client)[0]
    client.get(reverse("notifications:open", args=[notification.pk]))
    assert "Nouveautés pour vous" not in _home(client)[0]


def test_a_new_tutorial_and_a_new_outside_service_show_at_once(director, client_as):
    """« Mes applis » and the latest weekly tutorial are kept as HTML too (``app_links``,
    ``blogs:content`` and ``holidays``)."""
    from accounts.models import AppLink
    from tests.blogs.factories import PostFactory as BlogPostFactory
    from tests.blogs.factories import SeriesFactory

    series = SeriesFactory()
    BlogPostFactory(blog=series, title="Premier tutoriel")
    client = client_as(director)
    text, _ = _home(client)
    assert "Premier tutoriel" in text and 'id="accueil-applis"' not in text
    assert not {"blogs/home_panel.html"} & _drawn(client.get(HOME))  # kept

    BlogPostFactory(blog=series, title="Deuxième tutoriel", published_at=timezone.now())
    link = AppLink.objects.create(name="ONDE", description="La base élèves", url="https://onde.example.fr", order=1)
    text, _ = _home(client)
    assert "Deuxième tutoriel" in text and "ONDE" in text.split('id="accueil-applis"')[1]
    link.name = "ONDE (base élèves)"
    link.save()
    assert "ONDE (base élèves)" in _home(client)[0]
