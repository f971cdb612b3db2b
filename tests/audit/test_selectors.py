"""Reading the audit trail: an object's history, a person's actions."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType

from accounts.models import AccountAction, User
from audit.selectors import actions_by, history_of
from audit.services import record
from news.models import NewsAction, Post
from tests.factories import UserFactory
from tests.news.factories import PostFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def _history(n, post):
    for i in range(n):
        with time_machine.travel(dt.datetime(2026, 1, 1 + i % 28, 9, 0, tzinfo=PARIS), tick=False):
            record(actor=UserFactory(), target=post, action=NewsAction.UPDATED)


@pytest.mark.parametrize("rows", [3, 30])
def test_history_of_costs_one_query_whatever_its_length(rows, django_assert_num_queries):
    post = PostFactory()
    _history(rows, post)
    ContentType.objects.get_for_model(Post)  # cached, as in any running process

    with django_assert_num_queries(1):
        names = [event.actor.get_full_name() for event in history_of(post)]

    assert len(names) == rows


def test_history_of_is_this_objects_only_and_newest_first(counsellor, teacher):
    post, other = PostFactory(), PostFactory()
    same_id_user = User.objects.filter(pk=post.pk).first() or UserFactory()
    with time_machine.travel(dt.datetime(2026, 1, 5, 9, 0, tzinfo=PARIS), tick=False):
        first = record(actor=counsellor, target=post, action=NewsAction.CREATED)
        second = record(actor=teacher, target=post, action=NewsAction.SUBMITTED)  # same moment: by id
    with time_machine.travel(dt.datetime(2026, 1, 6, 9, 0, tzinfo=PARIS), tick=False):
        third = record(actor=counsellor, target=post, action=NewsAction.PUBLISHED)
    record(actor=counsellor, target=other, action=NewsAction.CREATED)
    record(actor=counsellor, target=same_id_user, action=AccountAction.ACTIVATED)

    assert list(history_of(post)) == [third, second, first]


def test_actions_by_lists_what_a_person_did_newest_first(counsellor, teacher):
    post = PostFactory()
    with time_machine.travel(dt.datetime(2026, 1, 5, 9, 0, tzinfo=PARIS), tick=False):
        created = record(actor=counsellor, target=post, action=NewsAction.CREATED)
    with time_machine.travel(dt.datetime(2026, 1, 6, 9, 0, tzinfo=PARIS), tick=False):
        record(actor=teacher, target=post, action=NewsAction.SUBMITTED)
        activated = record(actor=counsellor, target=teacher, action=AccountAction.ACTIVATED)

    assert list(actions_by(counsellor)) == [activated, created]
    assert list(actions_by(teacher).values_list("action", flat=True)) == ["news.post.submitted"]
