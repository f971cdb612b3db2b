"""The notebooks on "Accueil", on a school's page, and in the admin (through the services)."""

from datetime import date

from django.urls import reverse

from audit.models import Event
from notebooks.models import Notebook
from tests.admin_forms import admin_form_data
from tests.factories import NotebookFactory


def test_accueil_shows_the_notebooks_open_to_ones_contributions(client_as, teacher, rased_member, notebook):
    text = client_as(teacher).get(reverse("accounts:home")).content.decode()
    assert "Cahiers multimédias ouverts" in text and "Inventaire de printemps" in text
    # a reader who does not contribute, and a closed notebook, are not on it
    assert "Cahiers multimédias ouverts" not in client_as(rased_member).get(reverse("accounts:home")).content.decode()
    notebook.opens_on = notebook.closes_on = date(2020, 1, 1)
    notebook.save()  # the panel is kept per person, under the notebooks' version: a save renews it
    assert "Cahiers multimédias ouverts" not in client_as(teacher).get(reverse("accounts:home")).content.decode()


def test_a_schools_page_lists_its_notebooks_for_those_who_read_them(
    client_as, teacher, other_teacher, school, published_page, notebook, other_school
):
    own = NotebookFactory(title="Le cahier de Mirebeau", school=school, audience="structures")
    own.audience_structures.set([school])
    text = client_as(teacher).get(school.get_absolute_url()).content.decode()
    assert "Le cahier de Mirebeau" in text
    assert "Le cahier de Mirebeau" not in client_as(other_teacher).get(school.get_absolute_url()).content.decode()
    # a notebook with a published page of that school is listed on its page
    assert "Inventaire de printemps" in client_as(teacher).get(other_school.get_absolute_url()).content.decode()


def test_the_admin_writes_through_the_services(client_as, admin_user, school):
    client = client_as(admin_user)
    url = reverse("admin:notebooks_notebook_add")
    data = admin_form_data(
        client.get(url),
        title="Cahier de l’admin",
        presentation="<p>Bonjour</p>",
        opens_on="2026-01-05",
        closes_on="2026-06-30",
        contributor_structures=[str(school.pk)],
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    notebook = Notebook.objects.get(title="Cahier de l’admin")
    assert notebook.created_by == admin_user
    assert Event.objects.filter(action="notebooks.notebook.created", target_id=notebook.pk).exists()
    assert client.get(reverse("admin:notebooks_notebook_change", args=[notebook.pk])).status_code == 200
    assert client.get(reverse("admin:notebooks_page_changelist")).status_code == 200
    assert client.get(reverse("admin:notebooks_bookexport_changelist")).status_code == 200
