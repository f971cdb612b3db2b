"""Reading: the feeds, « Nouveau », filters, the week, the home panel, and what they cost."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from news.models import PostRead, PostStatus
from tests.todo_html import todo_items_in

from .factories import PostFactory


def _cards(response) -> int:
    return len(re.findall(r'news-post-card[ "]', response.text))


def _count_and_cards(response) -> tuple[int, int]:
    """The feed's « N actualités » and the cards it draws, read in the page (a kept list has no context)."""
    return int(re.search(r"(\d+) actualités?</p>", response.text).group(1)), _cards(response)


def test_feed_page_cost_does_not_grow(teacher, client_as, assert_flat_queries):
    _, second = assert_flat_queries(
        client_as(teacher),
        reverse("news:feed", args=["pedagogie"]),
        PostFactory.create_batch,
        rows=10,
        # The person only: the navigation's counts, the filter's months and authors and the list
        # itself are kept (per person and address, under their versions). The first drawing after a
        # change is pinned in test_feed_kept.py.
        queries=1,
        shown=_count_and_cards,
        expect=[(10, 10), (100, 10)],
    )
    assert "100 actualités" in second.text


def _archived_cards(response) -> int:
    return response.text.count(">Actualité archivée</a>")


def _news_home(response):
    panel = response.text.split('id="accueil-actualites"')[1].split("</section>")[0]  # drawn, then kept as HTML
    # The acknowledgements owed are in « À faire » (its "et N autres" line aside).
    items = todo_items_in(response.text)
    owed = [i for i in items if i.group == "Accusés de lecture attendus" and i.text[:3] != "et "]
    return panel.count('class="fr-badge fr-badge--new'), len(owed)


@pytest.mark.parametrize(
    ("url", "queries", "shown", "expect"),
    [
        # Three per feed (pedagogy and directors) on the index; the week holds the archived ones too.
        # The unread messages of the navigation, and the latest ones Accueil lists (mail), are in the cache.
        (reverse("news:index"), 4, _cards, [6, 6]),
        (reverse("news:week"), 3, _cards, [9, 10]),
        (
            reverse("accounts:home"),
            1,  # the person: every panel is kept per person (accounts.roles.kept_for), the rows bumped it
            _news_home,
            [(5, 3), (5, 5)],
        ),
        # The person only: the filter and the list are kept (the first drawing: test_feed_kept.py).
        (reverse("news:archive", args=["pedagogie"]), 1, _archived_cards, [3, 10]),
    ],
    ids=["index", "week", "home", "archive"],
)
@time_machine.travel(dt.datetime(2026, 3, 11, 10, tzinfo=dt.UTC), tick=False)  # a Wednesday: one week
def test_other_pages_cost_does_not_grow(
    director, counsellor, client_as, assert_flat_queries, url, queries, shown, expect
):
    def make_rows(count):
        PostFactory.create_batch(count, author=counsellor)
        PostFactory.create_batch(count, author=counsellor, status=PostStatus.ARCHIVED, title="Actualité archivée")
        PostFactory.create_batch(count, directors=True, requires_ack=True, author=counsellor)

    assert_flat_queries(client_as(director), url, make_rows, rows=3, queries=queries, shown=shown, expect=expect)


def test_pinned_first_then_newest_and_new_until_opened(teacher, client_as):
    now = timezone.now()
    old_pinned = PostFactory(title="Épinglée ancienne", pinned=True, published_at=now - dt.timedelta(days=9))
    PostFactory(title="Récente", published_at=now - dt.timedelta(hours=1))
    PostFactory(title="Moins récente", published_at=now - dt.timedelta(days=2))
    client = client_as(teacher)
    page = client.get(reverse("news:feed", args=["pedagogie"]))
    titles = [p.title for p in page.context["page"]]
    assert titles == ["Épinglée ancienne", "Récente", "Moins récente"]
    assert all(not p.is_read for p in page.context["page"])
    assert page.content.decode().count(">Nouveau</p>") == 3
    client.get(old_pinned.get_absolute_url())
    client.get(old_pinned.get_absolute_url())
    assert PostRead.objects.filter(user=teacher).count() == 1
    page = client.get(reverse("news:feed", args=["pedagogie"]))
    assert [p.is_read for p in page.context["page"]] == [True, False, False]


def test_pagination(teacher, client_as):
    PostFactory.create_batch(12)
    client = client_as(teacher)
    first = client.get(reverse("news:feed", args=["pedagogie"]))
    second = client.get(reverse("news:feed", args=["pedagogie"]) + "?page=2")
    assert len(first.context["page"]) == 10 and len(second.context["page"]) == 2


def test_filters_by_month_and_author(teacher, counsellor, inspector, client_as):
    march = dt.datetime(2026, 3, 10, 10, tzinfo=dt.UTC)
    with time_machine.travel(dt.datetime(2026, 4, 20, 10, tzinfo=dt.UTC)):
        PostFactory(title="Mars par le conseiller", author=counsellor, published_at=march)
        PostFactory(title="Avril par le conseiller", author=counsellor, published_at=march + dt.timedelta(days=30))
        PostFactory(title="Mars par l’inspectrice", author=inspector, published_at=march + dt.timedelta(days=1))
        client = client_as(teacher)
        url = reverse("news:feed", args=["pedagogie"])
        page = client.get(url)
        assert "Mars 2026" in page.content.decode() and "Avril 2026" in page.content.decode()
        by_month = [p.title for p in client.get(url, {"mois": "2026-03"}).context["page"]]
        assert sorted(by_month) == ["Mars par le conseiller", "Mars par l’inspectrice"]
        both = [p.title for p in client.get(url, {"mois": "2026-03", "auteur": counsellor.pk}).context["page"]]
        assert both == ["Mars par le conseiller"]
        htmx = client.get(url, {"auteur": inspector.pk}, HTTP_HX_REQUEST="true")
        assert htmx.content.decode().lstrip().startswith('<div id="resultats"')
        assert "Mars par l’inspectrice" in htmx.content.decode()
        # A bogus filter is ignored, not an error.
        assert client.get(url, {"mois": "n’importe quoi", "auteur": "x"}).status_code == 200


@pytest.mark.django_db
def test_week_is_monday_to_sunday_in_paris(teacher, director, client_as):
    # Sunday 15 March 2026, 23:30 in Paris (22:30 UTC) belongs to the week of Monday 9 March.
    with time_machine.travel(dt.datetime(2026, 3, 15, 22, 45, tzinfo=dt.UTC), tick=False):
        PostFactory(title="Lundi matin", published_at=dt.datetime(2026, 3, 8, 23, 30, tzinfo=dt.UTC))  # Mon 00:30 Paris
        PostFactory(title="Dimanche soir", published_at=dt.datetime(2026, 3, 15, 22, 30, tzinfo=dt.UTC))
        PostFactory(
            title="Dimanche d’avant", published_at=dt.datetime(2026, 3, 8, 22, 30, tzinfo=dt.UTC)
        )  # Sun 23:30 Paris
        PostFactory(
            title="Projet de la semaine", projects=True, published_at=dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC)
        )
        PostFactory(title="Note de la semaine", directors=True, published_at=dt.datetime(2026, 3, 11, 9, tzinfo=dt.UTC))
        teacher_titles = {p.title for p in client_as(teacher).get(reverse("news:week")).context["page"]}
        director_titles = {p.title for p in client_as(director).get(reverse("news:week")).context["page"]}
    assert teacher_titles == {"Lundi matin", "Dimanche soir", "Projet de la semaine"}
    assert director_titles == teacher_titles | {"Note de la semaine"}


def test_home_panel_shows_newest_unread(teacher, client_as):
    PostFactory(title="Déjà lue")
    PostFactory(title="Pas encore lue")
    client = client_as(teacher)
    from news.models import Post

    client.get(Post.objects.get(title="Déjà lue").get_absolute_url())
    home = client.get(reverse("accounts:home")).content.decode()
    assert "Pas encore lue" in home and "Déjà lue" not in home


def test_post_page_shows_the_essentials(teacher, counsellor, client_as):
    post = PostFactory(
        title="Animation", author=counsellor, summary="Le résumé", body="<p>Le <strong>texte</strong></p>"
    )
    page = client_as(teacher).get(post.get_absolute_url()).content.decode()
    assert "<h1" in page and "Animation" in page and "Le résumé" in page and "Le <strong>texte</strong>" in page
    assert counsellor.get_full_name() in page
    assert "Modifier" not in page  # a teacher does not manage it


def test_nav_has_actualites_right_after_accueil(teacher, client_as):
    page = client_as(teacher).get(reverse("news:index")).content.decode()
    nav = page.split('id="navigation-principale"', 1)[1].split("</nav>", 1)[0]
    assert nav.index(">Accueil<") < nav.index(">Actualités<") < nav.index(">Écoles<")
    assert 'aria-current="page">Actualités<' in nav


def test_opening_a_post_marks_its_notifications_read(counsellor, teacher, client_as):
    from news.services import PostInput, post_create, post_publish
    from notifications.models import Notification

    post = post_publish(
        actor=counsellor, post=post_create(actor=counsellor, feed="pedagogie", data=PostInput(title="Lue", summary="r"))
    )
    notification = Notification.objects.get(recipient=teacher, target_id=post.pk)
    assert notification.read_at is None
    client_as(teacher).get(post.get_absolute_url())
    notification.refresh_from_db()
    assert notification.read_at is not None


def _writes(log) -> list[str]:
    return [query["sql"] for query in log.captured_queries if query["sql"].split()[0].upper() in ("INSERT", "UPDATE")]


def test_opening_a_post_again_writes_nothing(teacher, client_as):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.notifications.factories import NotificationFactory

    post = PostFactory()
    notification = NotificationFactory(recipient=teacher, target=post)
    client = client_as(teacher)
    url = reverse("news:post-detail", args=[post.pk])
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    # The first opening: the read marker, and the notification about the post marked read.
    assert len(_writes(first)) == 2
    assert PostRead.objects.filter(post=post, user=teacher).exists()
    notification.refresh_from_db()
    assert notification.read_at is not None
    with CaptureQueriesContext(connection) as second:
        assert client.get(url).status_code == 200
    assert _writes(second) == []
    # A new notification about it: the next opening marks it read, and writes no marker again.
    fresh = NotificationFactory(recipient=teacher, target=post)
    with CaptureQueriesContext(connection) as third:
        assert client.get(url).status_code == 200
    writes = _writes(third)
    assert len(writes) == 1 and writes[0].split()[0].upper() == "UPDATE"
    fresh.refresh_from_db()
    assert fresh.read_at is not None
