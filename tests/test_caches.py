"""What is kept under a version (``ent.versions``) is read again as soon as its data changes, and
costs no query in between (the header's counts and a person's memberships: test_header_counts.py)."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from blogs import selectors as blog_selectors
from blogs import services as blog_services
from ent import versions
from tests.blogs.factories import PostFactory, SeriesFactory, TagFactory
from tests.factories import MembershipFactory, SchoolFactory, make_member
from tests.timeline.factories import SchoolHolidayFactory
from timeline.selectors import school_holidays_between

pytestmark = pytest.mark.django_db


def _queries(function):
    with CaptureQueriesContext(connection) as log:
        result = function()
    return result, len(log)


def test_a_cached_value_is_computed_again_only_after_its_version_is_bumped():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert versions.cached(["essai"], "essai:valeur", compute) == 1
    assert versions.cached(["essai"], "essai:valeur", compute) == 1
    versions.bump("essai")
    assert versions.cached(["essai"], "essai:valeur", compute) == 2
    versions.bump("autre")  # another kind of data: kept
    assert versions.cached(["essai"], "essai:valeur", compute) == 2


def test_a_process_memo_loads_again_after_a_bump():
    loads = []
    memo = versions.ProcessMemo("essai-memo", lambda: loads.append(1) or len(loads))
    assert (memo.get(), memo.get()) == (1, 1)
    versions.bump("essai-memo")
    assert memo.get() == 2


def test_the_holidays_cost_no_query_and_a_new_holiday_shows_at_once():
    SchoolHolidayFactory(name="Vacances de Noël", start=date(2026, 12, 19), end=date(2027, 1, 4))
    school_holidays_between(date(2026, 9, 1), date(2027, 7, 1))
    holidays, count = _queries(lambda: school_holidays_between(date(2026, 9, 1), date(2027, 7, 1)))
    assert [h.name for h in holidays] == ["Vacances de Noël"] and count == 0
    SchoolHolidayFactory(name="Vacances d’hiver", start=date(2027, 2, 6), end=date(2027, 2, 22))
    assert [h.name for h in school_holidays_between(date(2026, 9, 1), date(2027, 7, 1))] == [
        "Vacances de Noël",
        "Vacances d’hiver",
    ]
    assert [h.name for h in school_holidays_between(date(2027, 2, 1), date(2027, 2, 10))] == ["Vacances d’hiver"]


def test_a_blogs_archive_and_tags_are_read_once_then_follow_its_posts(client_as, counsellor, teacher):
    series = SeriesFactory(contributors=[counsellor])
    PostFactory(blog=series, author=counsellor, title="Le TNI")
    url = series.get_absolute_url()
    client = client_as(teacher)
    client.get(url)
    with CaptureQueriesContext(connection) as log:
        client.get(url)
    assert not [q for q in log.captured_queries if "blogs_tag" in q["sql"] and "COUNT" in q["sql"]]
    assert not [q for q in log.captured_queries if "month" in q["sql"].lower() and "GROUP BY" in q["sql"]]

    tag = TagFactory(name="Padlet")
    blog_services.post_create(
        actor=counsellor,
        blog=series,
        title="Padlet en classe",
        tags=[tag],
        week_start=date(2026, 11, 30),
        action=blog_services.PostAction.PUBLISH,
    )
    months, tags = blog_selectors.blog_sidebar(blog=series)
    assert "Padlet" in [t.name for t in tags]
    assert sum(row["count"] for row in months) == 2
    assert "Padlet" in client.get(url).text


def test_a_tag_renamed_shows_renamed_in_the_sidebar(counsellor):
    series = SeriesFactory(contributors=[counsellor])
    post = PostFactory(blog=series, author=counsellor)
    tag = TagFactory(name="Padlet")
    post.tags.add(tag)
    assert [t.name for t in blog_selectors.blog_sidebar(blog=series)[1]] == ["Padlet"]
    tag.name = "Padlet (mur collaboratif)"
    tag.save()
    assert [t.name for t in blog_selectors.blog_sidebar(blog=series)[1]] == ["Padlet (mur collaboratif)"]


def test_the_latest_tutorial_follows_new_posts_and_the_readers_roles(counsellor, teacher):
    series = SeriesFactory(contributors=[counsellor])
    PostFactory(blog=series, author=counsellor, title="Le TNI")
    assert blog_selectors.latest_tutorial(user=teacher).title == "Le TNI"
    _, count = _queries(lambda: blog_selectors.latest_tutorial(user=teacher))
    assert count == 0
    blog_services.post_create(
        actor=counsellor,
        blog=series,
        title="Padlet en classe",
        week_start=date(2026, 11, 30),
        action=blog_services.PostAction.PUBLISH,
    )
    assert blog_selectors.latest_tutorial(user=teacher).title == "Padlet en classe"


def test_the_latest_tutorial_is_read_again_when_the_persons_roles_change(counsellor):
    from accounts.audiences import AudienceKind
    from accounts.roles import forget_viewer

    school = SchoolFactory()
    series = SeriesFactory(contributors=[counsellor], audience=AudienceKind.STRUCTURES)
    series.audience_structures.set([school])
    PostFactory(blog=series, author=counsellor, title="Le TNI")
    newcomer = make_member(Role.TEACHER, SchoolFactory())
    assert blog_selectors.latest_tutorial(user=newcomer) is None
    MembershipFactory(user=newcomer, structure=school, role=Role.TEACHER)
    forget_viewer(newcomer)
    assert blog_selectors.latest_tutorial(user=newcomer).title == "Le TNI"


def test_the_blogs_todo_follows_comments_waiting_and_their_decisions(counsellor, teacher):
    from types import SimpleNamespace

    from blogs.home import todo_items
    from tests.blogs.factories import BlogFactory

    blog = BlogFactory(contributors=[counsellor], comment_policy="modere")
    post = PostFactory(blog=blog, author=counsellor)
    request = SimpleNamespace(user=counsellor)
    assert [item.text for item in todo_items(request)] == []
    _, count = _queries(lambda: todo_items(request))
    assert count == 0
    comment = blog_services.comment_create(actor=teacher, post=post, body="Merci, très utile.")
    assert [item.text for item in todo_items(request)] == ["1 commentaire à valider"]
    comment = blog_services.comment_moderate(
        actor=counsellor, comment=comment, decision=blog_services.ModerationDecision.APPROVE
    )
    assert [item.text for item in todo_items(request)] == []
    reader = make_member(Role.DIRECTOR, SchoolFactory())
    blog_services.comment_report(actor=reader, comment=comment, reason="Hors sujet")
    assert [item.text for item in todo_items(request)] == ["1 commentaire signalé"]
    # Kept: the reports are resolved by a QuerySet.update, which bumps the version itself.
    blog_services.comment_moderate(actor=counsellor, comment=comment, decision=blog_services.ModerationDecision.KEEP)
    assert [item.text for item in todo_items(request)] == []
