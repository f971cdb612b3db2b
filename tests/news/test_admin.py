"""The news admin writes through news.services, as the site does: publishing there notifies the
audience and records the revision; status and publication date cannot be typed in; a person's
secret Atom key is never shown; acknowledgements and registrations are only read there."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import Event
from audit.selectors import history_of
from news.models import Acknowledgement, FeedToken, Post, PostStatus, Registration
from news.services import PostInput, post_create, post_publish
from notifications.models import Notification
from tests.admin_forms import admin_form_data

from .factories import AcknowledgementFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:news_post_changelist")


def _draft(counsellor, title="Animation numérique"):
    return post_create(actor=counsellor, feed="pedagogie", data=PostInput(title=title, summary="Résumé"))


def test_publishing_from_the_admin_notifies_the_audience_and_records_the_revision(
    client_as, admin_user, counsellor, teacher, director
):
    post = _draft(counsellor)
    response = client_as(admin_user).post(CHANGELIST, {"action": "publish", "_selected_action": [post.pk]}, follow=True)

    assert response.status_code == 200
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    assert abs(post.published_at - timezone.now()) < dt.timedelta(seconds=5)
    notified = Notification.objects.filter(key=f"news.published:{post.pk}", kind="news.published")
    # The author is told too: the administrator published it, not them.
    assert sorted(notified.values_list("recipient_id", flat=True)) == sorted([counsellor.pk, teacher.pk, director.pk])
    revision = history_of(post).get(label="Publication")
    assert revision.actor == admin_user
    assert {change["field"] for change in revision.changes} == {"status", "published_at"}
    assert "1 actualité publiée et annoncée(s) à son public." in response.text


def test_publishing_twice_from_the_admin_announces_once(client_as, admin_user, counsellor, teacher):
    post = post_publish(actor=counsellor, post=_draft(counsellor))
    response = client_as(admin_user).post(CHANGELIST, {"action": "publish", "_selected_action": [post.pk]}, follow=True)
    assert "1 actualité n’a pas pu être publiée (déjà publiée, archivée ou date de retrait passée)" in response.text
    assert Notification.objects.filter(recipient=teacher).count() == 1
    assert history_of(post).filter(label="Publication").count() == 1


def test_a_future_date_set_on_the_site_is_scheduled_by_the_admin_action(client_as, admin_user, counsellor, teacher):
    soon = timezone.now() + dt.timedelta(days=2)
    post = post_create(
        actor=counsellor, feed="pedagogie", data=PostInput(title="Plus tard", summary="r", published_at=soon)
    )
    response = client_as(admin_user).post(CHANGELIST, {"action": "publish", "_selected_action": [post.pk]}, follow=True)
    post.refresh_from_db()
    assert post.status == PostStatus.SCHEDULED
    assert "1 actualité programmée." in response.text
    assert not Notification.objects.filter(recipient=teacher).exists()


def test_archiving_from_the_admin_goes_through_the_service(client_as, admin_user, counsellor):
    published = post_publish(actor=counsellor, post=_draft(counsellor, "Publiée"))
    draft = _draft(counsellor, "Brouillon")
    response = client_as(admin_user).post(
        CHANGELIST, {"action": "archive", "_selected_action": [published.pk, draft.pk]}, follow=True
    )
    assert dict(Post.objects.values_list("title", "status")) == {"Publiée": "archive", "Brouillon": "brouillon"}
    assert history_of(published).filter(label="Archivage", actor=admin_user).count() == 1
    assert "1 actualité archivée. 1 actualité non archivée (seule une actualité publiée s’archive) : Brouillon." in (
        response.text
    )


def test_the_change_form_saves_through_the_service_and_ignores_status_and_date(
    client_as, admin_user, counsellor, teacher
):
    post = _draft(counsellor)
    client = client_as(admin_user)
    url = reverse("admin:news_post_change", args=[post.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "status" not in page.context["adminform"].form.fields
    assert "published_at" not in page.context["adminform"].form.fields

    data = admin_form_data(
        page,
        title="Animation renommée",
        status="publie",
        published_at_0="01/01/2026",
        published_at_1="08:00:00",
    )
    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    post.refresh_from_db()
    assert (post.title, post.status, post.published_at) == ("Animation renommée", PostStatus.DRAFT, None)
    revision = history_of(post).order_by("-pk").first()
    assert (revision.label, revision.actor) == ("Modification", admin_user)
    assert [change["field"] for change in revision.changes] == ["title"]
    assert not Notification.objects.filter(recipient=teacher).exists()


def test_the_change_form_shows_the_services_refusal_and_changes_nothing(client_as, admin_user, counsellor):
    post = post_publish(actor=counsellor, post=_draft(counsellor))
    client = client_as(admin_user)
    url = reverse("admin:news_post_change", args=[post.pk])
    data = admin_form_data(client.get(url), requires_ack="on")
    revisions = Event.objects.count()

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["requires_ack"] == [
        "Seules les informations aux directeurs demandent un accusé de lecture."
    ]
    post.refresh_from_db()
    assert post.requires_ack is False
    assert Event.objects.count() == revisions


def test_adding_in_the_admin_creates_a_draft_through_the_service(client_as, admin_user, teacher):
    client = client_as(admin_user)
    url = reverse("admin:news_post_add")
    data = admin_form_data(client.get(url), feed="pedagogie", title="Créée dans l’admin", summary="Résumé")

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    post = Post.objects.get()
    assert (post.title, post.slug, post.status, post.author) == (
        "Créée dans l’admin",
        "creee-dans-ladmin",
        PostStatus.DRAFT,
        admin_user,
    )
    assert list(history_of(post).values_list("label", flat=True)) == ["Création"]
    assert not Notification.objects.exists()


def test_an_archived_post_is_read_only_in_the_admin(client_as, admin_user, counsellor):
    post = post_publish(actor=counsellor, post=_draft(counsellor))
    post.status = PostStatus.ARCHIVED
    post.save()
    client = client_as(admin_user)
    url = reverse("admin:news_post_change", args=[post.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    client.post(url, {"title": "Changée"})
    post.refresh_from_db()
    assert post.title == "Animation numérique"


def test_deleting_in_the_admin_goes_through_the_service(client_as, admin_user, counsellor):
    post = _draft(counsellor)
    response = client_as(admin_user).post(reverse("admin:news_post_delete", args=[post.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Post.objects.exists()


def test_the_admin_hides_the_atom_key(client_as, admin_user, teacher):
    token = FeedToken.objects.create(user=teacher)
    client = client_as(admin_user)

    listing = client.get(reverse("admin:news_feedtoken_changelist"))
    change = client.get(reverse("admin:news_feedtoken_change", args=[token.pk]))

    assert listing.status_code == change.status_code == 200
    assert teacher.get_full_name() in listing.content.decode() or teacher.email in listing.content.decode()
    assert token.key not in listing.content.decode()
    assert token.key not in change.content.decode()


# --- Acknowledgements and registrations: written on the site only ------------------------------


def _state():
    return (
        list(Acknowledgement.objects.values_list("pk", "post_id", "school_id", "user_id", "acknowledged_at")),
        list(Registration.objects.values_list("pk", "class_name", "pupil_count", "registered_by_id")),
    )


@pytest.mark.parametrize("model", ["acknowledgement", "registration"])
def test_acknowledgements_and_registrations_are_read_only_in_the_admin(client_as, admin_user, director, school, model):
    acknowledgement = AcknowledgementFactory(school=school, user=director)
    registration = RegistrationFactory(school=school, registered_by=director)
    obj = {"acknowledgement": acknowledgement, "registration": registration}[model]
    client = client_as(admin_user)
    before = _state()

    listing = client.get(reverse(f"admin:news_{model}_changelist"), {"school__id__exact": school.pk})
    page = client.get(reverse(f"admin:news_{model}_change", args=[obj.pk]))
    change = client.post(
        reverse(f"admin:news_{model}_change", args=[obj.pk]), {"school": school.pk, "class_name": "Forgée"}
    )
    add = client.get(reverse(f"admin:news_{model}_add"))
    delete = client.post(reverse(f"admin:news_{model}_delete", args=[obj.pk]), {"post": "yes"})
    bulk = client.post(
        reverse(f"admin:news_{model}_changelist"), {"action": "delete_selected", "_selected_action": [obj.pk]}
    )

    assert (listing.status_code, page.status_code) == (200, 200)
    assert listing.context["cl"].result_count == 1
    assert page.context["has_change_permission"] is False
    assert (change.status_code, add.status_code, delete.status_code) == (403, 403, 403)
    # No action at all, « Supprimer » included: the bulk deletion is not offered, and refused if posted.
    assert listing.context["action_form"] is None
    assert bulk.status_code == 200
    assert _state() == before
