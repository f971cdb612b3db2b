"""The messaging elsewhere on the site: « Messagerie » in the navigation for every role, the Accueil
panel of the latest unread messages (flat cost), « Écrire à la direction » on a school's page."""

import pytest
from django.urls import reverse

from tests.conftest import ROLES
from tests.factories import send_mail_to

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("person", [r for r in ROLES if r != "anonymous"], indirect=True)
def test_messagerie_is_in_the_navigation_for_every_role(client_as, person):
    html = client_as(person).get(reverse("accounts:home")).content.decode()
    assert f'href="{reverse("mail:inbox")}"' in html and ">Messagerie" in html


def test_the_accueil_panel_lists_the_latest_unread(client_as, director, inspector):
    for i in range(7):
        send_mail_to(inspector, [director], subject=f"Information {i}")
    read = send_mail_to(inspector, [director], subject="Déjà lu")
    read.deliveries.filter(user=director).update(read_at=read.published_at)
    html = client_as(director).get(reverse("accounts:home")).content.decode()
    assert "7 messages non lus" in html
    assert "Information 6" in html and "Information 2" in html and "Information 1" not in html
    assert "et 2 autres" in html and "Déjà lu" not in html


def test_the_accueil_cost_does_not_grow_with_the_mailbox(client_as, director, inspector, assert_flat_queries):
    client = client_as(director)

    def make_rows(count):
        for _ in range(count):
            send_mail_to(inspector, [director], subject="Nouvelle information")

    assert_flat_queries(
        client,
        reverse("accounts:home"),
        make_rows,
        rows=2,
        queries=_home_queries(client),
        shown=lambda r: r.content.decode().count("<strong>Nouvelle information</strong>"),
        expect=(2, 5),
    )


def _home_queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(reverse("accounts:home"))
    with CaptureQueriesContext(connection) as log:
        client.get(reverse("accounts:home"))
    # With no message yet: the panel's one query (the unread count of the navigation being another).
    return len(log)


def test_write_to_the_direction_on_a_school_page(client_as, teacher, director, school):
    url = reverse("accounts:structure-detail", args=[school.code])
    compose = reverse("mail:compose")
    html = client_as(teacher).get(url).content.decode()
    assert f'href="{compose}?a=d:{school.pk}"' in html and "Écrire à la direction" in html
    assert "Écrire à la direction" not in client_as(director).get(url).content.decode()


def test_write_to_the_direction_is_offered_only_to_whom_may_write_to_it(client_as, counsellor, school):
    from accounts.models import Role
    from tests.factories import SchoolFactory, make_member

    other_teacher = make_member(Role.TEACHER, SchoolFactory())
    url = reverse("accounts:structure-detail", args=[school.code])
    assert "Écrire à la direction" in client_as(counsellor).get(url).content.decode()
    assert "Écrire à la direction" not in client_as(other_teacher).get(url).content.decode()
