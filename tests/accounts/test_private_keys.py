import datetime

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.selectors import private_key_of, private_key_owner
from accounts.services import private_key_ensure, private_key_renew
from blogs.models import FeedToken as BlogFeedToken
from news.models import FeedToken as NewsFeedToken
from tests.factories import UserFactory
from timeline.models import CalendarToken

pytestmark = pytest.mark.django_db

MODELS = [NewsFeedToken, BlogFeedToken, CalendarToken]


@pytest.mark.parametrize("model", MODELS)
def test_ensure_creates_once_then_returns_the_same_key(model):
    user = UserFactory()
    first = private_key_ensure(model=model, user=user)
    assert len(first.key) >= 40
    assert private_key_ensure(model=model, user=user).key == first.key
    assert model.objects.filter(user=user).count() == 1


@pytest.mark.parametrize("model", MODELS)
def test_renew_replaces_the_key_and_its_date_in_the_same_row(model):
    user = UserFactory()
    with time_machine.travel(datetime.datetime(2026, 9, 1, 8, tzinfo=datetime.UTC), tick=False):
        old = private_key_renew(model=model, user=user)
    new = private_key_renew(model=model, user=user)
    assert new.pk == old.pk
    assert new.key != old.key
    assert new.created_at > old.created_at
    assert model.objects.get(user=user).key == new.key
    assert new.created_at <= timezone.now()


def test_each_app_keeps_its_reverse_accessor():
    user = UserFactory()
    news_key = private_key_ensure(model=NewsFeedToken, user=user)
    blog_key = private_key_ensure(model=BlogFeedToken, user=user)
    calendar_key = private_key_ensure(model=CalendarToken, user=user)
    user.refresh_from_db()
    assert user.news_feed_token == news_key
    assert user.blog_feed_token == blog_key
    assert user.calendar_token == calendar_key
    assert len({news_key.key, blog_key.key, calendar_key.key}) == 3


@pytest.mark.parametrize("model", MODELS)
def test_owner_is_the_active_person_of_the_current_key(model, django_assert_num_queries):
    user = UserFactory(is_active=True)
    old = private_key_renew(model=model, user=user).key
    new = private_key_renew(model=model, user=user).key
    with django_assert_num_queries(1):
        assert private_key_owner(model=model, key=new) == user
    assert private_key_owner(model=model, key=old) is None
    assert private_key_owner(model=model, key="inconnue") is None


@pytest.mark.parametrize("model", MODELS)
def test_an_inactive_person_owns_no_link(model):
    user = UserFactory(is_active=False)
    key = private_key_renew(model=model, user=user).key
    assert private_key_owner(model=model, key=key) is None


def test_a_key_of_one_app_opens_nothing_in_another():
    user = UserFactory(is_active=True)
    calendar_key = private_key_renew(model=CalendarToken, user=user).key
    assert private_key_owner(model=CalendarToken, key=calendar_key) == user
    assert private_key_owner(model=NewsFeedToken, key=calendar_key) is None
    assert private_key_owner(model=BlogFeedToken, key=calendar_key) is None


@pytest.mark.parametrize("model", MODELS)
def test_key_of_is_none_until_asked_for_then_the_person_s_key(model):
    user = UserFactory(is_active=True)
    assert private_key_of(model=model, user=user) is None
    assert model.objects.count() == 0
    key = private_key_renew(model=model, user=user)
    assert private_key_of(model=model, user=user) == key
    assert private_key_of(model=model, user=AnonymousUser()) is None
