"""ent.predicates: one rule read as a queryset filter and as a one-object check, and both agree."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.audiences import AudienceKind, addressed_to
from accounts.models import Role
from ent.predicates import EVERYTHING, NOTHING, pair, related, where
from news.models import Feed, Post, PostStatus
from tests.blogs.factories import BlogFactory
from tests.blogs.factories import PostFactory as BlogPostFactory
from tests.factories import UserFactory, make_member
from tests.news.factories import PostFactory

pytestmark = pytest.mark.django_db


def _agree(rule, queryset):
    """The rows the filter keeps, checked to be exactly those the check accepts."""
    listed = set(queryset.filter(rule.q()).values_list("pk", flat=True))
    assert listed == {obj.pk for obj in queryset if rule.check(obj)}
    return listed


@pytest.fixture
def posts():
    now = timezone.now()
    return {
        "draft": PostFactory(draft=True),
        "past": PostFactory(published_at=now - dt.timedelta(days=1)),
        "future": PostFactory(status=PostStatus.SCHEDULED, published_at=now + dt.timedelta(days=1)),
        "archived": PostFactory(status=PostStatus.ARCHIVED, projects=True),
    }


def test_lookups_read_the_same_both_ways(posts):
    now = timezone.now()
    ids = {name: post.pk for name, post in posts.items()}

    assert _agree(where(status=PostStatus.DRAFT), Post.objects.all()) == {ids["draft"]}
    assert _agree(where(published_at__lte=now), Post.objects.all()) == {ids["past"], ids["archived"]}
    assert _agree(where(published_at__gt=now), Post.objects.all()) == {ids["future"]}
    assert _agree(where(published_at__isnull=True), Post.objects.all()) == {ids["draft"]}
    assert _agree(where(feed__in=[Feed.PROJECTS]), Post.objects.all()) == {ids["archived"]}
    assert _agree(where(status=PostStatus.PUBLISHED, published_at__lte=now), Post.objects.all()) == {ids["past"]}


def test_a_missing_value_never_compares(posts):
    """As in SQL, a NULL is neither before nor after a date."""
    now = timezone.now()
    draft = posts["draft"]
    assert not where(published_at__lte=now).check(draft)
    assert not where(published_at__gt=now).check(draft)
    assert not where(published_at__in=[None]).check(draft)


def test_and_or_and_the_constants(posts):
    ids = {name: post.pk for name, post in posts.items()}
    draft = where(status=PostStatus.DRAFT)
    archived = where(status=PostStatus.ARCHIVED)

    assert _agree(draft | archived, Post.objects.all()) == {ids["draft"], ids["archived"]}
    assert _agree(draft & archived, Post.objects.all()) == set()
    assert _agree(draft | EVERYTHING, Post.objects.all()) == set(ids.values())
    assert _agree(draft | NOTHING, Post.objects.all()) == {ids["draft"]}
    assert _agree(draft & EVERYTHING, Post.objects.all()) == {ids["draft"]}
    assert _agree(NOTHING, Post.objects.all()) == set()
    assert _agree(where(), Post.objects.all()) == set(ids.values())


def test_related_follows_a_foreign_key_with_a_prefix(counsellor):
    public = BlogFactory(is_public=True, contributors=[counsellor])
    closed = BlogFactory(is_public=False, contributors=[counsellor])
    on_public = BlogPostFactory(blog=public, author=counsellor)
    BlogPostFactory(blog=closed, author=counsellor)
    rule = related("blog", where(is_public=True))

    assert _agree(rule, on_public.__class__.objects.select_related("blog")) == {on_public.pk}
    assert rule.q() == where(blog__is_public=True).q()


def test_addressed_to_is_the_audience_both_ways(school, teacher):
    mine = PostFactory(schools=[school])
    PostFactory(schools=[make_member(Role.TEACHER).memberships.get().structure])
    everyone = PostFactory(audience=AudienceKind.DISTRICT)
    PostFactory(audience=AudienceKind.DIRECTORS)

    rule = addressed_to(teacher, Post)

    assert _agree(rule, Post.objects.prefetch_related("audience_structures")) == {mine.pk, everyone.pk}
    assert addressed_to(UserFactory(is_active=False), Post) is NOTHING


def test_remembered_checks_once_per_object_and_person(posts):
    calls = []
    rule = pair(q=lambda prefix: where(status=PostStatus.DRAFT).q(prefix), check=lambda obj: calls.append(obj) or True)
    remembered = rule.remembered("_test_cache", 7)
    draft = posts["draft"]

    assert remembered.check(draft) and remembered.check(draft)
    assert rule.remembered("_test_cache", 8).check(draft)
    assert calls == [draft, draft]  # once for person 7, once for person 8
    assert remembered.q() == rule.q()
