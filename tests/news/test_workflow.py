"""Publishing, proposals (brouillon → soumis → publié / renvoyé) and the revision history."""

from django.urls import reverse

from audit.selectors import history_of
from news.models import Post, PostStatus
from news.services import PostInput, post_create, post_publish, post_update
from notifications.models import Notification

from .factories import PostFactory


def test_publishing_to_500_people_costs_a_bounded_number_of_queries(
    counsellor, make_schools, django_assert_max_num_queries
):
    make_schools(100, teachers_per_school=4)  # 500 people
    post = post_create(actor=counsellor, feed="pedagogie", data=PostInput(title="Pour tous", summary="r"))
    # An upper bound: the notifications' INSERTs depend on the database's batch size; the fan-out's
    # exact cost is pinned in tests/notifications/test_services.py.
    with django_assert_max_num_queries(30):
        post_publish(actor=counsellor, post=post)
    assert Notification.objects.filter(key=f"news.published:{post.pk}").count() == 500


def test_publishing_to_directors_only_tells_directors(counsellor, make_schools):
    make_schools(20, teachers_per_school=2)
    post = post_publish(
        actor=counsellor,
        post=post_create(actor=counsellor, feed="directeurs", data=PostInput(title="Direction", summary="r")),
    )
    assert Notification.objects.filter(target_id=post.pk, kind="news.directors").count() == 20


def test_publishing_twice_does_not_notify_twice(counsellor, teacher):
    post = post_create(actor=counsellor, feed="pedagogie", data=PostInput(title="Une fois", summary="r"))
    post_publish(actor=counsellor, post=post)
    # Archive and a forged re-publication cannot happen, but the dedupe key would hold anyway:
    Post.objects.filter(pk=post.pk).update(status=PostStatus.DRAFT)
    post_publish(actor=counsellor, post=Post.objects.get(pk=post.pk))
    assert Notification.objects.filter(recipient=teacher, key=f"news.published:{post.pk}").count() == 1


def test_the_proposal_workflow(teacher, counsellor, director, client_as):
    author = client_as(teacher)
    response = author.post(
        reverse("news:post-create", args=["pedagogie"]),
        {
            "title": "Notre correspondance",
            "summary": "Avec une classe de Montréal",
            "body": "<p>Bonjour</p>",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    post = Post.objects.get(title="Notre correspondance")
    assert post.status == PostStatus.SUBMITTED and post.author == teacher
    assert Notification.objects.filter(kind="news.proposal_submitted", recipient=counsellor).count() == 1
    assert not Notification.objects.filter(kind="news.proposal_submitted", recipient=director).exists()

    reviewer = client_as(counsellor)
    queue = reviewer.get(reverse("news:write")).content.decode()
    assert "Notre correspondance" in queue
    # A comment is required to send back.
    assert reviewer.post(reverse("news:post-return", args=[post.pk]), {"comment": ""}).status_code == 200
    post.refresh_from_db()
    assert post.status == PostStatus.SUBMITTED
    reviewer.post(reverse("news:post-return", args=[post.pk]), {"comment": "Ajoutez une photo de la classe."})
    post.refresh_from_db()
    assert post.status == PostStatus.RETURNED and post.review_comment == "Ajoutez une photo de la classe."
    assert Notification.objects.filter(kind="news.proposal_reviewed", recipient=teacher).count() == 1

    author = client_as(teacher)
    page = author.get(post.get_absolute_url()).content.decode()
    assert "Ajoutez une photo de la classe." in page
    response = author.post(
        reverse("news:post-edit", args=[post.pk]),
        {
            "title": "Notre correspondance avec Montréal",
            "summary": "Avec une classe de Montréal",
            "body": "<p>Bonjour !</p>",
            "action": "submit",
        },
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == PostStatus.SUBMITTED

    reviewer = client_as(counsellor)
    reviewer.post(reverse("news:post-publish", args=[post.pk]))
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.reviewed_by == counsellor
    assert Notification.objects.filter(kind="news.proposal_reviewed", recipient=teacher).count() == 2
    assert Notification.objects.filter(kind="news.published", recipient=director).count() == 1
    # Once published, the author may no longer edit it.
    assert client_as(teacher).get(reverse("news:post-edit", args=[post.pk])).status_code == 403


def test_revision_history_records_who_changed_what(counsellor, client_as):
    post = post_create(actor=counsellor, feed="pedagogie", data=PostInput(title="Premier titre", summary="Résumé"))
    post_update(actor=counsellor, post=post, data=PostInput(title="Second titre", summary="Résumé", pinned=True))
    revision = history_of(post).first()
    assert revision.actor == counsellor and revision.label == "Modification"
    changed = {c["field"]: (c["before"], c["after"]) for c in revision.changes}
    assert changed == {"title": ("Premier titre", "Second titre"), "pinned": ("non", "oui")}
    page = client_as(counsellor).get(reverse("news:post-revisions", args=[post.pk])).content.decode()
    assert "Premier titre" in page and "Second titre" in page and "À la une" in page


def test_an_unchanged_save_records_no_field(counsellor):
    post = post_create(actor=counsellor, feed="pedagogie", data=PostInput(title="Titre", summary="Résumé"))
    post_update(actor=counsellor, post=post, data=PostInput(title="Titre", summary="Résumé"))
    assert history_of(post).first().changes == []


def test_scheduling_from_the_form(counsellor, client_as):
    response = client_as(counsellor).post(
        reverse("news:post-create", args=["pedagogie"]),
        {
            "title": "Plus tard",
            "summary": "r",
            "body": "",
            "audience_choice": "all",
            "published_at": "2099-01-05T08:00",
            "action": "publish",
        },
    )
    assert response.status_code == 302
    post = Post.objects.get(title="Plus tard")
    assert post.status == PostStatus.SCHEDULED
    assert not Notification.objects.exists()


def test_some_schools_audience_from_the_form(counsellor, school, teacher, make_schools, client_as):
    others = make_schools(2, teachers_per_school=1)
    response = client_as(counsellor).post(
        reverse("news:post-create", args=["pedagogie"]),
        {
            "title": "Pour Mirebeau",
            "summary": "r",
            "body": "",
            "audience_choice": "schools",
            "schools": [school.pk],
            "action": "publish",
        },
    )
    assert response.status_code == 302
    post = Post.objects.get(title="Pour Mirebeau")
    assert list(post.audience_structures.all()) == [school]
    recipients = set(Notification.objects.filter(target_id=post.pk).values_list("recipient_id", flat=True))
    assert teacher.pk in recipients
    assert not recipients & {m.user_id for s in others for m in s.memberships.all()}


def test_choosing_some_schools_without_any_is_refused_in_french(counsellor, client_as):
    response = client_as(counsellor).post(
        reverse("news:post-create", args=["pedagogie"]),
        {"title": "Sans école", "summary": "r", "audience_choice": "schools", "action": "publish"},
    )
    assert response.status_code == 200
    assert "Choisissez au moins une école" in response.content.decode()
    assert not Post.objects.exists()


def test_ack_is_only_offered_in_the_directors_feed(counsellor, client_as):
    client = client_as(counsellor)
    assert "accusé de lecture" in client.get(reverse("news:post-create", args=["directeurs"])).content.decode()
    assert "Demander un accusé" not in client.get(reverse("news:post-create", args=["pedagogie"])).content.decode()
    post = PostFactory()
    assert post.requires_ack is False
