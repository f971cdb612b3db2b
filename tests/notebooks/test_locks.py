"""The page lock: taken in one statement, kept alive, expired, lifted; two people never both hold it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import Event
from notebooks import services
from notebooks.models import Notebook, PageLock


def _edit(page):
    return reverse("notebooks:page-edit", args=[page.notebook.slug, page.pk])


def test_opening_the_editor_takes_the_lock_and_others_see_who_edits(client_as, teacher, director, page, notebook):
    Notebook.objects.filter(pk=notebook.pk).update(school_pages_editable=True)
    assert client_as(teacher).get(_edit(page)).status_code == 200
    lock = PageLock.objects.get(page=page)
    assert lock.holder == teacher
    assert timedelta(minutes=9) < lock.expires_at - timezone.now() <= timedelta(minutes=10)

    response = client_as(director).get(_edit(page))
    text = response.content.decode()
    assert "En cours de modification par Thomas Enseignant" in text
    assert "data-notebook-lock" not in text  # no form to type into
    assert PageLock.objects.get(page=page).holder == teacher


def test_the_lock_is_taken_in_one_statement(teacher, page):
    with CaptureQueriesContext(connection) as queries:
        assert services._upsert_lock(page_id=page.pk, user_id=teacher.pk, now=timezone.now())
    assert len(queries) == 1
    assert queries[0]["sql"].startswith("INSERT INTO") and "ON CONFLICT" in queries[0]["sql"]


def test_two_people_racing_for_a_free_lock_one_wins(teacher, director, page):
    now = timezone.now()
    assert services._upsert_lock(page_id=page.pk, user_id=teacher.pk, now=now)
    assert not services._upsert_lock(page_id=page.pk, user_id=director.pk, now=now)
    assert PageLock.objects.get(page=page).holder == teacher


def test_the_heartbeat_keeps_the_lock_alive(client_as, teacher, page):
    client = client_as(teacher)
    client.get(_edit(page))
    PageLock.objects.filter(page=page).update(expires_at=timezone.now() + timedelta(minutes=1))
    taken_at = PageLock.objects.get(page=page).taken_at
    response = client.post(reverse("notebooks:page-lock", args=[page.notebook.slug, page.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Vous modifiez cette page" in response.content.decode()
    lock = PageLock.objects.get(page=page)
    assert lock.expires_at - timezone.now() > timedelta(minutes=9)
    assert lock.taken_at == taken_at  # renewed, not taken again


def test_an_expired_lock_is_taken_by_the_next_person(client_as, teacher, counsellor, page):
    client_as(teacher).get(_edit(page))
    PageLock.objects.filter(page=page).update(expires_at=timezone.now() - timedelta(seconds=1))
    state = services.lock_take(actor=counsellor, page=page)
    assert state.mine
    assert PageLock.objects.get(page=page).holder == counsellor
    # and the first editor's heartbeat now says who has it
    response = client_as(teacher).post(reverse("notebooks:page-lock", args=[page.notebook.slug, page.pk]))
    assert "En cours de modification par Adrian Conseiller" in response.content.decode()


def test_someone_elses_save_is_refused_while_the_lock_is_held(client_as, teacher, counsellor, page):
    client_as(teacher).get(_edit(page))
    with pytest.raises(services.ValidationError, match="en cours de modification par Thomas Enseignant"):
        services.page_save(actor=counsellor, page=page, version=page.version, title="Pris")
    page.refresh_from_db()
    assert page.title == "Les jonquilles" and page.version == 1


def test_a_manager_lifts_the_lock_and_it_is_recorded(client_as, teacher, counsellor, page):
    client_as(teacher).get(_edit(page))
    url = reverse("notebooks:page-lift-lock", args=[page.notebook.slug, page.pk])
    assert client_as(counsellor).post(url).status_code == 302
    assert not PageLock.objects.filter(page=page).exists()
    event = Event.objects.get(action="notebooks.page.lock_lifted")
    assert event.actor == counsellor and "Thomas Enseignant" in event.label


def test_a_contributor_cannot_lift_a_lock(client_as, teacher, director, page, notebook):
    Notebook.objects.filter(pk=notebook.pk).update(school_pages_editable=True)
    client_as(teacher).get(_edit(page))
    url = reverse("notebooks:page-lift-lock", args=[page.notebook.slug, page.pk])
    assert client_as(director).post(url).status_code == 403
    assert PageLock.objects.get(page=page).holder == teacher
    assert not Event.objects.filter(action="notebooks.page.lock_lifted").exists()


def test_leaving_without_saving_releases_the_lock(client_as, teacher, page):
    client = client_as(teacher)
    client.get(_edit(page))
    client.post(reverse("notebooks:page-unlock", args=[page.notebook.slug, page.pk]))
    assert not PageLock.objects.filter(page=page).exists()
