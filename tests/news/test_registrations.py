"""« Mon école participe »: registering a class to a project, until the closing date."""

import datetime as dt

import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from news.models import Registration
from tests.factories import make_member

from .factories import PostFactory, RegistrationFactory


def project(**kwargs):
    return PostFactory(
        projects=True,
        title="Semaine olympique",
        registration_closes_at=timezone.now() + dt.timedelta(days=10),
        **kwargs,
    )


FORM = {"class_name": "CE2 de M. Enseignant", "level": "CE2", "pupil_count": "24", "comment": "Nous venons en bus."}


def test_a_teacher_registers_changes_and_withdraws(teacher, school, client_as):
    post = project()
    client = client_as(teacher)
    assert "Mon école participe" in client.get(post.get_absolute_url()).content.decode()
    assert client.post(reverse("news:register", args=[post.pk]), FORM).status_code == 302
    registration = Registration.objects.get()
    assert (registration.school, registration.registered_by, registration.pupil_count) == (school, teacher, 24)
    client.post(reverse("news:register", args=[post.pk]), FORM | {"pupil_count": "25"})
    assert Registration.objects.get().pupil_count == 25
    page = client.get(post.get_absolute_url()).content.decode()
    assert "Modifier mon inscription" in page and school.name in page
    client.post(reverse("news:register-withdraw", args=[post.pk]))
    assert not Registration.objects.exists()


def test_bad_input_is_explained_and_kept(teacher, client_as):
    post = project()
    response = client_as(teacher).post(reverse("news:register", args=[post.pk]), FORM | {"pupil_count": "400"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "inférieure ou égale à 40" in page and 'value="CE2 de M. Enseignant"' in page
    assert not Registration.objects.exists()


def test_registrations_after_the_closing_date_are_refused(teacher, client_as):
    post = project()
    client = client_as(teacher)
    client.post(reverse("news:register", args=[post.pk]), FORM)
    with time_machine.travel(post.registration_closes_at + dt.timedelta(minutes=1)):
        before = list(Registration.objects.values())
        response = client.post(reverse("news:register", args=[post.pk]), FORM | {"pupil_count": "12"})
        assert response.status_code == 403
        assert "Les inscriptions à ce projet sont closes" in response.content.decode()
        response = client.post(reverse("news:register-withdraw", args=[post.pk]))
        assert response.status_code == 403
        assert list(Registration.objects.values()) == before
        other = make_member(Role.TEACHER)
        assert client_as(other).post(reverse("news:register", args=[post.pk]), FORM).status_code == 403
        assert Registration.objects.count() == 1


def test_others_taking_part_are_listed(teacher, client_as):
    post = project()
    RegistrationFactory(post=post, class_name="CM2 de Mme Martin")
    page = client_as(teacher).get(post.get_absolute_url()).content.decode()
    assert "CM2 de Mme Martin" in page


def test_the_author_sees_the_list_and_exports_it(counsellor, teacher, client_as):
    post = project(author=counsellor)
    RegistrationFactory(
        post=post, class_name="CM2 de Mme Martin", pupil_count=26, comment="Avec l’AESH ; deux élèves en fauteuil"
    )
    client = client_as(counsellor)
    page = client.get(reverse("news:registrations", args=[post.pk])).content.decode()
    assert "CM2 de Mme Martin" in page and "1 classe" in page
    response = client.get(reverse("news:registrations-csv", args=[post.pk]))
    text = response.content.decode("utf-8-sig")
    assert response.content.startswith("\ufeff".encode())
    header, row = text.splitlines()
    assert header.startswith("École;Commune;Classe;Niveau;Élèves")
    assert '"Avec l’AESH ; deux élèves en fauteuil"' in row  # the semicolon is quoted
    assert client_as(teacher).get(reverse("news:registrations", args=[post.pk])).status_code == 403


def test_rased_and_directors_feed_have_no_registration(rased_member, client_as):
    post = project()
    assert client_as(rased_member).post(reverse("news:register", args=[post.pk]), FORM).status_code == 403
    assert not Registration.objects.exists()
