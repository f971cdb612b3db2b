"""The outside probe's crafted dates and tag names: every form and GET parameter answers in French, never 500.

Every date a person types or puts in a URL is bounded by ``ent.forms`` (2000–2100); a tag is
looked up by the address (slug) it will get, and a name made only of emoji still gets one.
"""

import pytest
from django.urls import reverse

from blogs.models import Blog, Tag
from blogs.models import Post as BlogPost
from news.models import Post as NewsPost
from timeline.models import Event

from .blogs.factories import BlogFactory, SeriesFactory

pytestmark = pytest.mark.django_db

DATE_RANGE_MESSAGE = "Choisissez une date entre 2000 et 2100."
BAD_DAYS = ["0001-01-01", "9999-12-31", "1999-12-31", "2101-01-01"]
BAD_MOMENTS = ["0001-01-01T00:00", "9999-12-31T23:59", "1999-12-31T23:59", "2101-01-01T00:00"]


def _french_refusal(response, message=DATE_RANGE_MESSAGE):
    assert response.status_code == 200
    assert message in response.content.decode()


# --- news ---------------------------------------------------------------------------------------

NEWS_FIELDS = [
    ("pedagogie", "published_at", {}),
    ("pedagogie", "expires_at", {}),
    ("projets", "registration_closes_at", {}),
    ("directeurs", "ack_due_date", {"requires_ack": "on"}),
]


@pytest.mark.parametrize(("feed", "field", "extra"), NEWS_FIELDS)
@pytest.mark.parametrize("value", BAD_MOMENTS)
def test_news_post_dates_are_bounded(client_as, counsellor, feed, field, extra, value):
    if field == "ack_due_date":
        value = value[:10]
    data = {"title": "Sonde", "summary": "r", "body": "", "audience_choice": "all", field: value, **extra}

    response = client_as(counsellor).post(reverse("news:post-create", args=[feed]), data)

    _french_refusal(response)
    assert not NewsPost.objects.exists()


def test_news_post_edit_dates_are_bounded(client_as, counsellor):
    client = client_as(counsellor)
    client.post(
        reverse("news:post-create", args=["pedagogie"]),
        {"title": "Sonde", "summary": "r", "body": "", "audience_choice": "all"},
    )
    post = NewsPost.objects.get()
    before = post.published_at

    response = client.post(
        reverse("news:post-edit", args=[post.pk]),
        {"title": "Sonde", "summary": "r", "body": "", "audience_choice": "all", "published_at": "0001-01-01T00:00"},
    )

    _french_refusal(response)
    post.refresh_from_db()
    assert post.published_at == before


@pytest.mark.parametrize("value", [*BAD_DAYS, "2026-02-30", "pas-une-date"])
def test_news_week_parameter_is_bounded(client_as, teacher, value):
    response = client_as(teacher).get(reverse("news:week"), {"semaine": value})

    assert response.status_code == 200
    assert f"La date « {value} » est ignorée" in response.content.decode()


@pytest.mark.parametrize("value", ["0001-01", "9999-12", "2026-13"])
def test_news_month_filter_refuses_unknown_months(client_as, teacher, value):
    response = client_as(teacher).get(reverse("news:feed", args=["pedagogie"]), {"mois": value})

    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()


# --- blogs --------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", BAD_DAYS)
def test_blog_series_start_is_bounded(client_as, counsellor, value):
    data = {
        "title": "Sonde",
        "owner_kind": "circonscription",
        "audience": "district",
        "comment_policy": "immediat",
        "is_weekly_series": "on",
        "series_start": value,
    }

    response = client_as(counsellor).post(reverse("blogs:blog-create"), data)

    _french_refusal(response)
    assert not Blog.objects.filter(title="Sonde").exists()


@pytest.mark.parametrize("value", BAD_DAYS)
def test_blog_post_publish_date_is_bounded(client_as, counsellor, value):
    blog = BlogFactory(contributors=[counsellor])
    data = {"title": "Sonde", "body": "<p>Texte</p>", "publish_date": value, "publish_time": "08:00"}

    for action in ("brouillon", "programmer"):
        response = client_as(counsellor).post(reverse("blogs:post-create", args=[blog.slug]), data | {"action": action})

        _french_refusal(response)
    assert not BlogPost.objects.exists()


@pytest.mark.parametrize("value", [*BAD_DAYS, "pas-une-date"])
def test_blog_week_parameter_is_bounded(client_as, counsellor, value):
    series = SeriesFactory(contributors=[counsellor])

    response = client_as(counsellor).get(reverse("blogs:post-create", args=[series.slug]), {"semaine": value})

    assert response.status_code == 200
    assert f"La date « {value} » est ignorée" in response.content.decode()


def _tool_post(client, blog, tools):
    return client.post(
        reverse("blogs:post-create", args=[blog.slug]),
        {"title": f"Avec {tools}", "body": "<p>Texte</p>", "new_tools": tools, "action": "brouillon"},
    )


def test_tool_names_that_share_an_address_share_one_tag(client_as, counsellor):
    blog = BlogFactory(contributors=[counsellor])
    client = client_as(counsellor)

    assert _tool_post(client, blog, "Zz!").status_code == 302
    assert _tool_post(client, blog, "Zz?").status_code == 302

    tag = Tag.objects.get(kind=Tag.Kind.TOOL, slug="outil-zz")
    assert tag.name == "Zz!"
    assert set(BlogPost.objects.values_list("tags", flat=True)) == {tag.pk}


def test_emoji_only_tool_names_get_usable_addresses(client_as, counsellor):
    blog = BlogFactory(contributors=[counsellor])
    client = client_as(counsellor)

    assert _tool_post(client, blog, "🎨").status_code == 302
    assert _tool_post(client, blog, "🎵").status_code == 302
    assert _tool_post(client, blog, "🎨").status_code == 302

    tags = list(Tag.objects.filter(kind=Tag.Kind.TOOL).order_by("slug"))
    assert [(t.name, t.slug) for t in tags] == [("🎨", "outil-u1f3a8"), ("🎵", "outil-u1f3b5")]
    page = client.get(reverse("blogs:tag", args=[blog.slug, "outil-u1f3a8"]))
    assert page.status_code == 200


# --- timeline -----------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["start_date", "end_date"])
@pytest.mark.parametrize("value", BAD_DAYS)
def test_event_dates_are_bounded(client_as, counsellor, field, value):
    data = {
        "title": "Sonde",
        "category": "reunion",
        "all_day": "on",
        "start_date": "2026-12-09",
        "audience": "district",
    }

    response = client_as(counsellor).post(reverse("timeline:event-create"), data | {field: value})

    _french_refusal(response)
    assert not Event.objects.exists()


@pytest.mark.parametrize("value", ["0", "1999", "2101", "9999", "99999999999999999999", "deux-mille"])
def test_frise_year_parameter_is_bounded(client_as, teacher, value):
    response = client_as(teacher).get(reverse("timeline:frise"), {"annee": value})

    assert response.status_code == 200
    assert f"L’année « {value} » est ignorée" in response.content.decode()
