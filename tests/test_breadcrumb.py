"""The one breadcrumb component (templates/components/breadcrumb.html), on the pages of every app."""

import re

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse

from tests.blogs.factories import BlogFactory
from tests.blogs.factories import PostFactory as BlogPostFactory
from tests.news.factories import PostFactory as NewsPostFactory
from tests.timeline.factories import EventFactory

pytestmark = pytest.mark.django_db

NAV = re.compile(r'<nav role="navigation" class="fr-breadcrumb" aria-label="vous êtes ici :">(.*?)</nav>', re.S)
LINK = re.compile(r'<a class="fr-breadcrumb__link"(?: href="([^"]*)")?( aria-current="page")?>([^<]*)</a>')


def crumbs(html: str) -> list[tuple[str, str]]:
    """The breadcrumb as (URL, label) pairs, the current page last with the URL "current"."""
    navs = NAV.findall(html)
    assert len(navs) == 1, "one breadcrumb per page"
    nav = navs[0]
    assert '<button class="fr-breadcrumb__button" aria-expanded="false" aria-controls="fil-ariane">' in nav
    assert '<div class="fr-collapse" id="fil-ariane">' in nav
    links = LINK.findall(nav)
    assert [bool(current) for _, current, _ in links] == [False] * (len(links) - 1) + [True]
    return [("current" if current else url, label) for url, current, label in links]


HOME = (reverse("accounts:home"), "Accueil")


def test_news_pages(client_as, teacher, counsellor):
    post = NewsPostFactory(title="Animation", author=counsellor)
    client = client_as(teacher)
    news = (reverse("news:index"), "Actualités")
    feed = (reverse("news:feed", args=["pedagogie"]), "Actualités pédagogiques")

    assert crumbs(client.get(reverse("news:index")).text) == [HOME, ("current", "Actualités")]
    assert crumbs(client.get(post.get_absolute_url()).text) == [HOME, news, feed, ("current", "Animation")]
    archive = client.get(reverse("news:archive", args=["pedagogie"])).text
    assert crumbs(archive) == [HOME, news, feed, ("current", "Archives")]
    edit = client_as(counsellor).get(reverse("news:post-edit", args=[post.pk])).text
    assert crumbs(edit) == [HOME, news, feed, (post.get_absolute_url(), "Animation"), ("current", "Modifier")]


def test_blog_pages_signed_in_and_out(client, client_as, teacher, counsellor):
    blog = BlogFactory(title="Le blog public", slug="public", is_public=True, contributors=[counsellor])
    post = BlogPostFactory(blog=blog, author=counsellor, title="Un billet")
    blogs = (reverse("blogs:blog-list"), "Blogs")

    assert crumbs(client.get(reverse("blogs:blog-list")).text) == [("current", "Blogs")]  # no Accueil signed out
    assert crumbs(client.get(post.get_absolute_url()).text) == [
        blogs,
        (blog.get_absolute_url(), "Le blog public"),
        ("current", "Un billet"),
    ]
    assert crumbs(client_as(teacher).get(blog.get_absolute_url()).text) == [HOME, blogs, ("current", "Le blog public")]


def test_timeline_notifications_and_accounts_pages(client_as, teacher, school):
    event = EventFactory(title="Conseil des maîtres")
    client = client_as(teacher)
    frise = (reverse("timeline:frise"), "Frise chronologique")

    assert crumbs(client.get(reverse("timeline:frise")).text) == [HOME, ("current", "Frise chronologique")]
    assert crumbs(client.get(event.get_absolute_url()).text) == [HOME, frise, ("current", "Conseil des maîtres")]
    assert crumbs(client.get(reverse("notifications:preferences")).text) == [
        HOME,
        (reverse("notifications:list"), "Notifications"),
        ("current", "Préférences"),
    ]
    assert crumbs(client.get(reverse("accounts:directory")).text) == [HOME, ("current", "Écoles et équipes")]
    structure = client.get(reverse("accounts:structure-detail", args=[school.code])).text
    assert crumbs(structure) == [HOME, (reverse("accounts:directory"), "Écoles"), ("current", school.name)]


def test_the_tag_wants_label_and_url_pairs():
    with pytest.raises(TemplateSyntaxError):
        Template('{% load ent_ui %}{% breadcrumb "Ici" "Sans adresse" %}').render(Context({}))
