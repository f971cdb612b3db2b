"""Comments: immediate or moderated, deleted by their author, reported by anyone, decided by a contributor."""

import pytest
from django.urls import reverse

from blogs import services
from blogs.models import Blog, Comment, CommentReport
from notifications.models import Notification
from tests.factories import make_member

from .factories import CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderated(blog):
    blog.comment_policy = Blog.CommentPolicy.MODERATED
    blog.save()
    return blog


def _comment(client, post, body="Merci !", **extra):
    return client.post(reverse("blogs:comment-create", args=[post.blog.slug, post.pk]), {"body": body}, **extra)


def test_in_an_immediate_blog_a_comment_is_published_at_once(client_as, teacher, director, post):
    _comment(client_as(teacher), post, "Testé ce matin, super.")
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PUBLISHED
    assert "Testé ce matin, super." in client_as(director).get(post.get_absolute_url()).text


def test_in_a_moderated_blog_a_comment_waits_and_contributors_are_told(
    client_as, teacher, director, counsellor, moderated, post
):
    response = _comment(client_as(teacher), post, "Une question sur Digipad", follow=True)
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert "attend la validation" in response.text
    # The author sees it with its state; other readers do not see it.
    assert "En attente de validation" in client_as(teacher).get(post.get_absolute_url()).text
    assert "Une question sur Digipad" not in client_as(director).get(post.get_absolute_url()).text
    told = Notification.objects.filter(key=f"blogs.comment_pending:{comment.pk}")
    assert set(told.values_list("recipient_id", flat=True)) == {counsellor.pk}
    assert told.get().url == reverse("blogs:moderation", args=[moderated.slug])

    page = client_as(counsellor).get(reverse("blogs:moderation", args=[moderated.slug]))
    assert "Une question sur Digipad" in page.text
    client_as(counsellor).post(reverse("blogs:comment-moderate", args=[comment.pk]), {"decision": "approuver"})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED
    assert comment.moderated_by == counsellor
    assert "Une question sur Digipad" in client_as(director).get(post.get_absolute_url()).text


def test_members_of_a_contributing_structure_are_told_of_waiting_comments(client_as, teacher, moderated, post, school):
    colleague = make_member("enseignant", school)
    moderated.contributor_structures.set([school])
    outsider = make_member("enseignant")
    services.comment_create(actor=outsider, post=post, body="Bonjour")
    recipients = set(Notification.objects.filter(kind="blogs.comment_pending").values_list("recipient_id", flat=True))
    assert {teacher.pk, colleague.pk} <= recipients
    assert outsider.pk not in recipients


def test_a_contributor_removes_a_waiting_comment(client_as, counsellor, teacher, moderated, post):
    comment = CommentFactory(post=post, author=teacher, status=Comment.Status.PENDING, body="Hors sujet")
    client_as(counsellor).post(reverse("blogs:comment-moderate", args=[comment.pk]), {"decision": "retirer"})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REMOVED
    assert "Hors sujet" not in client_as(teacher).get(post.get_absolute_url()).text


def test_an_author_deletes_their_comment_and_only_theirs(client_as, teacher, director, post):
    own = CommentFactory(post=post, author=teacher)
    other = CommentFactory(post=post, author=director)
    client = client_as(teacher)
    response = client.post(reverse("blogs:comment-delete", args=[other.pk]))
    assert response.status_code == 403
    assert Comment.objects.filter(pk=other.pk).exists()
    response = client.post(reverse("blogs:comment-delete", args=[own.pk]))
    assert response.status_code == 302
    assert not Comment.objects.filter(pk=own.pk).exists()


def test_reporting_a_comment_then_a_contributor_keeps_it(client_as, teacher, director, counsellor, post):
    comment = CommentFactory(post=post, author=director, body="Un avis tranché")
    client = client_as(teacher)
    assert client.get(reverse("blogs:comment-report", args=[comment.pk])).status_code == 200
    client.post(reverse("blogs:comment-report", args=[comment.pk]), {"reason": "Propos blessants"})
    client.post(reverse("blogs:comment-report", args=[comment.pk]), {"reason": "Encore"})  # a double click
    report = CommentReport.objects.get()
    assert (report.reporter, report.reason) == (teacher, "Propos blessants")
    assert Notification.objects.filter(key=f"blogs.comment_reported:{comment.pk}", recipient=counsellor).count() == 1
    assert "Vous avez signalé ce commentaire" in client.get(post.get_absolute_url()).text

    page = client_as(counsellor).get(reverse("blogs:moderation", args=[post.blog.slug]))
    assert "Propos blessants" in page.text
    client_as(counsellor).post(reverse("blogs:comment-moderate", args=[comment.pk]), {"decision": "conserver"})
    report.refresh_from_db()
    comment.refresh_from_db()
    assert report.decision == CommentReport.Decision.KEEP
    assert report.resolved_by == counsellor
    assert comment.status == Comment.Status.PUBLISHED
    assert "Propos blessants" not in client_as(counsellor).get(reverse("blogs:moderation", args=[post.blog.slug])).text


def test_a_reported_comment_removed_by_a_contributor_disappears(client_as, teacher, director, counsellor, post):
    comment = CommentFactory(post=post, author=director, body="À retirer")
    services.comment_report(actor=teacher, comment=comment, reason="")
    client_as(counsellor).post(reverse("blogs:comment-moderate", args=[comment.pk]), {"decision": "retirer"})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REMOVED
    assert CommentReport.objects.get().decision == CommentReport.Decision.REMOVE
    assert "À retirer" not in client_as(teacher).get(post.get_absolute_url()).text


def test_nobody_reports_their_own_comment_or_a_waiting_one(client_as, teacher, director, post):
    own = CommentFactory(post=post, author=teacher)
    waiting = CommentFactory(post=post, author=director, status=Comment.Status.PENDING)
    client = client_as(teacher)
    for comment in (own, waiting):
        assert client.post(reverse("blogs:comment-report", args=[comment.pk])).status_code == 403
    assert not CommentReport.objects.exists()


def test_an_unknown_moderation_decision_changes_nothing(client_as, counsellor, teacher, post):
    comment = CommentFactory(post=post, author=teacher)
    client_as(counsellor).post(reverse("blogs:comment-moderate", args=[comment.pk]), {"decision": "effacer"})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED


def test_an_empty_comment_is_refused_with_a_message(client_as, teacher, post):
    response = _comment(client_as(teacher), post, "   ")
    assert response.status_code == 400
    assert "Ce champ est obligatoire" in response.text or "Écrivez votre commentaire" in response.text
    assert not Comment.objects.exists()


def test_a_double_click_posts_one_comment(client_as, teacher, post):
    client = client_as(teacher)
    _comment(client, post, "Une seule fois")
    _comment(client, post, "Une seule fois")
    assert Comment.objects.count() == 1


def test_commenting_with_htmx_swaps_the_comments_only(client_as, teacher, post):
    response = _comment(client_as(teacher), post, "Par htmx", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="commentaires"')
    assert "Par htmx" in response.text
    assert "Votre commentaire est publié." in response.text
