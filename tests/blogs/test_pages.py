"""Reading the blogs: lists, archives, tags, feeds, the "Accueil" panel, printing; costs that do not grow."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import private_key_renew
from blogs.models import Blog, FeedToken, Post, Tag
from blogs.selectors import blog_version
from ent import versions

from .factories import CommentFactory, PostFactory, SeriesFactory, TagFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def _posts(blog, author, count, **fields):
    tags = [TagFactory(name="Digipad"), TagFactory(kind=Tag.Kind.CYCLE, name="Cycle 3")]
    for _ in range(count):
        post = PostFactory(blog=blog, author=author, **fields)
        post.tags.set(tags)
        CommentFactory(post=post, author=author)


def _cards(response):
    return response.context["page"].paginator.count, response.text.count('class="blogs-card')


def _listing(text: str) -> str:
    """The part of a blog's page that is kept (``views._blog_page``): its cards, pagination and sidebar."""
    return text[text.index('<section id="billets"') : text.index("</aside>")]


@pytest.fixture
def assert_flat_blog_page(assert_flat_kept_queries):
    """A blog's page pinned drawn (its list drawn again after a post of the blog changed, as
    ``blog:<pk>`` says) and kept (``views._blog_page``: its header and list, and the blog itself,
    ``selectors.blog_for_reading``, leave only the person's query). Drawn again, the sidebar (the
    archive months and tags, kept under that version too) is read again with it. ``shown`` is read on the drawn page (its context)."""

    def check(client, blog, make_rows, **pins):
        return assert_flat_kept_queries(
            client,
            reverse("blogs:blog-detail", args=[blog.slug]),
            make_rows,
            forget=lambda: versions.bump(blog_version(blog.pk)),  # as a post saved does
            part=_listing,
            **pins,
        )[-1]

    return check


def test_the_blog_page_costs_the_same_for_10_and_100_posts(client_as, teacher, counsellor, blog, assert_flat_blog_page):
    second = assert_flat_blog_page(
        client_as(teacher),
        blog,
        lambda count: _posts(blog, counsellor, count),
        rows=10,
        drawn=8,
        kept=1,
        shown=_cards,
        expect=[(10, 10), (100, 10)],
    )
    assert "Page suivante" in second.text


def test_a_series_page_costs_the_same_for_10_and_100_posts(client_as, teacher, counsellor, assert_flat_blog_page):
    series = SeriesFactory(series_start=date(2024, 9, 2), contributors=[counsellor])
    weeks = iter(date(2024, 9, 2) + timedelta(weeks=week) for week in range(100))

    def make_rows(count):
        for _ in range(count):
            PostFactory(blog=series, author=counsellor, week_start=next(weeks))

    assert_flat_blog_page(
        client_as(teacher),
        series,
        make_rows,
        rows=10,
        drawn=8,
        kept=1,
        shown=lambda response: (*_cards(response), response.text.count("Semaine ")),
        expect=[(10, 10, 10), (100, 10, 10)],
    )


def test_the_blog_list_costs_the_same_for_few_and_many_blogs(
    client_as, teacher, counsellor, school, assert_flat_queries
):
    from .factories import BlogFactory

    def make_rows(count):
        for blog in BlogFactory.create_batch(count, owner_kind=Blog.OwnerKind.SCHOOL):
            blog.owner_structures.set([school])  # its card names the school
            PostFactory(blog=blog, author=counsellor)

    assert_flat_queries(
        client_as(teacher),
        reverse("blogs:blog-list"),
        make_rows,
        rows=3,
        queries=4,
        shown=lambda response: (
            response.context["page"].paginator.count,
            response.text.count('<li class="fr-col-12 fr-col-md-6 fr-col-lg-4">'),
            response.text.count("1 billet · dernier le"),
        ),
        expect=[(3, 3, 3), (30, 20, 20)],
    )


def test_the_newest_posts_come_first(client_as, teacher, counsellor, blog):
    PostFactory(blog=blog, author=counsellor, title="Ancien", published_at=timezone.now() - timedelta(days=9))
    PostFactory(blog=blog, author=counsellor, title="Récent", published_at=timezone.now() - timedelta(days=1))
    text = client_as(teacher).get(reverse("blogs:blog-detail", args=[blog.slug])).text
    assert text.index("Récent") < text.index("Ancien")


def test_archive_by_month_and_tag_pages(client_as, teacher, counsellor, blog):
    march = PostFactory(
        blog=blog, author=counsellor, title="Billet de mars", published_at=datetime(2026, 3, 10, 9, tzinfo=PARIS)
    )
    PostFactory(
        blog=blog, author=counsellor, title="Billet d’avril", published_at=datetime(2026, 4, 2, 9, tzinfo=PARIS)
    )
    # Published at 00:30 on 1 April in Paris (22:30 UTC on 31 March): it belongs to April.
    PostFactory(
        blog=blog, author=counsellor, title="Minuit passé", published_at=datetime(2026, 4, 1, 0, 30, tzinfo=PARIS)
    )
    digipad = TagFactory(name="Digipad")
    march.tags.set([digipad])
    client = client_as(teacher)

    home = client.get(reverse("blogs:blog-detail", args=[blog.slug])).text
    assert "Mars 2026" in home and "Avril 2026" in home

    text = client.get(reverse("blogs:archive", args=[blog.slug, 2026, 3])).text
    assert "Billets de mars 2026" in text
    assert "Billet de mars" in text and "Billet d’avril" not in text and "Minuit passé" not in text
    assert "Minuit passé" in client.get(reverse("blogs:archive", args=[blog.slug, 2026, 4])).text
    assert client.get(reverse("blogs:archive", args=[blog.slug, 2026, 13])).status_code == 404

    text = client.get(reverse("blogs:tag", args=[blog.slug, digipad.slug])).text
    assert "Billets : Digipad" in text
    assert "Billet de mars" in text and "Billet d’avril" not in text


def test_a_post_page_shows_its_week_reading_time_neighbours_and_print_styles(client_as, teacher, counsellor):
    series = SeriesFactory(series_start=date(2026, 1, 5), contributors=[counsellor])
    first = PostFactory(
        blog=series,
        author=counsellor,
        title="Premier",
        week_start=date(2026, 3, 16),
        published_at=datetime(2026, 3, 16, 8, tzinfo=PARIS),
    )
    middle = PostFactory(
        blog=series,
        author=counsellor,
        title="Milieu",
        week_start=date(2026, 3, 23),
        published_at=datetime(2026, 3, 23, 8, tzinfo=PARIS),
        body="<p>" + "mot " * 390 + "</p>",
    )
    PostFactory(
        blog=series,
        author=counsellor,
        title="Dernier",
        week_start=date(2026, 3, 30),
        published_at=datetime(2026, 3, 30, 8, tzinfo=PARIS),
    )
    text = client_as(teacher).get(middle.get_absolute_url()).text
    assert "Semaine 12 — du 23 au 27 mars" in text
    assert "Lecture : 2 min" in text
    assert re.search(r"Publié le <time datetime=\"2026-03-23T08:00:00\+01:00\">lundi 23 mars 2026</time>", text)
    assert "Billet précédent : Premier" in text
    assert "Billet suivant : Dernier" in text
    assert "blogs/print.css" in text
    assert "data-blogs-print" in text
    assert first.get_absolute_url() in text


def test_the_short_address_of_a_post_leads_to_its_full_address(client_as, teacher, post):
    response = client_as(teacher).get(reverse("blogs:post-short", args=[post.blog.slug, post.pk]))
    assert response.status_code == 301
    assert response["Location"] == post.get_absolute_url()


def test_accueil_shows_the_latest_tutorial_at_a_constant_cost(
    client_as, teacher, counsellor, django_assert_num_queries
):
    client = client_as(teacher)
    assert "panneau-tutoriel" not in client.get(reverse("accounts:home")).text
    series = SeriesFactory(series_start=date(2026, 1, 5), contributors=[counsellor])
    PostFactory(
        blog=series,
        author=counsellor,
        title="Ancien tuto",
        week_start=date(2026, 1, 5),
        published_at=datetime(2026, 1, 5, 8, tzinfo=PARIS),
    )
    PostFactory(
        blog=series,
        author=counsellor,
        title="Digistorm",
        week_start=date(2026, 1, 12),
        published_at=datetime(2026, 1, 12, 8, tzinfo=PARIS),
    )
    PostFactory(
        blog=series,
        author=counsellor,
        title="Pas encore",
        week_start=date(2026, 1, 19),
        status=Post.Status.SCHEDULED,
        published_at=timezone.now() + timedelta(days=2),
    )
    # The posts just written changed the tutorial's version: the panel is read again (its cache missed);
    # the other panels are kept (no news, document or notebook changed).
    with django_assert_num_queries(4):
        response = client.get(reverse("accounts:home"))
    assert response.status_code == 200
    text = response.text
    assert "Semaine 2 — du 12 au 16 janvier" in text and ">Digistorm</a>" in text
    assert "Pas encore" not in text and "Ancien tuto" not in text
    for week in range(3, 40):
        PostFactory(
            blog=series,
            author=counsellor,
            week_start=date(2026, 1, 5) + timedelta(weeks=week),
            published_at=datetime(2026, 1, 5, 8, tzinfo=PARIS),
        )
    with django_assert_num_queries(3):  # read again (the holidays are in memory now)
        response = client.get(reverse("accounts:home"))
    assert response.status_code == 200
    assert ">Digistorm</a>" in response.text  # older than Digistorm, the new ones do not replace it


def test_accueil_hides_tutorials_from_blogs_one_cannot_read(client_as, rased_member, counsellor):
    series = SeriesFactory(audience="enseignants", contributors=[counsellor])
    PostFactory(blog=series, author=counsellor, title="Réservé", week_start=date(2026, 9, 7))
    assert "Réservé" not in client_as(rased_member).get(reverse("accounts:home")).text


def test_the_nav_has_blogs(client_as, teacher):
    text = client_as(teacher).get(reverse("blogs:blog-list")).text
    assert re.search(r'href="/blogs/" aria-current="page">Blogs</a>', text)


# --- Feeds --------------------------------------------------------------------------------------


def test_a_private_blog_has_a_personal_revocable_feed(client, client_as, teacher, rased_member, blog, post):
    page = client_as(teacher).get(reverse("blogs:subscription", args=[blog.slug]))
    assert "Créer mon lien d’abonnement personnel" in page.text
    client_as(teacher).post(reverse("blogs:subscription", args=[blog.slug]))
    key = teacher.blog_feed_token.key
    url = reverse("blogs:private-feed", args=[blog.slug, key])
    client.logout()
    feed = client.get(url)
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert "Digipad en classe" in feed.content.decode()

    private_key_renew(model=FeedToken, user=teacher)
    assert client.get(url).status_code == 404
    # Someone who may not read the blog gets nothing, even with a valid key of their own.
    rased_key = private_key_renew(model=FeedToken, user=rased_member).key
    assert client.get(reverse("blogs:private-feed", args=[blog.slug, rased_key])).status_code == 404


def test_a_feed_lists_only_published_posts(client, public_blog, public_post, director):
    PostFactory(blog=public_blog, author=director, title="En préparation", status=Post.Status.DRAFT, published_at=None)
    text = client.get(reverse("blogs:feed", args=[public_blog.slug])).content.decode()
    assert "Le potager de l’école" in text
    assert "En préparation" not in text


# --- The editor under the strict CSP -----------------------------------------------------------


def test_the_post_form_needs_no_inline_script_or_style(client_as, counsellor, blog):
    response = client_as(counsellor).get(reverse("blogs:post-create", args=[blog.slug]))
    html = response.text
    policy = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy
    assert "script-src 'self'" in policy
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag, tag
    assert "importmap" not in html
    assert "<style" not in html
    assert not re.search(r'\sstyle="', html)
    assert 'src="/static/ent/prose-editor.js" type="module"' in html
    assert "data-django-prose-editor-configurable" in html


def test_the_editor_assets_are_served_by_the_project(client):
    for path in (
        "/static/ent/prose-editor.js",
        "/static/ent/prose-editor.css",
        "/static/django_prose_editor/editor.js",
        "/static/django_prose_editor/editor.css",
        "/static/blogs/print.css",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        b"".join(response.streaming_content) if response.streaming else response.content
    print_css = client.get("/static/blogs/print.css")
    body = b"".join(print_css.streaming_content) if print_css.streaming else print_css.content
    assert b"@media print" in body


def test_every_contributor_page_is_drawn(client_as, counsellor, teacher, blog, post):
    comment = CommentFactory(post=post, author=teacher)
    client = client_as(counsellor)
    for url in (
        reverse("blogs:blog-create"),
        reverse("blogs:blog-edit", args=[blog.slug]),
        reverse("blogs:post-create", args=[blog.slug]),
        reverse("blogs:post-edit", args=[blog.slug, post.pk]),
        reverse("blogs:preparation", args=[blog.slug]),
        reverse("blogs:moderation", args=[blog.slug]),
        reverse("blogs:subscription", args=[blog.slug]),
        reverse("blogs:comment-report", args=[comment.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'lang="fr"' in response.text


def test_making_a_blog_public_needs_an_explicit_confirmation(client_as, counsellor, blog):
    client = client_as(counsellor)
    url = reverse("blogs:blog-edit", args=[blog.slug])
    data = {
        "title": blog.title,
        "slug": blog.slug,
        "owner_kind": "circonscription",
        "audience": "enseignants",
        "comment_policy": "immediat",
        "contributor_users": [counsellor.pk],
        "is_public": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "ses billets et ses images seront visibles sans connexion" in response.text
    blog.refresh_from_db()
    assert not blog.is_public
    client.post(url, {**data, "confirm_public": "on"})
    blog.refresh_from_db()
    assert blog.is_public


def test_a_project_blog_names_at_least_two_schools(client_as, counsellor, school):
    response = client_as(counsellor).post(
        reverse("blogs:blog-create"),
        {
            "title": "Projet lecture",
            "owner_kind": "projet",
            "owner_structures": [school.pk],
            "audience": "district",
            "comment_policy": "modere",
        },
    )
    assert response.status_code == 200
    assert "Un projet réunit au moins deux écoles" in response.text
    assert 'value="Projet lecture"' in response.text


def test_the_blog_form_names_readers_and_contributors_clearly(client_as, counsellor):
    text = client_as(counsellor).get(reverse("blogs:blog-create")).text
    assert "Lecteurs et lectrices" in text
    assert f"Adrian Conseiller ({counsellor.email})" in text
    assert "Ses billets et toutes ses images deviennent publics" in text


def test_tags_are_offered_in_french_order(client_as, counsellor, blog):
    text = client_as(counsellor).get(reverse("blogs:post-create", args=[blog.slug])).text
    assert (
        text.index("Arts plastiques") < text.index("Éducation musicale") < text.index("Enseignement moral et civique")
    )
    assert text.index("Cycle 1") < text.index("Cycle 3")
