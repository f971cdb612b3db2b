"""A teacher opens a blog for their school; its director manages it. Role by role; every refusal
asserts its status and that nothing changed."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.audiences import AudienceKind
from accounts.models import Role
from audit.models import Event as AuditEvent
from blogs import permissions, services
from blogs.models import Blog, BlogsAction, Post
from tests.conftest import ROLES
from tests.factories import SchoolFactory, make_member

from .factories import BlogFactory, PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_school(db):
    return SchoolFactory(name="École maternelle Les Tilleuls", commune="Lencloître")


@pytest.fixture
def other_teacher(other_school):
    return make_member(Role.TEACHER, other_school, first_name="Olga", last_name="Ailleurs")


@pytest.fixture
def other_director(other_school):
    return make_member(Role.DIRECTOR, other_school, first_name="Oscar", last_name="Ailleurs")


@pytest.fixture
def colleague(school):
    return make_member(Role.TEACHER, school, first_name="Camille", last_name="Collègue")


@pytest.fixture
def class_blog(teacher, school):
    """A class blog opened by the teacher, read by the school: as blog_create makes it."""
    blog = BlogFactory(
        title="Les CM2 de Thomas",
        slug="cm2-thomas",
        owner_kind=Blog.OwnerKind.SCHOOL,
        audience=AudienceKind.STRUCTURES,
        contributors=[teacher],
        created_by=teacher,
    )
    blog.owner_structures.set([school])
    blog.audience_structures.set([school])
    return blog


def _class_blog_data(school, **overrides):
    data = {
        "title": "La vie de l’école",
        "owner_kind": Blog.OwnerKind.SCHOOL,
        "owner_structures": [school.pk],
        "audience": AudienceKind.STRUCTURES,
        "audience_structures": [school.pk],
        "comment_policy": Blog.CommentPolicy.MODERATED,
    }
    return data | overrides


def _settings_data(blog, **overrides):
    data = {
        "title": blog.title,
        "slug": blog.slug,
        "description": blog.description,
        "owner_kind": blog.owner_kind,
        "owner_structures": [s.pk for s in blog.owner_structures.all()],
        "audience": blog.audience,
        "audience_structures": [s.pk for s in blog.audience_structures.all()],
        "contributor_users": [u.pk for u in blog.contributor_users.all()],
        "comment_policy": blog.comment_policy,
    }
    return data | overrides


# --- Creating ------------------------------------------------------------------------------------


def test_a_teacher_opens_a_blog_for_their_school_read_by_the_school(client_as, teacher, school):
    response = client_as(teacher).post(reverse("blogs:blog-create"), _class_blog_data(school))

    blog = Blog.objects.get()
    assert response.status_code == 302
    assert response["Location"] == blog.get_absolute_url()
    assert (blog.title, blog.slug, blog.owner_kind, blog.audience) == (
        "La vie de l’école",
        "la-vie-de-lecole",
        Blog.OwnerKind.SCHOOL,
        AudienceKind.STRUCTURES,
    )
    assert list(blog.owner_structures.all()) == [school]
    assert list(blog.audience_structures.all()) == [school]
    assert list(blog.contributor_users.all()) == [teacher]
    assert list(AuditEvent.objects.filter(target_id=blog.pk).values_list("action", "actor")) == [
        (BlogsAction.BLOG_CREATED, teacher.pk)
    ]


def test_the_teacher_who_names_other_contributors_still_writes_in_their_blog(client_as, teacher, colleague, school):
    client_as(teacher).post(reverse("blogs:blog-create"), _class_blog_data(school, contributor_users=[colleague.pk]))

    assert set(Blog.objects.get().contributor_users.all()) == {teacher, colleague}


def test_the_form_offers_a_teacher_a_blog_of_their_school_read_by_it(client_as, teacher, school, other_school):
    response = client_as(teacher).get(reverse("blogs:blog-create"))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.school_scope is True
    assert (form["owner_kind"].value(), form["audience"].value()) == (Blog.OwnerKind.SCHOOL, AudienceKind.STRUCTURES)
    assert form["owner_kind"].is_hidden and form["audience"].is_hidden
    assert [value for value, _ in form.fields["owner_structures"].widget.choices] == [school.pk]
    assert form["owner_structures"].value() == [school.pk]
    assert form["audience_structures"].value() == [school.pk]
    assert "Toute la circonscription" not in response.text
    assert '<label class="fr-label" for="id_owner_structures">École du blog' in response.text
    assert '<label class="fr-label" for="id_audience_structures">Lecteurs et lectrices' in response.text
    assert other_school.name not in response.text.split('name="owner_structures"')[1].split("</select>")[0]


def test_the_form_proposes_first_the_school_named_in_the_link(client_as, school, other_school):
    both = make_member(Role.TEACHER, school)
    both.memberships.create(structure=other_school, role=Role.TEACHER, start_date=both.memberships.get().start_date)

    response = client_as(both).get(reverse("blogs:blog-create"), {"ecole": other_school.code})

    form = response.context["form"]
    assert [value for value, _ in form.fields["owner_structures"].widget.choices] == [other_school.pk, school.pk]
    assert form["owner_structures"].value() == [other_school.pk]


def test_the_district_team_keeps_the_whole_form(client_as, counsellor):
    form = client_as(counsellor).get(reverse("blogs:blog-create")).context["form"]

    assert form.school_scope is False
    assert not form["owner_kind"].is_hidden
    assert not form["audience"].is_hidden


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param({"owner_structures": "other"}, id="another school"),
        pytest.param({"audience": AudienceKind.DISTRICT, "audience_structures": []}, id="the whole district"),
        pytest.param({"audience": AudienceKind.TEACHERS, "audience_structures": []}, id="every teacher"),
        pytest.param({"owner_kind": Blog.OwnerKind.PROJECT, "owner_structures": "both"}, id="a project"),
    ],
)
def test_a_teacher_cannot_open_a_blog_beyond_their_school(client_as, teacher, school, other_school, overrides):
    owners = {"other": [other_school.pk], "both": [school.pk, other_school.pk]}
    if "owner_structures" in overrides:
        overrides["owner_structures"] = owners[overrides["owner_structures"]]

    response = client_as(teacher).post(reverse("blogs:blog-create"), _class_blog_data(school, **overrides))

    assert response.status_code == 403
    assert not Blog.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_who_may_open_a_blog_for_a_school(request, client_as, person, school):
    role = request.node.callspec.params["person"]
    response = client_as(person).post(reverse("blogs:blog-create"), _class_blog_data(school))

    if role in {"teacher", "director", "counsellor", "inspector", "admin_user"}:
        assert response.status_code == 302
        assert list(Blog.objects.get().owner_structures.all()) == [school]
    elif role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
        assert not Blog.objects.exists()
    else:
        assert response.status_code == 403
        assert not Blog.objects.exists()


# --- Managing ------------------------------------------------------------------------------------


MANAGERS = {"director", "teacher", "counsellor", "inspector", "admin_user"}  # the teacher opened the blog


@pytest.mark.parametrize("person", [*ROLES, "colleague", "other_teacher", "other_director"], indirect=True)
def test_who_changes_a_school_blogs_settings(request, client_as, person, class_blog, colleague):
    role = request.node.callspec.params["person"]
    data = _settings_data(class_blog, title="La vie de l’école", contributor_users=[colleague.pk])

    response = client_as(person).post(reverse("blogs:blog-edit", args=[class_blog.slug]), data)

    class_blog.refresh_from_db()
    if role in MANAGERS:
        assert response.status_code == 302
        assert class_blog.title == "La vie de l’école"
        assert list(class_blog.contributor_users.all()) == [colleague]
        event = AuditEvent.objects.get(action=BlogsAction.BLOG_UPDATED)
        assert event.actor == (person if role != "anonymous" else None)
        assert {change["field"] for change in event.changes} == {"title", "contributor_users"}
    else:
        assert response.status_code == (302 if role == "anonymous" else 403)
        assert class_blog.title == "Les CM2 de Thomas"
        assert [u.first_name for u in class_blog.contributor_users.all()] == ["Thomas"]


@pytest.mark.parametrize("person", [*ROLES, "colleague", "other_teacher", "other_director"], indirect=True)
def test_who_deletes_a_school_blog(request, client_as, person, class_blog, teacher):
    role = request.node.callspec.params["person"]
    PostFactory(blog=class_blog, author=teacher)
    client = client_as(person)

    page = client.get(reverse("blogs:blog-delete", args=[class_blog.slug]))
    response = client.post(reverse("blogs:blog-delete", args=[class_blog.slug]))

    if role in MANAGERS:
        assert page.status_code == 200
        assert "Ses 1 billet, leurs images et leurs commentaires seront supprimés" in page.text
        assert response.status_code == 302
        assert response["Location"] == reverse("blogs:blog-list")
        assert not Blog.objects.exists()
        assert not Post.objects.exists()
        assert AuditEvent.objects.filter(action=BlogsAction.BLOG_DELETED, target_repr="Les CM2 de Thomas").count() == 1
    else:
        assert page.status_code == response.status_code == (302 if role == "anonymous" else 403)
        assert Blog.objects.get() == class_blog
        assert Post.objects.count() == 1


def test_the_settings_page_links_to_deleting_the_blog(client_as, director, class_blog):
    response = client_as(director).get(reverse("blogs:blog-edit", args=[class_blog.slug]))

    assert response.status_code == 200
    assert reverse("blogs:blog-delete", args=[class_blog.slug]) in response.text


def test_the_director_cannot_give_the_schools_blog_to_the_district(client_as, director, class_blog):
    data = _settings_data(class_blog, owner_kind=Blog.OwnerKind.DISTRICT, owner_structures=[])

    response = client_as(director).post(reverse("blogs:blog-edit", args=[class_blog.slug]), data)

    class_blog.refresh_from_db()
    assert response.status_code == 403
    assert class_blog.owner_kind == Blog.OwnerKind.SCHOOL
    assert not AuditEvent.objects.filter(action=BlogsAction.BLOG_UPDATED).exists()


def test_the_director_cannot_address_the_schools_blog_to_the_whole_district(client_as, director, class_blog):
    data = _settings_data(class_blog, audience=AudienceKind.DISTRICT, audience_structures=[])

    response = client_as(director).post(reverse("blogs:blog-edit", args=[class_blog.slug]), data)

    class_blog.refresh_from_db()
    assert response.status_code == 403
    assert class_blog.audience == AudienceKind.STRUCTURES


def test_the_teacher_who_left_the_school_no_longer_manages_their_blog(class_blog, teacher):
    teacher.memberships.update(end_date="2020-01-01", start_date="2019-01-01")

    assert not permissions.can_manage_blog(teacher, class_blog)


def test_the_director_writes_and_moderates_in_the_schools_blogs(client_as, director, class_blog, teacher):
    draft = PostFactory(blog=class_blog, author=teacher, status=Post.Status.DRAFT, published_at=None)
    client = client_as(director)

    assert client.get(reverse("blogs:post-create", args=[class_blog.slug])).status_code == 200
    assert client.get(reverse("blogs:moderation", args=[class_blog.slug])).status_code == 200
    assert client.get(reverse("blogs:post-edit", args=[class_blog.slug, draft.pk])).status_code == 200
    assert permissions.can_moderate(director, class_blog)


def test_the_director_of_another_school_neither_writes_nor_moderates(client_as, other_director, class_blog):
    client = client_as(other_director)

    assert client.get(reverse("blogs:post-create", args=[class_blog.slug])).status_code == 403
    assert client.get(reverse("blogs:moderation", args=[class_blog.slug])).status_code == 403


# --- Reading -------------------------------------------------------------------------------------


@pytest.mark.parametrize("person", [*ROLES, "colleague", "other_teacher", "other_director"], indirect=True)
def test_who_reads_a_school_blog(request, client_as, person, class_blog, teacher):
    role = request.node.callspec.params["person"]
    post = PostFactory(blog=class_blog, author=teacher, title="Sortie au musée")
    client = client_as(person)

    for url in (class_blog.get_absolute_url(), post.get_absolute_url()):
        response = client.get(url)
        if role in {"teacher", "director", "colleague", "counsellor", "inspector", "admin_user"}:
            assert response.status_code == 200, url
            assert "Sortie au musée" in response.text
        elif role == "anonymous":
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("account_login"))
        else:  # outside the school: the blog does not exist for them
            assert response.status_code == 404, url


def test_a_public_school_blog_is_read_outside_the_school(client_as, other_teacher, class_blog):
    class_blog.is_public = True
    class_blog.save()

    assert client_as(other_teacher).get(class_blog.get_absolute_url()).status_code == 200


def test_a_district_blog_still_answers_403_to_who_may_not_read_it(client_as, rased_member):
    blog = BlogFactory(audience=AudienceKind.TEACHERS)

    assert client_as(rased_member).get(blog.get_absolute_url()).status_code == 403


@pytest.mark.parametrize("person", [*ROLES, "colleague", "other_teacher", "other_director"], indirect=True)
def test_the_contributor_rule_agrees_with_its_check_for_school_blogs(person, class_blog, other_school, counsellor):
    from django.contrib.auth.models import AnonymousUser

    user = person or AnonymousUser()
    elsewhere = BlogFactory(owner_kind=Blog.OwnerKind.SCHOOL, audience=AudienceKind.STRUCTURES)
    elsewhere.owner_structures.set([other_school])
    BlogFactory(contributors=[counsellor])
    assert Blog.objects.count() == 3
    for blog in Blog.objects.all():
        listed = Blog.objects.filter(permissions.blogs_contributed_by(user)).filter(pk=blog.pk).exists()
        assert listed == permissions.can_contribute(user, blog), blog
        readable = Blog.objects.filter(permissions.blogs_visible_to(user)).filter(pk=blog.pk).exists()
        assert readable == permissions.can_view_blog(user, blog), blog


# --- Opening a school's blog to the public (pupils' photos become public) -------------------------


def test_the_form_offers_the_public_choice_to_the_director_not_to_the_teacher(client_as, teacher, director, class_blog):
    url = reverse("blogs:blog-edit", args=[class_blog.slug])

    teacher_page = client_as(teacher).get(url)
    director_page = client_as(director).get(url)

    assert teacher_page.status_code == director_page.status_code == 200
    assert "is_public" not in teacher_page.context["form"].fields
    assert "Ouvrir le blog au public" not in teacher_page.content.decode()
    assert "is_public" in director_page.context["form"].fields
    assert "Ouvrir le blog au public" in director_page.content.decode()


def test_a_teacher_cannot_open_their_class_blog_to_the_public_even_by_forging_the_form(client_as, teacher, class_blog):
    data = _settings_data(class_blog, is_public="on", confirm_public="on")

    response = client_as(teacher).post(reverse("blogs:blog-edit", args=[class_blog.slug]), data)

    class_blog.refresh_from_db()
    assert response.status_code == 302  # the other settings are saved; the public choice is not offered
    assert class_blog.is_public is False
    with pytest.raises(PermissionDenied):
        services.blog_update(actor=teacher, blog=class_blog, is_public=True)
    class_blog.refresh_from_db()
    assert class_blog.is_public is False


def test_a_teacher_cannot_create_a_public_school_blog(teacher, school):
    with pytest.raises(PermissionDenied):
        services.blog_create(actor=teacher, is_public=True, **_class_blog_data(school))
    assert not Blog.objects.exists()


def test_the_director_opens_the_schools_blog_to_the_public(client_as, director, class_blog):
    data = _settings_data(class_blog, is_public="on", confirm_public="on")

    response = client_as(director).post(reverse("blogs:blog-edit", args=[class_blog.slug]), data)

    class_blog.refresh_from_db()
    assert response.status_code == 302
    assert class_blog.is_public is True
