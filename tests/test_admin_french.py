"""The admin speaks French, third-party apps included: our corrections in locale/ (compiled by
`make messages`), the authenticators' proxy model and Celery beat's admin registered again."""

from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from accounts.models import Authenticator
from ent.admin import crontab_description

pytestmark = pytest.mark.django_db

COMPILED = Path(settings.BASE_DIR, "locale", "fr", "LC_MESSAGES", "django.mo")


@pytest.fixture
def admin_client(client_as, admin_user):
    assert COMPILED.exists(), "locale/ n’est pas compilé : lancez `make messages`."
    return client_as(admin_user)


def text_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def test_the_index_names_every_app_in_french(admin_client):
    page = text_of(admin_client.get("/admin/"))

    assert "Tâches périodiques" in page
    assert ">Intervalles<" in page
    assert "Événements solaires" in page
    assert "Authentificateurs" in page
    for english_or_broken in ("Tâches périodique<", "Tâches Périodique", "Intervales", "Authenticators", ">MFA<"):
        assert english_or_broken not in page


def test_deleting_a_selection_agrees_with_any_model(admin_client):
    interval = IntervalSchedule.objects.create(every=5, period=IntervalSchedule.MINUTES)
    PeriodicTask.objects.create(name="Balayage", task="notifications.sweep", interval=interval)  # actions need a row

    people = text_of(admin_client.get("/admin/accounts/user/"))
    tasks = text_of(admin_client.get("/admin/django_celery_beat/periodictask/"))

    assert "Supprimer la sélection (personnes)" in people
    assert "Supprimer la sélection (tâches périodiques)" in tasks
    assert "sélectionnés" not in people


def test_the_authenticators_list_and_form_are_in_french(admin_client, admin_user):
    TOTP.activate(admin_user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    authenticator = Authenticator.objects.get(user=admin_user)

    listing = text_of(admin_client.get("/admin/accounts/authenticator/"))
    form = text_of(admin_client.get(f"/admin/accounts/authenticator/{authenticator.pk}/change/"))

    assert "Créé le" in listing and "Dernière utilisation" in listing and "jamais" in listing
    assert "Par créé le" in listing
    assert "Modification : authentificateur" in form
    assert "Données" in form and "Personne" in form
    for english in ("Created at", "Last used at", "Authenticator", ">User<", ">Data"):
        assert english not in listing
        assert english not in form
    assert admin_client.get("/admin/mfa/authenticator/").status_code == 404


def test_celery_beat_pages_leave_no_english(admin_client):
    crontab = CrontabSchedule.objects.create(minute="0", hour="7", day_of_week="1-5")
    evening = CrontabSchedule.objects.create(minute="30", hour="18", day_of_week="*")
    interval = IntervalSchedule.objects.create(every=5, period=IntervalSchedule.MINUTES)
    task = PeriodicTask.objects.create(name="Résumés", task="notifications.send_digests", crontab=crontab)
    PeriodicTask.objects.create(name="Balayage", task="notifications.sweep", interval=interval)

    listing = text_of(admin_client.get("/admin/django_celery_beat/periodictask/"))
    form = text_of(admin_client.get(f"/admin/django_celery_beat/periodictask/{task.pk}/change/"))
    crontabs = text_of(admin_client.get("/admin/django_celery_beat/crontabschedule/"))

    assert "Par tâche" in listing and "Task Name" not in listing
    assert "intervalle : 5 minutes" in listing
    assert "En clair" in form and "À 7\xa0h, de lundi à vendredi" in form
    assert "Crontab translation" not in form
    assert "Tâche (personnalisée)" in form
    assert "À 7\xa0h, de lundi à vendredi" in crontabs and "Human readable" not in crontabs
    assert crontab_description(evening) == "À 18\xa0h\xa030"
