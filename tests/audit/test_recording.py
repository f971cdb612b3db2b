"""Each service that changes something writes the expected events in the audit trail: which
action, by whom, on which object, and (for edits) which fields changed."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts import services as accounts
from accounts.audiences import AudienceKind
from accounts.models import Invitation
from audit.models import Event
from blogs import services as blogs
from blogs.models import Blog, CommentReport
from blogs.models import Comment as BlogComment
from blogs.models import Post as BlogPost
from ent import publication
from news import services as news
from news.models import PostStatus
from tests.blogs.factories import BlogFactory, CommentFactory
from tests.blogs.factories import PostFactory as BlogPostFactory
from tests.factories import UserFactory
from tests.news.factories import PostFactory as NewsPostFactory
from tests.timeline.factories import EventFactory
from timeline import services as timeline
from timeline.categories import Category

pytestmark = pytest.mark.django_db

LATER = timezone.now() + dt.timedelta(days=3)


@pytest.fixture
def ctx(counsellor, teacher, admin_user):
    blog = BlogFactory(title="Le blog des enseignants", audience=AudienceKind.TEACHERS, contributors=[counsellor])
    return SimpleNamespace(counsellor=counsellor, teacher=teacher, admin=admin_user, blog=blog)


def _news_draft(c, **data):
    return news.post_create(
        actor=c.counsellor, feed="pedagogie", data=news.PostInput(title="Titre", summary="Résumé", **data)
    )


def _new_events(after_pk):
    return list(Event.objects.filter(pk__gt=after_pk).order_by("pk"))


# Each case prepares what it needs, then returns (the call to audit, what it acts on, expected events
# as (action, actor name) in the order written).
def news_create(c):
    return lambda: _news_draft(c), None, [("news.post.created", "counsellor")]


def news_update(c):
    post = _news_draft(c)
    data = news.PostInput(title="Autre titre", summary="Résumé")
    return (
        lambda: news.post_update(actor=c.counsellor, post=post, data=data),
        post,
        [("news.post.updated", "counsellor")],
    )


def news_update_announced_again(c):
    post = news.post_publish(actor=c.counsellor, post=_news_draft(c))
    data = news.PostInput(title="Autre titre", summary="Résumé")
    call = lambda: news.post_update(actor=c.counsellor, post=post, data=data, notify_again=True)  # noqa: E731
    return call, post, [("news.post.announced_again", "counsellor")]


def news_publish(c):
    post = _news_draft(c)
    return lambda: news.post_publish(actor=c.counsellor, post=post), post, [("news.post.published", "counsellor")]


def news_schedule(c):
    post = _news_draft(c, published_at=LATER)
    return lambda: news.post_publish(actor=c.counsellor, post=post), post, [("news.post.scheduled", "counsellor")]


def news_publish_due(c):
    post = NewsPostFactory(author=c.counsellor, status=PostStatus.SCHEDULED, published_at=timezone.now())
    return lambda: publication.publish_due(), post, [("news.post.published_on_schedule", None)]


def news_submit(c):
    post = news.post_create(actor=c.teacher, feed="pedagogie", data=news.PostInput(title="Projet", summary="r"))
    return lambda: news.post_submit(actor=c.teacher, post=post), post, [("news.post.submitted", "teacher")]


def news_return(c):
    post = news.post_create(actor=c.teacher, feed="pedagogie", data=news.PostInput(title="Projet", summary="r"))
    news.post_submit(actor=c.teacher, post=post)
    call = lambda: news.post_return(actor=c.counsellor, post=post, comment="Une photo ?")  # noqa: E731
    return call, post, [("news.post.returned", "counsellor")]


def news_archive(c):
    post = news.post_publish(actor=c.counsellor, post=_news_draft(c))
    return lambda: news.post_archive(actor=c.counsellor, post=post), post, [("news.post.archived", "counsellor")]


def accounts_activate(c):
    person = UserFactory(is_active=False)
    person.set_unusable_password()
    person.save()
    call = lambda: accounts.users_activate_and_invite(actor=c.admin, users=[person])  # noqa: E731
    return call, person, [("accounts.user.activated", "admin")]


def accounts_deactivate(c):
    call = lambda: accounts.users_deactivate(actor=c.admin, users=[c.teacher])  # noqa: E731
    return call, c.teacher, [("accounts.user.deactivated", "admin")]


def accounts_invitation_sent(c):
    invitation = Invitation.objects.create(user=c.teacher, created_by=c.admin)
    return lambda: accounts.invitation_mark_sent(invitation=invitation), c.teacher, [("accounts.user.invited", "admin")]


def blogs_blog_create(c):
    call = lambda: blogs.blog_create(actor=c.counsellor, title="Nouveau", audience=AudienceKind.DISTRICT)  # noqa: E731
    return call, None, [("blogs.blog.created", "counsellor")]


def blogs_blog_update(c):
    call = lambda: blogs.blog_update(actor=c.counsellor, blog=c.blog, title="Renommé")  # noqa: E731
    return call, c.blog, [("blogs.blog.updated", "counsellor")]


def blogs_blog_delete(c):
    return lambda: blogs.blog_delete(actor=c.counsellor, blog=c.blog), c.blog, [("blogs.blog.deleted", "counsellor")]


def blogs_post_draft(c):
    call = lambda: blogs.post_create(actor=c.counsellor, blog=c.blog, title="Brouillon")  # noqa: E731
    return call, None, [("blogs.post.created", "counsellor")]


def blogs_post_published_at_once(c):
    call = lambda: blogs.post_create(  # noqa: E731
        actor=c.counsellor, blog=c.blog, title="Tout de suite", action=blogs.PostAction.PUBLISH
    )
    return call, None, [("blogs.post.created", "counsellor"), ("blogs.post.published", "counsellor")]


def blogs_post_scheduled(c):
    call = lambda: blogs.post_create(  # noqa: E731
        actor=c.counsellor, blog=c.blog, title="Plus tard", action=blogs.PostAction.SCHEDULE, publish_at=LATER
    )
    return call, None, [("blogs.post.created", "counsellor"), ("blogs.post.scheduled", "counsellor")]


def blogs_post_update(c):
    post = BlogPostFactory(blog=c.blog, author=c.counsellor)
    call = lambda: blogs.post_update(  # noqa: E731
        actor=c.counsellor, post=post, title="Corrigé", body=post.body, action=blogs.PostAction.PUBLISH
    )
    return call, post, [("blogs.post.updated", "counsellor")]


def blogs_draft_published(c):
    post = BlogPostFactory(blog=c.blog, author=c.counsellor, status=BlogPost.Status.DRAFT, published_at=None)
    call = lambda: blogs.post_update(  # noqa: E731
        actor=c.counsellor, post=post, title=post.title, action=blogs.PostAction.PUBLISH
    )
    return call, post, [("blogs.post.updated", "counsellor"), ("blogs.post.published", "counsellor")]


def blogs_published_on_schedule(c):
    post = BlogPostFactory(blog=c.blog, author=c.counsellor, status=BlogPost.Status.SCHEDULED)
    call = lambda: publication.publish_if_due(BlogPost, post.pk)  # noqa: E731
    return call, post, [("blogs.post.published_on_schedule", None)]


def blogs_post_delete(c):
    post = BlogPostFactory(blog=c.blog, author=c.counsellor)
    return lambda: blogs.post_delete(actor=c.counsellor, post=post), post, [("blogs.post.deleted", "counsellor")]


def _comment(c, **fields):
    return CommentFactory(post=BlogPostFactory(blog=c.blog, author=c.counsellor), author=c.teacher, **fields)


def blogs_comment_approved(c):
    comment = _comment(c, status=BlogComment.Status.PENDING)
    call = lambda: blogs.comment_moderate(  # noqa: E731
        actor=c.counsellor, comment=comment, decision=blogs.ModerationDecision.APPROVE
    )
    return call, comment, [("blogs.comment.approved", "counsellor")]


def blogs_comment_removed(c):
    comment = _comment(c)
    call = lambda: blogs.comment_moderate(  # noqa: E731
        actor=c.counsellor, comment=comment, decision=blogs.ModerationDecision.REMOVE
    )
    return call, comment, [("blogs.comment.removed", "counsellor")]


def blogs_reported_comment_kept(c):
    comment = _comment(c)
    CommentReport.objects.create(comment=comment, reporter=c.teacher)
    call = lambda: blogs.comment_moderate(  # noqa: E731
        actor=c.counsellor, comment=comment, decision=blogs.ModerationDecision.KEEP
    )
    return call, comment, [("blogs.comment.kept", "counsellor")]


def blogs_comment_deleted(c):
    comment = _comment(c)
    return (
        lambda: blogs.comment_delete(actor=c.teacher, comment=comment),
        comment,
        [("blogs.comment.deleted", "teacher")],
    )


def _event_data(**fields):
    day = timezone.localdate() + dt.timedelta(days=10)
    values = {"title": "Réunion", "category": Category.DIRECTORS_MEETING, "all_day": True}
    return timeline.EventData(start_date=day, end_date=day, **(values | fields))


def timeline_event_create(c):
    call = lambda: timeline.event_create(actor=c.counsellor, data=_event_data())  # noqa: E731
    return call, None, [("timeline.event.created", "counsellor")]


def timeline_event_update(c):
    event = EventFactory(created_by=c.counsellor)
    call = lambda: timeline.event_update(actor=c.counsellor, event=event, data=_event_data(title="Déplacée"))  # noqa: E731
    return call, event, [("timeline.event.updated", "counsellor")]


def timeline_event_delete(c):
    event = EventFactory(created_by=c.counsellor)
    return (
        lambda: timeline.event_delete(actor=c.counsellor, event=event),
        event,
        [("timeline.event.deleted", "counsellor")],
    )


def news_delete(c):
    post = _news_draft(c)
    return lambda: news.post_delete(actor=c.counsellor, post=post), post, [("news.post.deleted", "counsellor")]


def blogs_post_published_now(c):
    post = BlogPostFactory(blog=c.blog, author=c.counsellor, status=BlogPost.Status.DRAFT, published_at=None)
    call = lambda: blogs.post_publish(actor=c.counsellor, post=post)  # noqa: E731
    return call, post, [("blogs.post.published", "counsellor")]


def blogs_post_unpublished(c):
    post = BlogPostFactory(blog=c.blog, author=c.counsellor, status=BlogPost.Status.PUBLISHED)
    call = lambda: blogs.post_unpublish(actor=c.counsellor, post=post)  # noqa: E731
    return call, post, [("blogs.post.unpublished", "counsellor")]


CASES = [
    news_create,
    news_update,
    news_update_announced_again,
    news_publish,
    news_schedule,
    news_publish_due,
    news_submit,
    news_return,
    news_archive,
    news_delete,
    accounts_activate,
    accounts_deactivate,
    accounts_invitation_sent,
    blogs_blog_create,
    blogs_blog_update,
    blogs_blog_delete,
    blogs_post_draft,
    blogs_post_published_at_once,
    blogs_post_scheduled,
    blogs_post_update,
    blogs_draft_published,
    blogs_published_on_schedule,
    blogs_post_delete,
    blogs_post_published_now,
    blogs_post_unpublished,
    blogs_comment_approved,
    blogs_comment_removed,
    blogs_reported_comment_kept,
    blogs_comment_deleted,
    timeline_event_create,
    timeline_event_update,
    timeline_event_delete,
]


@pytest.mark.parametrize("case", CASES, ids=[case.__name__ for case in CASES])
def test_each_service_records_what_it_did(case, ctx):
    call, target, expected = case(ctx)
    target_key = (ContentType.objects.get_for_model(target), target.pk) if target else None
    last = Event.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    result = call()

    events = _new_events(last)
    people = {None: None, **{name: getattr(ctx, name) for name in ("counsellor", "teacher", "admin")}}
    assert [(e.action, e.actor) for e in events] == [(action, people[who]) for action, who in expected]
    if target_key is None:  # a creation: the service returns what it created
        target_key = (ContentType.objects.get_for_model(result), result.pk)
    assert {(e.target_type, e.target_id) for e in events} == {target_key}


def test_an_edit_records_the_fields_it_changed(ctx):
    post = BlogPostFactory(blog=ctx.blog, author=ctx.counsellor, title="Digipad", status=BlogPost.Status.DRAFT)
    post.published_at = None
    post.save()

    blogs.post_update(actor=ctx.counsellor, post=post, title="Digipad en classe", body=post.body)

    event = Event.objects.get(action="blogs.post.updated")
    assert event.changes == [{"field": "title", "label": "Titre", "before": "Digipad", "after": "Digipad en classe"}]


def test_a_scheduled_post_says_when(ctx):
    when = timezone.make_aware(dt.datetime(2099, 1, 5, 8, 0))
    blogs.post_create(
        actor=ctx.counsellor, blog=ctx.blog, title="Plus tard", action=blogs.PostAction.SCHEDULE, publish_at=when
    )
    assert (
        Event.objects.get(action="blogs.post.scheduled").label == "Publication programmée le lundi 5 janvier 2099 à 8 h"
    )


def test_a_returned_proposal_says_why(ctx):
    post = news.post_create(actor=ctx.teacher, feed="pedagogie", data=news.PostInput(title="Projet", summary="r"))
    news.post_submit(actor=ctx.teacher, post=post)
    news.post_return(actor=ctx.counsellor, post=post, comment="Ajoutez une photo.")
    assert Event.objects.get(action="news.post.returned").label == "Renvoyée à son auteur : « Ajoutez une photo. »"


def test_a_refused_service_records_nothing(ctx):
    blog_before = Blog.objects.values_list("pk", "title").get(pk=ctx.blog.pk)
    with pytest.raises(PermissionDenied):
        blogs.blog_update(actor=ctx.teacher, blog=ctx.blog, title="Piraté")
    assert Event.objects.count() == 0
    assert Blog.objects.values_list("pk", "title").get(pk=ctx.blog.pk) == blog_before
