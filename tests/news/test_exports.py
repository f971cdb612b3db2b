"""The news CSV exports write people's text as text, never as a spreadsheet formula."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from news.models import Acknowledgement
from tests.factories import SchoolFactory, make_member
from tests.payloads import FORMULA_PAYLOADS as PAYLOADS

from .factories import PostFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_registrations_export_neutralises_formulas(counsellor, client_as):
    post = PostFactory(projects=True, author=counsellor, registration_closes_at=timezone.now() + dt.timedelta(days=10))
    for value, _ in PAYLOADS:
        RegistrationFactory(post=post, class_name=value, comment=value)

    rows = _rows(client_as(counsellor).get(reverse("news:registrations-csv", args=[post.pk])))

    expected = {neutral for _, neutral in PAYLOADS}
    assert {row[2] for row in rows[1:]} == expected  # Classe
    assert {row[7] for row in rows[1:]} == expected  # Commentaire


def test_acknowledgements_export_neutralises_people_names(inspector, client_as):
    school = SchoolFactory(name='=HYPERLINK("https://evil.example")', commune="@SUM(A1)")
    director = make_member(Role.DIRECTOR, school, first_name="+Delphine", last_name="-Directrice")
    post = PostFactory(directors=True, requires_ack=True)
    Acknowledgement.objects.create(post=post, school=school, user=director)

    rows = _rows(client_as(inspector).get(reverse("news:acknowledgements-csv", args=[post.pk])))

    row = next(r for r in rows[1:] if r[2] == school.uai)
    assert row[0] == '\'=HYPERLINK("https://evil.example")'
    assert row[1] == "'@SUM(A1)"
    assert row[3] == "'+Delphine -Directrice"
    assert row[6] == "'+Delphine -Directrice"
