"""The blogs in the Django admin: pages open, every write goes through the services (files included,
see test_media_deletion.py; readers told when publishing; status and date read-only; blogs recorded
in the audit trail; comments moderated, never typed in)."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from audit.models import Event as AuditEvent
from audit.selectors import history_of
from blogs import services
from blogs.models import Blog, BlogsAction, Comment, CommentReport, Post
from notifications.models import Notification
from tests.admin_forms import admin_form_data
from tests.factories import UserFactory
from tests.uploads.samples import jpeg_upload
from uploads.models import MediaFile

from .factories import CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def processed(django_capture_on_commit_callbacks):
    def run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return run


def test_deleting_a_blog_in_the_admin_deletes_its_files(client_as, admin_user, counsellor, blog, post, processed):
    processed(services.post_add_image, actor=counsellor, post=post, file=jpeg_upload(), alt_text="Une capture")
    assert MediaFile.objects.count() == 1
    client = client_as(admin_user)
    response = client.post(reverse("admin:blogs_blog_delete", args=[blog.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Blog.objects.exists()
    assert not MediaFile.objects.exists()


def test_the_admin_pages_of_the_blogs_open(client_as, admin_user, blog, post, teacher):
    comment = CommentFactory(post=post, author=teacher)
    client = client_as(admin_user)
    for url in (
        reverse("admin:blogs_blog_changelist"),
        reverse("admin:blogs_blog_change", args=[blog.pk]),
        reverse("admin:blogs_post_changelist"),
        reverse("admin:blogs_post_change", args=[post.pk]),
        reverse("admin:blogs_tag_changelist"),
        reverse("admin:blogs_comment_change", args=[comment.pk]),
    ):
        assert client.get(url).status_code == 200, url


def _told(post):
    return set(Notification.objects.filter(key=f"blogs.published:{post.pk}").values_list("recipient_id", flat=True))


def test_publishing_from_the_admin_tells_the_readers_once(client_as, admin_user, counsellor, teacher, blog):
    post = services.post_create(actor=counsellor, blog=blog, title="Vocaroo", body="<p>x</p>")
    client = client_as(admin_user)
    changelist = reverse("admin:blogs_post_changelist")

    response = client.post(changelist, {"action": "publish", "_selected_action": [post.pk]}, follow=True)
    client.post(changelist, {"action": "publish", "_selected_action": [post.pk]})

    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    assert abs(post.published_at - timezone.now()) < timedelta(seconds=5)
    assert _told(post) == {teacher.pk}
    assert Notification.objects.filter(key=f"blogs.published:{post.pk}").count() == 1
    assert "1 billet publié." in response.text


def test_unpublishing_from_the_admin_keeps_the_date_and_never_tells_twice(
    client_as, admin_user, counsellor, teacher, blog
):
    post = services.post_create(actor=counsellor, blog=blog, title="Digipad", body="<p>x</p>", action="publier")
    published_at = Post.objects.get(pk=post.pk).published_at
    client = client_as(admin_user)
    changelist = reverse("admin:blogs_post_changelist")

    response = client.post(changelist, {"action": "unpublish", "_selected_action": [post.pk]}, follow=True)
    assert "1 billet remis en brouillon." in response.text
    post.refresh_from_db()
    assert (post.status, post.published_at) == (Post.Status.DRAFT, published_at)

    client.post(changelist, {"action": "publish", "_selected_action": [post.pk]})
    assert Notification.objects.filter(key=f"blogs.published:{post.pk}").count() == 1


def test_the_change_form_saves_the_text_through_the_service_and_keeps_the_status(
    client_as, admin_user, counsellor, teacher, blog
):
    soon = timezone.now() + timedelta(days=3)
    post = services.post_create(
        actor=counsellor, blog=blog, title="Avant", body="<p>x</p>", action="programmer", publish_at=soon
    )
    client = client_as(admin_user)
    url = reverse("admin:blogs_post_change", args=[post.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    assert "status" not in form.fields and "published_at" not in form.fields

    data = admin_form_data(
        page, title="Après", body="<p>Texte <script>alert(1)</script></p>", status="publie", published_at=""
    )
    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    post.refresh_from_db()
    assert (post.title, post.body, post.status, post.published_at) == (
        "Après",
        "<p>Texte </p>",
        Post.Status.SCHEDULED,
        soon,
    )
    assert _told(post) == set()


def test_adding_in_the_admin_creates_a_draft_through_the_service(client_as, admin_user, blog, teacher):
    client = client_as(admin_user)
    url = reverse("admin:blogs_post_add")
    data = admin_form_data(client.get(url), blog=str(blog.pk), title="Créé dans l’admin", body="<p>Bonjour</p>")

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    post = Post.objects.get()
    assert (post.title, post.status, post.author, post.published_at) == (
        "Créé dans l’admin",
        Post.Status.DRAFT,
        admin_user,
        None,
    )
    assert _told(post) == set()


# --- Blogs: created, changed and deleted through blogs.services ------------------------------


def _staff_with(*codenames):
    """A staff account with these admin permissions but no role in the district (not the district team)."""
    staff = UserFactory(is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="blogs", codename__in=codenames))
    return staff


def _actions(target):
    return list(history_of(target).values_list("action", "actor__email"))


def test_adding_a_blog_in_the_admin_goes_through_the_service(client_as, admin_user):
    client = client_as(admin_user)
    url = reverse("admin:blogs_blog_add")
    data = admin_form_data(
        client.get(url),
        title="Projet sciences",
        slug="projet-sciences",
        audience="enseignants",
        comment_policy="modere",
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    blog = Blog.objects.get()
    assert (blog.title, blog.created_by) == ("Projet sciences", admin_user)
    # The service names its creator as contributor when nobody else is.
    assert list(blog.contributor_users.all()) == [admin_user]
    assert _actions(blog) == [(BlogsAction.BLOG_CREATED, admin_user.email)]


def test_changing_a_blog_in_the_admin_records_what_changed(client_as, admin_user, counsellor, teacher, blog):
    client = client_as(admin_user)
    url = reverse("admin:blogs_blog_change", args=[blog.pk])
    data = admin_form_data(
        client.get(url), title="Le blog des classes", contributor_users=[str(counsellor.pk), str(teacher.pk)]
    )

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    blog.refresh_from_db()
    assert blog.title == "Le blog des classes"
    assert set(blog.contributor_users.all()) == {counsellor, teacher}
    event = history_of(blog).get()
    assert (event.action, event.actor) == (BlogsAction.BLOG_UPDATED, admin_user)
    assert [change["field"] for change in event.changes] == ["title", "contributor_users"]


def test_deleting_a_blog_in_the_admin_is_recorded(client_as, admin_user, blog):
    pk = blog.pk
    response = client_as(admin_user).post(reverse("admin:blogs_blog_delete", args=[pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Blog.objects.exists()
    assert _actions(Blog(pk=pk)) == [(BlogsAction.BLOG_DELETED, admin_user.email)]


def test_staff_outside_the_district_team_cannot_add_change_or_delete_a_blog(client_as, blog, counsellor):
    client = client_as(_staff_with("add_blog", "change_blog", "delete_blog", "view_blog"))
    url = reverse("admin:blogs_blog_change", args=[blog.pk])
    data = admin_form_data(client.get(url), title="Pris")
    add_url = reverse("admin:blogs_blog_add")

    changed = client.post(url, data)
    added = client.post(add_url, {"title": "Nouveau", "slug": "nouveau", "audience": "enseignants"})
    deleted = client.post(reverse("admin:blogs_blog_delete", args=[blog.pk]), {"post": "yes"})

    assert (changed.status_code, added.status_code, deleted.status_code) == (403, 403, 403)
    assert list(Blog.objects.values_list("title", flat=True)) == ["Le blog des enseignants"]
    assert list(blog.contributor_users.all()) == [counsellor]
    assert not AuditEvent.objects.exists()


# --- Comments: read-only, moderated through comment_moderate --------------------------------

COMMENTS = reverse("admin:blogs_comment_changelist")


def _moderate(client, action, *comments):
    return client.post(COMMENTS, {"action": action, "_selected_action": [c.pk for c in comments]}, follow=True)


def test_publishing_a_waiting_comment_from_the_admin_goes_through_moderation(
    client_as, admin_user, teacher, director, post
):
    waiting = CommentFactory(post=post, author=teacher, status=Comment.Status.PENDING)
    published = CommentFactory(post=post, author=director)

    response = _moderate(client_as(admin_user), "approve", waiting, published)

    waiting.refresh_from_db()
    assert (waiting.status, waiting.moderated_by) == (Comment.Status.PUBLISHED, admin_user)
    assert _actions(waiting) == [(BlogsAction.COMMENT_APPROVED, admin_user.email)]
    assert _actions(published) == []
    assert "1 commentaire publié. 1 commentaire n’était pas en attente : rien à faire." in response.text


def test_removing_a_reported_comment_from_the_admin_closes_its_reports(
    client_as, admin_user, counsellor, teacher, director, post
):
    comment = CommentFactory(post=post, author=director)
    services.comment_report(actor=teacher, comment=comment, reason="Hors sujet")
    assert Notification.objects.filter(kind="blogs.comment_reported", recipient=counsellor).count() == 1

    response = _moderate(client_as(admin_user), "remove", comment)

    comment.refresh_from_db()
    assert (comment.status, comment.moderated_by) == (Comment.Status.REMOVED, admin_user)
    report = comment.reports.get()
    assert (report.decision, report.resolved_by) == (CommentReport.Decision.REMOVE, admin_user)
    assert _actions(comment) == [(BlogsAction.COMMENT_REMOVED, admin_user.email)]
    assert "1 commentaire retiré." in response.text


def test_keeping_a_reported_comment_from_the_admin_keeps_it_published(client_as, admin_user, teacher, director, post):
    comment = CommentFactory(post=post, author=director)
    services.comment_report(actor=teacher, comment=comment)
    client = client_as(admin_user)

    first = _moderate(client, "keep", comment)
    second = _moderate(client, "keep", comment)

    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED
    assert comment.reports.get().decision == CommentReport.Decision.KEEP
    assert _actions(comment) == [(BlogsAction.COMMENT_KEPT, admin_user.email)]
    assert "1 commentaire conservé." in first.text
    assert "1 commentaire n’avait pas de signalement en attente : rien à faire." in second.text


def test_a_comment_and_its_reports_cannot_be_typed_in_the_admin(client_as, admin_user, teacher, director, post):
    comment = CommentFactory(post=post, author=director)
    services.comment_report(actor=teacher, comment=comment)
    client = client_as(admin_user)
    url = reverse("admin:blogs_comment_change", args=[comment.pk])

    page = client.get(url)
    response = client.post(url, {"status": "retire", "body": "Changé", "reports-0-decision": "conserve"})

    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert response.status_code == 403
    comment.refresh_from_db()
    assert (comment.status, comment.body) == (Comment.Status.PUBLISHED, "Merci pour ce tutoriel !")
    assert comment.reports.get().decision == ""
    assert client.get(reverse("admin:blogs_comment_add")).status_code == 403


def test_only_its_author_deletes_a_comment_from_the_admin(client_as, admin_user, teacher, post):
    someone_elses = CommentFactory(post=post, author=teacher)
    own = CommentFactory(post=post, author=admin_user)
    client = client_as(admin_user)

    refused = client.post(reverse("admin:blogs_comment_delete", args=[someone_elses.pk]), {"post": "yes"})
    deleted = client.post(reverse("admin:blogs_comment_delete", args=[own.pk]), {"post": "yes"})

    assert (refused.status_code, deleted.status_code) == (403, 302)
    assert list(Comment.objects.all()) == [someone_elses]
    assert _actions(Comment(pk=own.pk)) == [(BlogsAction.COMMENT_DELETED, admin_user.email)]
    assert _actions(someone_elses) == []


def test_staff_who_may_not_moderate_the_blog_change_nothing(client_as, teacher, post):
    comment = CommentFactory(post=post, author=teacher, status=Comment.Status.PENDING)

    response = _moderate(client_as(_staff_with("view_comment", "change_comment")), "approve", comment)

    comment.refresh_from_db()
    assert (comment.status, comment.moderated_by) == (Comment.Status.PENDING, None)
    assert not AuditEvent.objects.exists()
    assert "0 commentaire publié. Vous ne pouvez pas modérer : Merci pour ce tutoriel !." in response.text
