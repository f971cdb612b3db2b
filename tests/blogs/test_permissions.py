"""Who may read, write, comment and moderate, role by role. Every refusal: its status, and nothing changed."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from blogs import permissions
from blogs.models import Blog, Comment, Post
from tests.conftest import ROLES

from .factories import BlogFactory, CommentFactory, PostFactory

pytestmark = pytest.mark.django_db

# The blog of the fixtures is read by teachers and directors and written by the counsellor; the
# district team (counsellor, inspector) and administrators act for the district everywhere.
READERS = {"teacher", "director", "counsellor", "inspector", "admin_user"}
WRITERS = {"counsellor", "inspector", "admin_user"}


def _role(request):
    return request.node.callspec.params["person"]


def _assert_refused(response, role):
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_reading_a_blog_and_its_posts(request, client_as, person, blog, post):
    role = _role(request)
    client = client_as(person)
    month = timezone.localtime(post.published_at)
    urls = [
        reverse("blogs:blog-detail", args=[blog.slug]),
        post.get_absolute_url(),
        reverse("blogs:archive", args=[blog.slug, month.year, month.month]),
    ]
    for url in urls:
        response = client.get(url)
        if role in READERS:
            assert response.status_code == 200, url
            assert "Digipad en classe" in response.text
        else:
            _assert_refused(response, role)


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_the_blog_list_shows_only_readable_blogs(client_as, person, blog, public_blog):
    response = client_as(person).get(reverse("blogs:blog-list"))
    assert response.status_code == 200
    assert "La vie de l’école" in response.text
    assert ("Le blog des enseignants" in response.text) == permissions.can_view_blog(person or AnonymousUser(), blog)


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_a_public_blog_is_read_by_everyone_even_signed_out(client_as, person, public_blog, public_post):
    client = client_as(person)
    assert client.get(reverse("blogs:blog-detail", args=[public_blog.slug])).status_code == 200
    response = client.get(public_post.get_absolute_url())
    assert response.status_code == 200
    assert "Le potager de l’école" in response.text
    feed = client.get(reverse("blogs:feed", args=[public_blog.slug]))
    assert feed.status_code == 200
    assert "Le potager de l’école" in feed.content.decode()


def test_a_public_blogs_drafts_stay_hidden_from_the_public(client, client_as, public_blog, director, teacher):
    draft = PostFactory(
        blog=public_blog, author=director, title="Pas encore prêt", status=Post.Status.DRAFT, published_at=None
    )
    # Signed out: asked to sign in (its author may be signed out); a reader: it does not exist.
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client_as(teacher).get(draft.get_absolute_url()).status_code == 404
    assert "Pas encore prêt" not in client.get(reverse("blogs:blog-detail", args=[public_blog.slug])).text


def test_anonymous_on_a_non_public_blog_is_sent_to_sign_in(client, blog, post):
    for url in (reverse("blogs:blog-detail", args=[blog.slug]), post.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('account_login')}?next={url}"
    assert client.get(reverse("blogs:feed", args=[blog.slug])).status_code == 404


def test_readers_do_not_see_drafts_and_scheduled_posts(client_as, teacher, draft):
    assert client_as(teacher).get(draft.get_absolute_url()).status_code == 404


def test_contributors_see_drafts(client_as, counsellor, draft):
    response = client_as(counsellor).get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "seuls les contributeur·rices du blog le voient" in response.text


def test_a_structure_named_as_contributor_makes_its_members_contributors(client_as, teacher, school, blog):
    blog.contributor_structures.set([school])
    response = client_as(teacher).get(reverse("blogs:post-create", args=[blog.slug]))
    assert response.status_code == 200
    assert permissions.can_contribute(teacher, blog)


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_writing_a_post(request, client_as, person, blog):
    role = _role(request)
    url = reverse("blogs:post-create", args=[blog.slug])
    response = client_as(person).post(url, {"title": "Nouveau billet", "body": "<p>Texte</p>", "action": "publier"})
    if role in WRITERS:
        assert response.status_code == 302
        assert Post.objects.filter(blog=blog, title="Nouveau billet", status=Post.Status.PUBLISHED).exists()
    else:
        _assert_refused(response, role)
        assert not Post.objects.exists()


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_editing_and_deleting_the_counsellors_post(request, client_as, person, blog, post):
    role = _role(request)
    client = client_as(person)
    edit = reverse("blogs:post-edit", args=[blog.slug, post.pk])
    response = client.post(edit, {"title": "Titre changé", "body": "<p>Autre texte</p>", "action": "publier"})
    post.refresh_from_db()
    if role in WRITERS:
        assert response.status_code == 302
        assert post.title == "Titre changé"
    else:
        _assert_refused(response, role)
        assert post.title == "Digipad en classe"
    response = client.post(reverse("blogs:post-delete", args=[blog.slug, post.pk]))
    if role in WRITERS:
        assert response.status_code == 302
        assert not Post.objects.filter(pk=post.pk).exists()
    else:
        _assert_refused(response, role)
        assert Post.objects.filter(pk=post.pk).exists()


def test_a_contributor_edits_only_their_own_posts(client_as, teacher, school, blog, post):
    blog.contributor_structures.set([school])
    own = PostFactory(blog=blog, author=teacher, title="Le mien")
    client = client_as(teacher)
    data = {"title": "Modifié", "body": "<p>x</p>", "action": "publier"}
    assert client.post(reverse("blogs:post-edit", args=[blog.slug, own.pk]), data).status_code == 302
    response = client.post(reverse("blogs:post-edit", args=[blog.slug, post.pk]), data)
    assert response.status_code == 403
    own.refresh_from_db()
    post.refresh_from_db()
    assert (own.title, post.title) == ("Modifié", "Digipad en classe")


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_commenting(request, client_as, person, blog, post):
    role = _role(request)
    response = client_as(person).post(
        reverse("blogs:comment-create", args=[blog.slug, post.pk]), {"body": "Merci beaucoup !"}
    )
    if role in READERS:
        assert response.status_code == 302
        assert post.comments.get().body == "Merci beaucoup !"
    else:
        _assert_refused(response, role)
        assert not Comment.objects.exists()


def test_nobody_comments_where_comments_are_closed(client_as, director, public_post):
    response = client_as(director).post(
        reverse("blogs:comment-create", args=[public_post.blog.slug, public_post.pk]), {"body": "Bonjour"}
    )
    assert response.status_code == 403
    assert not Comment.objects.exists()


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_moderating(request, client_as, person, blog, post, teacher):
    role = _role(request)
    blog.comment_policy = Blog.CommentPolicy.MODERATED
    blog.save()
    pending = CommentFactory(post=post, author=teacher, status=Comment.Status.PENDING)
    client = client_as(person)
    page = client.get(reverse("blogs:moderation", args=[blog.slug]))
    response = client.post(reverse("blogs:comment-moderate", args=[pending.pk]), {"decision": "approuver"})
    pending.refresh_from_db()
    if role in WRITERS:
        assert page.status_code == 200
        assert response.status_code == 302
        assert pending.status == Comment.Status.PUBLISHED
    else:
        _assert_refused(page, role)
        _assert_refused(response, role)
        assert pending.status == Comment.Status.PENDING


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_creating_a_blog(request, client_as, person, school):
    role = _role(request)
    data = {
        "title": "Projet cirque",
        "owner_kind": "circonscription",
        "audience": "district",
        "comment_policy": "modere",
    }
    response = client_as(person).post(reverse("blogs:blog-create"), data)
    if role in WRITERS:
        assert response.status_code == 302
        created = Blog.objects.get(slug="projet-cirque")
        assert list(created.contributor_users.all()) == [person]
    else:
        _assert_refused(response, role)
        assert not Blog.objects.exists()


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_changing_a_blogs_settings(request, client_as, person, blog):
    role = _role(request)
    data = {
        "title": "Titre changé",
        "slug": blog.slug,
        "owner_kind": "circonscription",
        "audience": "enseignants",
        "comment_policy": "aucun",
    }
    response = client_as(person).post(reverse("blogs:blog-edit", args=[blog.slug]), data)
    blog.refresh_from_db()
    if role in WRITERS:
        assert response.status_code == 302
        assert (blog.title, blog.comment_policy) == ("Titre changé", "aucun")
    else:
        _assert_refused(response, role)
        assert (blog.title, blog.comment_policy) == ("Le blog des enseignants", "immediat")


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_the_planning_is_for_contributors_of_a_series(request, client_as, person, counsellor):
    role = _role(request)
    series = BlogFactory(is_weekly_series=True, series_start=date(2026, 8, 31), slug="serie", contributors=[counsellor])
    response = client_as(person).get(reverse("blogs:planning", args=[series.slug]))
    if role in WRITERS:
        assert response.status_code == 200
    else:
        _assert_refused(response, role)


def test_the_contributor_views_of_a_blog_refuse_readers(client_as, teacher, blog):
    client = client_as(teacher)
    for name in ("blogs:preparation", "blogs:moderation", "blogs:post-create", "blogs:blog-edit"):
        assert client.get(reverse(name, args=[blog.slug])).status_code == 403, name


def test_permission_functions_for_anonymous_people(blog, post, public_blog, public_post):
    anonymous = AnonymousUser()
    assert not permissions.can_view_blog(anonymous, blog)
    assert permissions.can_view_blog(anonymous, public_blog)
    assert permissions.can_view_post(anonymous, public_post)
    assert not permissions.can_comment(anonymous, public_post)
    assert not permissions.can_contribute(anonymous, public_blog)
    assert set(Blog.objects.filter(permissions.blogs_visible_to(anonymous))) == {public_blog}


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_the_list_filters_agree_with_the_object_checks(person, blog, post, draft, public_blog, public_post, counsellor):
    user = person or AnonymousUser()
    other = BlogFactory(title="Autre", slug="autre", audience="rased", contributors=[counsellor])
    PostFactory(blog=other, author=counsellor)
    assert (Blog.objects.count(), Post.objects.count()) == (3, 4)  # the loops below are not empty
    for b in Blog.objects.all():
        assert (b in Blog.objects.filter(permissions.blogs_visible_to(user))) == permissions.can_view_blog(user, b), b
        assert (b in Blog.objects.filter(permissions.blogs_contributed_by(user))) == permissions.can_contribute(
            user, b
        ), b
    for p in Post.objects.select_related("blog"):
        assert (p in Post.objects.filter(permissions.posts_visible_to(user))) == permissions.can_view_post(user, p), p
