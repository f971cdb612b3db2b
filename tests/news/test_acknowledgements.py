"""« J’ai pris connaissance », the dashboard, its export and « Relancer »."""

import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Role
from news.models import Acknowledgement
from news.services import ReminderRefused, post_remind_unacknowledged
from notifications.models import Notification
from tests.factories import make_member

from .factories import PostFactory


def test_acknowledging_twice_writes_one_row(director, school, client_as):
    post = PostFactory(directors=True, requires_ack=True)
    client = client_as(director)
    page = client.get(post.get_absolute_url()).content.decode()
    assert "J’ai pris connaissance" in page
    assert client.post(reverse("news:acknowledge", args=[post.pk])).status_code == 302
    assert client.post(reverse("news:acknowledge", args=[post.pk])).status_code == 302
    ack = Acknowledgement.objects.get(post=post)
    assert (ack.school, ack.user) == (school, director)
    page = client.get(post.get_absolute_url()).content.decode()
    assert "J’ai pris connaissance" not in page
    assert "Vous avez pris connaissance de cette information le" in page


def test_acknowledging_through_htmx_returns_the_block(director, client_as):
    post = PostFactory(directors=True, requires_ack=True)
    response = client_as(director).post(reverse("news:acknowledge", args=[post.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    content = response.content.decode()
    assert content.lstrip().startswith('<section id="accuse-de-lecture"')
    assert "Vous avez pris connaissance" in content


def test_the_unique_constraint_holds_at_database_level(director, school):
    from django.db import IntegrityError, transaction

    post = PostFactory(directors=True, requires_ack=True)
    Acknowledgement.objects.create(post=post, school=school, user=director)
    with pytest.raises(IntegrityError), transaction.atomic():
        Acknowledgement.objects.create(post=post, school=school, user=director)


def test_dashboard_lists_missing_schools_first_with_a_count(inspector, make_schools, client_as):
    schools = make_schools(5)
    post = PostFactory(directors=True, requires_ack=True)
    for school in schools[:2]:
        director = school.memberships.get().user
        Acknowledgement.objects.create(post=post, school=school, user=director)
    page = client_as(inspector).get(reverse("news:acknowledgements", args=[post.pk])).content.decode()
    assert "2 / 5 écoles" in page
    positions = [page.index(s.name + "<br>") for s in schools]
    assert max(positions[2:]) < min(positions[:2])  # the three missing come first


def test_dashboard_cost_does_not_grow_with_the_number_of_schools(
    inspector, make_schools, client_as, assert_flat_queries
):
    post = PostFactory(directors=True, requires_ack=True)
    acknowledged = {59: 41, 531: 100}  # schools added -> how many of them acknowledge

    def make_rows(count):
        schools = make_schools(count, start=5000 if count == 59 else 7000)
        Acknowledgement.objects.bulk_create(
            Acknowledgement(post=post, school=school, user=school.memberships.get().user)
            for school in schools[: acknowledged[count]]
        )

    assert_flat_queries(
        client_as(inspector),
        reverse("news:acknowledgements", args=[post.pk]),
        make_rows,
        rows=59,
        queries=5,  # the unread messages of the navigation are in the cache (with the person's roles)
        shown=lambda response: (
            re.search(r"\d+ / \d+ écoles", response.text).group(0),
            response.text.count('<th scope="row">'),
            response.text.count(">Confirmé</p>"),
        ),
        expect=[("41 / 59 écoles", 59, 41), ("141 / 590 écoles", 590, 141)],
    )


def test_csv_export_is_for_french_excel(inspector, make_schools, client_as):
    schools = make_schools(3)
    post = PostFactory(directors=True, requires_ack=True)
    Acknowledgement.objects.create(post=post, school=schools[0], user=schools[0].memberships.get().user)
    response = client_as(inspector).get(reverse("news:acknowledgements-csv", args=[post.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    lines = raw.decode("utf-8-sig").splitlines()
    assert lines[0] == "École;Commune;UAI;Directeur·rice;Accusé de lecture;Le;Par"
    assert len(lines) == 4
    assert lines[1].startswith(schools[1].name + ";") or lines[1].startswith(schools[2].name + ";")
    assert lines[-1].split(";")[4] == "oui"


def test_remind_twice_the_same_day_notifies_once(inspector, make_schools, client_as):
    client = client_as(inspector)
    with time_machine.travel(dt.datetime(2026, 3, 12, 9, 0, tzinfo=dt.UTC), tick=False) as traveller:
        schools = make_schools(4)
        missing = {s.memberships.get().user_id for s in schools[1:]}
        post = PostFactory(directors=True, requires_ack=True)
        Acknowledgement.objects.create(post=post, school=schools[0], user=schools[0].memberships.get().user)
        first = client.post(reverse("news:remind", args=[post.pk]), follow=True)
        assert "Relance envoyée : 3 directeur·rice(s) prévenu·e(s)." in first.content.decode()
        second = client.post(reverse("news:remind", args=[post.pk]), follow=True)
        assert "Une relance a déjà été envoyée aujourd’hui à 10 h" in second.content.decode()
        reminders = Notification.objects.filter(kind="news.ack_reminder")
        assert set(reminders.values_list("recipient_id", flat=True)) == missing
        assert reminders.count() == 3
        # The next day, one more reminder is allowed.
        traveller.move_to(dt.datetime(2026, 3, 13, 9, 0, tzinfo=dt.UTC))
        post_remind_unacknowledged(actor=inspector, post=post)
        assert Notification.objects.filter(kind="news.ack_reminder").count() == 6


def test_remind_when_everyone_acknowledged_is_refused(inspector, director, school):
    post = PostFactory(directors=True, requires_ack=True, schools=[school])
    Acknowledgement.objects.create(post=post, school=school, user=director)
    with pytest.raises(ReminderRefused):
        post_remind_unacknowledged(actor=inspector, post=post)
    assert not Notification.objects.exists()


def test_a_narrow_audience_expects_only_its_schools(inspector, director, school, make_schools, client_as):
    others = make_schools(3)
    post = PostFactory(directors=True, requires_ack=True, schools=[school, others[0]])
    page = client_as(inspector).get(reverse("news:acknowledgements", args=[post.pk])).content.decode()
    assert "0 / 2 écoles" in page
    assert others[1].name not in page
    # A director of a school outside the audience neither sees the post nor may acknowledge it.
    outsider = others[1].memberships.get().user
    assert client_as(outsider).get(post.get_absolute_url()).status_code == 404


def test_home_lists_the_acknowledgements_still_owed(director, client_as):
    owed = PostFactory(directors=True, requires_ack=True, title="Note PPMS à confirmer")
    client = client_as(director)
    assert "Note PPMS à confirmer" in client.get(reverse("accounts:home")).content.decode()
    client.post(reverse("news:acknowledge", args=[owed.pk]))
    home = client.get(reverse("accounts:home")).content.decode()
    assert "Accusés de lecture attendus" not in home


def test_a_second_director_of_the_same_school_sees_it_done(director, school, client_as):
    codirector = make_member(Role.DIRECTOR, school)
    post = PostFactory(directors=True, requires_ack=True)
    client_as(director).post(reverse("news:acknowledge", args=[post.pk]))
    page = client_as(codirector).get(post.get_absolute_url()).content.decode()
    assert "J’ai pris connaissance</button>" not in page
