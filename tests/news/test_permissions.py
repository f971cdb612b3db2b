"""Who may do what, role by role. Every refusal checks the status code AND that nothing changed."""

import datetime as dt
from itertools import product

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from accounts.audiences import AudienceKind
from accounts.models import Role
from audit.models import Event
from news import permissions
from news.models import Acknowledgement, Feed, Post, PostStatus, Registration
from notifications.models import Notification
from tests.conftest import ROLES
from tests.factories import SchoolFactory, UserFactory, make_member

from .factories import PostFactory

pytestmark = pytest.mark.django_db


def state():
    """Everything a refused request could have changed."""
    return (
        list(
            Post.objects.order_by("pk").values_list(
                "pk", "status", "title", "summary", "body", "pinned", "published_at"
            )
        ),
        Event.objects.count(),
        Acknowledgement.objects.count(),
        Registration.objects.count(),
        Notification.objects.count(),
    )


def login_or_redirect(response):
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- reading ---------------------------------------------------------------------------------------

FEED_ACCESS = {
    "anonymous": "login",
    "teacher": 404,
    "director": 200,
    "counsellor": 200,
    "inspector": 200,
    "rased_member": 404,
    "admin_user": 200,
}


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_directors_feed_is_closed_to_teachers(person, client_as, request):
    role = request.node.callspec.params["person"]
    PostFactory(directors=True, title="Note aux directeurs")
    response = client_as(person).get(reverse("news:feed", args=["directeurs"]))
    if FEED_ACCESS[role] == "login":
        assert login_or_redirect(response)
    else:
        assert response.status_code == FEED_ACCESS[role]
        assert ("Note aux directeurs" in response.content.decode()) is (FEED_ACCESS[role] == 200)


def test_teacher_gets_404_on_every_page_of_a_directors_post(teacher, counsellor, client_as):
    post = PostFactory(directors=True, author=counsellor, requires_ack=True)
    client = client_as(teacher)
    before = state()
    gets = [
        "post-detail",
        "post-edit",
        "post-revisions",
        "acknowledgements",
        "acknowledgements-csv",
        "register",
        "registrations",
    ]
    posts = ["acknowledge", "remind", "post-archive", "post-publish", "post-submit", "post-return", "register-withdraw"]
    for name in gets:
        assert client.get(reverse(f"news:{name}", args=[post.pk])).status_code == 404, name
    for name in posts:
        assert client.post(reverse(f"news:{name}", args=[post.pk])).status_code == 404, name
    assert client.get(reverse("news:archive", args=["directeurs"])).status_code == 404
    assert client.get(reverse("news:post-create", args=["directeurs"])).status_code == 404
    assert state() == before


def test_teacher_does_not_see_directors_posts_in_the_week_or_on_home(teacher, client_as):
    PostFactory(directors=True, title="Note confidentielle aux directeurs")
    PostFactory(title="Animation ouverte à tous")
    client = client_as(teacher)
    week = client.get(reverse("news:week")).content.decode()
    home = client.get(reverse("accounts:home")).content.decode()
    assert "Animation ouverte à tous" in week and "Animation ouverte à tous" in home
    assert "Note confidentielle" not in week and "Note confidentielle" not in home


def test_a_post_for_some_schools_is_hidden_from_the_others(school, teacher, client_as):
    other_school_teacher = make_member(Role.TEACHER)
    post = PostFactory(schools=[school], title="Pour l’école de Mirebeau seulement")
    assert client_as(teacher).get(post.get_absolute_url()).status_code == 200
    client_as(other_school_teacher)
    assert client_as(other_school_teacher).get(post.get_absolute_url()).status_code == 404


def test_nobody_but_author_and_team_sees_a_draft(teacher, director, counsellor, client_as):
    draft = PostFactory(draft=True, author=teacher)
    assert client_as(teacher).get(draft.get_absolute_url()).status_code == 200
    assert client_as(director).get(draft.get_absolute_url()).status_code == 404
    assert client_as(counsellor).get(draft.get_absolute_url()).status_code == 200


# --- writing ---------------------------------------------------------------------------------------

CREATE_IN_DIRECTORS_FEED = {
    "anonymous": "login",
    "teacher": 404,
    "director": 403,
    "counsellor": 302,
    "inspector": 302,
    "rased_member": 404,
    "admin_user": 302,
}


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_only_the_district_team_writes_to_directors(person, client_as, request):
    role = request.node.callspec.params["person"]
    before = state()
    response = client_as(person).post(
        reverse("news:post-create", args=["directeurs"]),
        {"title": "Note", "summary": "Résumé", "body": "<p>Texte</p>", "audience_choice": "all", "action": "publish"},
    )
    expected = CREATE_IN_DIRECTORS_FEED[role]
    if expected == "login":
        assert login_or_redirect(response)
    else:
        assert response.status_code == expected
    if expected == 302 and role != "anonymous":
        post = Post.objects.get(title="Note")
        assert post.status == PostStatus.PUBLISHED and post.feed == Feed.DIRECTORS
    else:
        assert state() == before


PUBLISH_PROPOSAL = {
    "anonymous": "login",
    "teacher": 403,  # the author themself
    "director": 404,
    "counsellor": 302,
    "inspector": 302,
    "rased_member": 404,
    "admin_user": 302,
}


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_only_the_district_team_publishes_a_proposal(person, teacher, client_as, request):
    role = request.node.callspec.params["person"]
    proposal = PostFactory(author=teacher, status=PostStatus.SUBMITTED, published_at=None)
    before = state()
    response = client_as(person).post(reverse("news:post-publish", args=[proposal.pk]))
    expected = PUBLISH_PROPOSAL[role]
    proposal.refresh_from_db()
    if expected == 302:
        assert response.status_code == 302
        assert proposal.status == PostStatus.PUBLISHED
    else:
        assert login_or_redirect(response) if expected == "login" else response.status_code == expected
        assert proposal.status == PostStatus.SUBMITTED
        assert state() == before


def test_a_teacher_cannot_publish_their_own_draft_even_by_forging_the_form(teacher, client_as):
    draft = PostFactory(draft=True, author=teacher, pinned=False)
    client = client_as(teacher)
    before = state()
    assert client.post(reverse("news:post-publish", args=[draft.pk])).status_code == 403
    assert state() == before
    # The edit form has no publication options for them: a forged "publish" is refused, nothing saved.
    response = client.post(
        reverse("news:post-edit", args=[draft.pk]),
        {
            "title": draft.title,
            "summary": draft.summary,
            "body": draft.body,
            "action": "publish",
            "pinned": "on",
            "published_at": "2020-01-01T10:00",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == PostStatus.DRAFT and draft.pinned is False and draft.published_at is None


EDIT_PUBLISHED = {
    "anonymous": "login",
    "teacher": 403,
    "director": 403,
    "counsellor": 200,
    "inspector": 200,
    "rased_member": 403,
    "admin_user": 200,
}


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_editing_a_published_post(person, client_as, request):
    role = request.node.callspec.params["person"]
    post = PostFactory(title="Titre d’origine")
    client = client_as(person)
    expected = EDIT_PUBLISHED[role]
    response = client.get(reverse("news:post-edit", args=[post.pk]))
    assert login_or_redirect(response) if expected == "login" else response.status_code == expected
    before = state()
    response = client.post(
        reverse("news:post-edit", args=[post.pk]),
        {
            "title": "Titre modifié",
            "summary": post.summary,
            "body": post.body,
            "audience_choice": "all",
            "action": "draft",
        },
    )
    post.refresh_from_db()
    if expected == 200:
        assert response.status_code == 302 and post.title == "Titre modifié"
    else:
        assert post.title == "Titre d’origine" and state() == before


ARCHIVE = {
    "anonymous": "login",
    "teacher": 403,
    "director": 403,
    "counsellor": 302,
    "inspector": 302,
    "rased_member": 403,
    "admin_user": 302,
}


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_only_the_district_team_archives(person, client_as, request):
    role = request.node.callspec.params["person"]
    post = PostFactory()
    before = state()
    response = client_as(person).post(reverse("news:post-archive", args=[post.pk]))
    post.refresh_from_db()
    expected = ARCHIVE[role]
    if expected == 302:
        assert response.status_code == 302 and post.status == PostStatus.ARCHIVED
    else:
        assert login_or_redirect(response) if expected == "login" else response.status_code == expected
        assert post.status == PostStatus.PUBLISHED and state() == before


DASHBOARD = {
    "anonymous": "login",
    "teacher": 404,
    "director": 403,
    "counsellor": 200,
    "inspector": 200,
    "rased_member": 404,
    "admin_user": 200,
}


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_acknowledgement_dashboard_is_for_the_author_and_the_ien(person, counsellor, client_as, request):
    role = request.node.callspec.params["person"]
    post = PostFactory(directors=True, requires_ack=True, author=counsellor)
    expected = DASHBOARD[role]
    client = client_as(person)
    for name in ("acknowledgements", "acknowledgements-csv"):
        response = client.get(reverse(f"news:{name}", args=[post.pk]))
        assert login_or_redirect(response) if expected == "login" else response.status_code == expected


def test_another_counsellor_is_not_the_author_and_is_refused_the_dashboard(counsellor, client_as):
    other = make_member(Role.CPC, first_name="Claire")
    post = PostFactory(directors=True, requires_ack=True, author=counsellor)
    before = state()
    assert client_as(other).get(reverse("news:acknowledgements", args=[post.pk])).status_code == 403
    assert client_as(other).post(reverse("news:remind", args=[post.pk])).status_code == 403
    assert state() == before


ACKNOWLEDGE = {
    "anonymous": "login",
    "teacher": 404,
    "director": 302,
    "counsellor": 403,
    "inspector": 403,
    "rased_member": 404,
    "admin_user": 403,
}


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_only_directors_acknowledge(person, director, client_as, request):
    role = request.node.callspec.params["person"]
    post = PostFactory(directors=True, requires_ack=True)
    before = state()
    response = client_as(person).post(reverse("news:acknowledge", args=[post.pk]))
    expected = ACKNOWLEDGE[role]
    if expected == 302:
        assert response.status_code == 302
        assert Acknowledgement.objects.filter(post=post, user=person).count() == 1
    else:
        assert login_or_redirect(response) if expected == "login" else response.status_code == expected
        assert state() == before


# --- the list filter and the one-post check are one rule -------------------------------------------


def _every_kind_of_post(person, school):
    """One post per feed × audience × state × publication date × author (the person or someone else)."""
    now = timezone.now()
    other_school = SchoolFactory(name="École des Tilleuls")
    someone = UserFactory()
    audiences = [
        (AudienceKind.DISTRICT, None),
        (AudienceKind.DIRECTORS, None),
        (AudienceKind.TEACHERS, None),
        (AudienceKind.DISTRICT_TEAM, None),
        (AudienceKind.STRUCTURES, school),
        (AudienceKind.STRUCTURES, other_school),
    ]
    dates = [None, now - dt.timedelta(days=1), now + dt.timedelta(days=1)]
    authors = [someone] if person is None else [someone, person]
    posts, addressed = [], {}
    for n, (feed, (audience, to_school), status, published_at, author) in enumerate(
        product(Feed.values, audiences, PostStatus.values, dates, authors)
    ):
        if published_at is None and status in (PostStatus.SCHEDULED, PostStatus.PUBLISHED, PostStatus.ARCHIVED):
            continue  # refused by a database constraint
        post = Post(
            feed=feed,
            title=f"n°{n}",
            slug=f"n-{n}",
            summary="r",
            status=status,
            published_at=published_at,
            author=author,
            audience=audience,
        )
        posts.append(post)
        if to_school is not None:
            addressed[post.slug] = to_school
    Post.objects.bulk_create(posts)
    through = Post.audience_structures.through
    ids = dict(Post.objects.values_list("slug", "pk"))
    through.objects.bulk_create([through(post_id=ids[slug], structure_id=s.pk) for slug, s in addressed.items()])
    return Post.objects.prefetch_related("audience_structures")


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_the_list_filter_and_the_object_check_agree_on_every_post(person, school, request):
    role = request.node.callspec.params["person"]
    user = person or AnonymousUser()
    posts = list(_every_kind_of_post(person, school))

    listed = set(Post.objects.filter(permissions.posts_visible_to(user)).values_list("pk", flat=True))
    checked = {post.pk for post in posts if permissions.can_view_post(user, post)}

    assert len(posts) == 3 * 6 * (6 * 3 - 3) * (1 if person is None else 2)
    assert listed == checked
    if role in ("counsellor", "inspector", "admin_user"):
        assert len(listed) == len(posts)  # the district team sees every post in every state
    elif role == "anonymous":
        assert listed == set()
    else:
        assert 0 < len(listed) < len(posts)
