"""The « Notifications » list is kept as HTML per person and address (``views.list_html``,
``ent.fragments``) under the person's unread version, and shows every change at once: a
notification made, read, withdrawn, purged or deleted in the admin bumps it (``unread_changed``)."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ent import fragments
from notifications import services
from notifications.models import Notification
from privacy.retention import NOTIFICATION_DAYS, purge_notifications
from tests.conftest import signed_in_client
from tests.factories import SchoolFactory, UserFactory

from .conftest import DAILY_KIND
from .factories import NotificationFactory

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")


def _items(client, url=LIST, **headers) -> str:
    """The kept part of the page: from the list to the end of the page's content."""
    response = client.get(url, **headers)
    assert response.status_code == 200
    text = response.content.decode()
    return text[text.index('<div id="notifications-liste"') :].split("</main>")[0]


def _notify(person, text, target=None):
    return services.notify(kind=DAILY_KIND, actor=None, target=target, text=text, url="/ecoles/", recipients=[person])


def test_the_list_is_drawn_once_then_kept(teacher, client_as):
    NotificationFactory(recipient=teacher, text="Conseil de cycle")
    client = client_as(teacher)
    first = _items(client)
    with CaptureQueriesContext(connection) as log:
        again = _items(client)
    assert re.sub(r'value="[^"]{64}"', "", again) == re.sub(r'value="[^"]{64}"', "", first)
    assert "Conseil de cycle" in again
    assert not [q for q in log.captured_queries if "notifications_notification" in q["sql"]]


def test_it_is_kept_a_minute_at_most(teacher, client_as, kept_timeouts):
    """It says « il y a 5 minutes »: kept for ``fragments.RELATIVE_TIMES`` (the cache's own timeout)."""
    NotificationFactory(recipient=teacher)
    _items(client_as(teacher))
    assert kept_timeouts.of("html", "notifications", "list") == {fragments.RELATIVE_TIMES}
    assert fragments.RELATIVE_TIMES == 60


def test_a_notification_made_shows_at_once(teacher, client_as):
    client = client_as(teacher)
    assert "aucune notification" in _items(client)
    _notify(teacher, "Nouvelle sortie au musée")  # a bulk_create
    text = _items(client)
    assert "Nouvelle sortie au musée" in text and "1 notification, dont 1 non lue" in text


def test_read_one_all_or_by_target_shows_at_once(teacher, client_as):
    school = SchoolFactory()
    client = client_as(teacher)
    first = NotificationFactory(recipient=teacher, text="Première")
    NotificationFactory(recipient=teacher, text="Deuxième")
    assert "dont 2 non lues" in _items(client)
    client.post(reverse("notifications:mark-read", args=[first.pk]))
    assert "dont 1 non lue" in _items(client)
    services.notifications_mark_all_read(user=teacher)
    assert "toutes lues" in _items(client) and "Non lue" not in _items(client)
    _notify(teacher, "À propos de l’école", target=school)
    assert "dont 1 non lue" in _items(client)
    services.notifications_mark_read_for(user=teacher, target=school)  # the person opened the school's page
    assert "toutes lues" in _items(client)


def test_a_notification_withdrawn_leaves_the_list(teacher, client_as):
    school = SchoolFactory()
    _notify(teacher, "Message bientôt rappelé", target=school)
    client = client_as(teacher)
    assert "Message bientôt rappelé" in _items(client)
    services.notifications_withdraw(target=school)
    assert "Message bientôt rappelé" not in _items(client)


def test_a_year_old_notification_purged_leaves_the_list(teacher, client_as):
    NotificationFactory(recipient=teacher, text="Très ancienne", created_at=timezone.now() - dt.timedelta(days=2))
    client = client_as(teacher)
    assert "Très ancienne" in _items(client)
    purge_notifications(now=timezone.now() + dt.timedelta(days=NOTIFICATION_DAYS))
    assert "Très ancienne" not in _items(client)


def test_a_year_old_notification_already_read_purged_leaves_the_list_too(teacher, client_as):
    NotificationFactory(
        recipient=teacher,
        text="Lue il y a longtemps",
        read_at=timezone.now(),
        created_at=timezone.now() - dt.timedelta(days=2),
    )
    client = client_as(teacher)
    assert "Lue il y a longtemps" in _items(client)
    purge_notifications(now=timezone.now() + dt.timedelta(days=NOTIFICATION_DAYS))
    assert "Lue il y a longtemps" not in _items(client)


def test_a_notification_deleted_in_the_admin_leaves_the_list(teacher, client_as, admin_user):
    one = NotificationFactory(recipient=teacher, text="Supprimée seule", read_at=timezone.now())
    other = NotificationFactory(recipient=teacher, text="Supprimée avec d’autres", read_at=timezone.now())
    reader = signed_in_client(enforce_csrf_checks=True, user=teacher)
    text = _items(reader)
    assert "Supprimée seule" in text and "Supprimée avec d’autres" in text
    admin = client_as(admin_user)
    admin.post(reverse("admin:notifications_notification_delete", args=[one.pk]), {"post": "yes"})
    assert not Notification.objects.filter(pk=one.pk).exists()
    assert "Supprimée seule" not in _items(reader)
    admin.post(
        reverse("admin:notifications_notification_changelist"),
        {"action": "delete_selected", "_selected_action": [other.pk], "post": "yes"},
    )
    assert not Notification.objects.filter(pk=other.pk).exists()
    assert "aucune notification" in _items(reader)


def test_each_person_is_served_their_own_list(teacher, director):
    NotificationFactory(recipient=teacher, text="Pour l’enseignant")
    NotificationFactory(recipient=director, text="Pour la directrice")
    assert "Pour l’enseignant" in _items(signed_in_client(enforce_csrf_checks=True, user=teacher))
    theirs = _items(signed_in_client(enforce_csrf_checks=True, user=director))
    assert "Pour la directrice" in theirs and "Pour l’enseignant" not in theirs


def test_each_page_and_htmx_are_kept_apart(teacher, client_as):
    from notifications.views import PAGE_SIZE

    for number in range(PAGE_SIZE + 1):
        NotificationFactory(recipient=teacher, text=f"Notification {number:02d}")
    client = client_as(teacher)
    assert "Notification 00" in _items(client, LIST + "?page=2") and "Notification 00" not in _items(client)
    asked = client.get(LIST, HTTP_HX_REQUEST="true").content.decode()
    assert asked.strip().startswith('<div id="notifications-liste"') and "Notification 20" in asked
    assert "<html" in client.get(LIST).content.decode()  # the page itself, not the htmx answer kept


def test_a_form_of_the_kept_list_posts_with_the_requests_own_token(teacher):
    """Kept once, the list is served to another session of the same person (another browser): its
    « Marquer comme lue » carries that session's token, which the CSRF check accepts."""
    notification = NotificationFactory(recipient=teacher, text="À lire")
    _items(signed_in_client(enforce_csrf_checks=True, user=teacher))  # drawn and kept
    elsewhere = signed_in_client(enforce_csrf_checks=True, user=teacher)
    text = _items(elsewhere)
    assert "À lire" in text and fragments.CSRF_PLACEHOLDER not in text
    form = text[text.index(f'action="{reverse("notifications:mark-read", args=[notification.pk])}"') :]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    response = elsewhere.post(
        reverse("notifications:mark-read", args=[notification.pk]), {"csrfmiddlewaretoken": token, "page": "1"}
    )
    assert response.status_code == 302
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "toutes lues" in _items(elsewhere)


def test_a_notification_by_someone_says_who(teacher, client_as):
    author = UserFactory(first_name="Nadia", last_name="Bensaïd")
    client = client_as(teacher)
    assert ", par " not in _items(client)
    services.notify(
        kind=DAILY_KIND,
        actor=author,
        target=None,
        text="Un commentaire",
        url="/ecoles/",
        recipients=[teacher],
    )
    assert ", par Nadia Bensaïd" in _items(client)


def test_an_author_renamed_shows_at_once(teacher, client_as):
    author = UserFactory(first_name="Nadia", last_name="Bensaïd")
    NotificationFactory(recipient=teacher, actor=author)
    client = client_as(teacher)
    assert ", par Nadia Bensaïd" in _items(client)
    author.last_name = "Martin"
    author.save(update_fields=["last_name"])
    assert ", par Nadia Martin" in _items(client)
