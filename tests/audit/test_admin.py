"""The audit trail in the admin: read only, filtered by action, searched by who acted."""

import pytest
from django.urls import reverse

from accounts.models import AccountAction
from audit.models import Event
from audit.services import record
from news.models import NewsAction
from tests.factories import UserFactory
from tests.news.factories import PostFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:audit_event_changelist")


@pytest.fixture
def admin_client(client_as, admin_user):
    return client_as(admin_user)


@pytest.fixture
def trail(admin_user, counsellor, teacher):
    post = PostFactory(title="Animation à Mirebeau")
    return {
        "published": record(
            actor=counsellor,
            target=post,
            action=NewsAction.PUBLISHED,
            changes=[{"field": "status", "label": "État", "before": "Brouillon", "after": "Publiée"}],
        ),
        "activated": record(actor=admin_user, target=teacher, action=AccountAction.ACTIVATED),
        "post": post,
    }


def _rows(response):
    return sorted(event.pk for event in response.context["cl"].result_list)


def test_the_list_filters_by_action_and_searches_by_actor(admin_client, trail):
    everything = admin_client.get(CHANGELIST)
    by_action = admin_client.get(CHANGELIST, {"action": "news.post.published"})
    by_actor = admin_client.get(CHANGELIST, {"q": "Conseiller"})

    assert everything.status_code == by_action.status_code == by_actor.status_code == 200
    assert _rows(everything) == sorted([trail["published"].pk, trail["activated"].pk])
    assert _rows(by_action) == [trail["published"].pk]
    assert _rows(by_actor) == [trail["published"].pk]
    assert "Actualités — Publication" in everything.content.decode()


def test_an_event_page_shows_its_changes(admin_client, trail):
    page = admin_client.get(reverse("admin:audit_event_change", args=[trail["published"].pk])).content.decode()
    assert "Animation à Mirebeau" in page
    assert "<td>Brouillon</td><td>Publiée</td>" in page


def test_nobody_adds_changes_or_deletes_an_event(admin_client, trail):
    event = trail["published"]
    before = list(Event.objects.order_by("pk").values_list("pk", "label", "actor", "changes"))

    add = admin_client.get(reverse("admin:audit_event_add"))
    change = admin_client.post(reverse("admin:audit_event_change", args=[event.pk]), {"label": "Autre"})
    delete = admin_client.post(reverse("admin:audit_event_delete", args=[event.pk]), {"post": "yes"})
    bulk = admin_client.post(CHANGELIST, {"action": "delete_selected", "_selected_action": [event.pk], "post": "yes"})

    assert (add.status_code, change.status_code, delete.status_code) == (403, 403, 403)
    assert bulk.status_code in (200, 302)
    assert list(Event.objects.order_by("pk").values_list("pk", "label", "actor", "changes")) == before


def test_staff_without_the_permission_cannot_read_the_trail(client_as, trail):
    staff = UserFactory(is_staff=True)
    assert client_as(staff).get(CHANGELIST).status_code == 403


def test_a_post_admin_page_shows_its_history(admin_client, trail):
    page = admin_client.get(reverse("admin:news_post_change", args=[trail["post"].pk])).content.decode()
    assert "Historique (qui a fait quoi, et quand)" in page
    assert "Publication" in page and "Adrian Conseiller" in page
