"""The demo data: a school year of weekly tutorials, a project blog, a public school blog; idempotent."""

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from blogs import demo, selectors
from blogs.models import Blog, Comment, Post

pytestmark = [pytest.mark.django_db, pytest.mark.slow]  # each test seeds the demo


class _Command:
    stdout = io.StringIO()


@pytest.mark.parametrize("day", [datetime(2026, 11, 25, 10), datetime(2027, 6, 9, 10)])
def test_seeding_twice_changes_nothing(settings, client_as, day):
    settings.DEBUG = True
    with time_machine.travel(day.replace(tzinfo=ZoneInfo("Europe/Paris")), tick=True):
        call_command("seed_demo", stdout=io.StringIO())
        counts = (Blog.objects.count(), Post.objects.count(), Comment.objects.count())
        demo.seed(_Command())
        rows = selectors.series_planning(blog=Blog.objects.get(slug=demo.SERIES_SLUG))
    assert (Blog.objects.count(), Post.objects.count(), Comment.objects.count()) == counts

    series = Blog.objects.get(slug=demo.SERIES_SLUG)
    assert series.is_weekly_series
    assert series.contributor_users.get().email == demo.COUNSELLOR
    assert series.posts.published().exists()
    assert series.posts.filter(status=Post.Status.SCHEDULED).exists()
    assert all("<h2>Pour commencer</h2>" in p.body for p in series.posts.all())
    empty = [r for r in rows if not r.week.is_holiday and r.post is None]
    if day.month == 11:
        # A school year: 36 weeks of classes (holidays skipped), two of the coming ones left empty.
        assert series.posts.count() == len(demo.TUTORIALS) == 34
        assert len(empty) == len(demo.EMPTY_COMING_WEEKS)
    else:
        # In June, the year's last weeks: the one after next is empty, then the summer holidays.
        assert len(empty) == 1
        assert "été" in rows[-1].week.holiday.name.lower()

    project = Blog.objects.get(slug=demo.PROJECT_SLUG)
    assert project.owner_kind == Blog.OwnerKind.PROJECT
    assert project.owner_structures.count() == 3
    assert Blog.objects.get(slug=demo.SCHOOL_SLUG).is_public


def test_the_demo_blogs_are_read_by_the_demo_teacher(settings, client_as):
    settings.DEBUG = True
    with time_machine.travel(datetime(2026, 11, 25, 10, tzinfo=ZoneInfo("Europe/Paris")), tick=True):
        call_command("seed_demo", stdout=io.StringIO())
        teacher = User.objects.get(email="enseignant@demo.ent.fr")
        client = client_as(teacher)
        home = client.get(reverse("accounts:home")).text
        assert "panneau-tutoriel" in home
        for slug in (demo.SERIES_SLUG, demo.PROJECT_SLUG, demo.SCHOOL_SLUG):
            assert client.get(reverse("blogs:blog-detail", args=[slug])).status_code == 200
