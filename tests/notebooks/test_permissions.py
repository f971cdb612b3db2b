"""Who sees and does what in the notebooks: the role matrix, and 404 over every URL to outsiders."""

import pytest
from django.urls import reverse

from accounts.audiences import AudienceKind
from accounts.permissions import acts_for_district
from audit.models import Event
from notebooks import permissions
from notebooks.models import BookExport, Notebook, Page, PageEdition, PageLock
from tests.conftest import ROLES
from tests.factories import NotebookBlockFactory, NotebookFactory, NotebookPageFactory, publish_notebook_page

MANAGERS = {"counsellor", "inspector", "admin_user"}
CONTRIBUTORS = MANAGERS | {"teacher", "director"}  # the two schools are named contributors


def _state():
    """Everything a refused request must leave as it was."""
    return (
        list(Notebook.objects.values_list("pk", "title", "updated_at")),
        list(Page.objects.values_list("pk", "title", "status", "version", "position")),
        PageEdition.objects.count(),
        PageLock.objects.count(),
        BookExport.objects.count(),
        Event.objects.count(),
    )


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_reading_the_notebook_and_its_published_pages(client_as, person, notebook, page, published_page):
    client = client_as(person)
    urls = [reverse("notebooks:notebook-list"), notebook.get_absolute_url(), published_page.get_absolute_url()]
    for url in urls:
        response = client.get(url)
        if person is None:
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 200, url
    if person is not None:
        # A draft is seen by its author and the managers only.
        expected = 200 if person == page.created_by or acts_for_district(person) else 404
        assert client.get(page.get_absolute_url()).status_code == expected


@pytest.mark.parametrize("person", [r for r in ROLES if r != "anonymous"], indirect=True)
def test_managing_the_notebook(client_as, person, request, notebook, page):
    client = client_as(person)
    name = next(r for r in ROLES if r != "anonymous" and request.getfixturevalue(r) == person)
    before = _state()
    edit = reverse("notebooks:notebook-edit", args=[notebook.slug])
    queue = reverse("notebooks:queue", args=[notebook.slug])
    if name in MANAGERS:
        assert client.get(edit).status_code == 200
        assert client.get(queue).status_code == 200
        return
    assert client.get(edit).status_code == 403
    assert client.get(queue).status_code == 403
    assert client.post(edit, {"title": "Pris", "opens_on": "2026-01-01", "closes_on": "2026-12-31"}).status_code == 403
    assert client.post(reverse("notebooks:notebook-delete", args=[notebook.slug])).status_code == 403
    assert client.post(reverse("notebooks:book-export", args=[notebook.slug]), {"format": "pdf"}).status_code == 403
    assert _state() == before


@pytest.mark.parametrize("person", [r for r in ROLES if r != "anonymous"], indirect=True)
def test_adding_a_page(client_as, person, request, notebook):
    client = client_as(person)
    name = next(r for r in ROLES if r != "anonymous" and request.getfixturevalue(r) == person)
    before = Page.objects.count()
    response = client.post(
        reverse("notebooks:page-create", args=[notebook.slug]), {"title": "Ma page", "class_label": "CP"}
    )
    if name in CONTRIBUTORS:
        assert response.status_code == 302
        assert Page.objects.count() == before + 1
    else:
        assert response.status_code == 403
        assert Page.objects.count() == before


def test_a_closed_notebook_takes_no_page_from_contributors_but_from_its_managers(
    client_as, notebook, teacher, counsellor
):
    from django.utils import timezone

    Notebook.objects.filter(pk=notebook.pk).update(
        opens_on=timezone.localdate().replace(year=2025), closes_on=timezone.localdate().replace(year=2025)
    )
    url = reverse("notebooks:page-create", args=[notebook.slug])
    assert client_as(teacher).post(url, {"title": "Trop tard"}).status_code == 403
    assert not Page.objects.filter(title="Trop tard").exists()
    assert client_as(counsellor).post(url, {"title": "Une page du responsable"}).status_code == 302


@pytest.fixture
def private_notebook(director, school, teacher):
    """Read and written by one school only (the director's)."""
    notebook = NotebookFactory(
        title="Le cahier de l’école", slug="cahier-ecole", audience=AudienceKind.STRUCTURES, school=school
    )
    notebook.audience_structures.set([school])
    notebook.contributor_structures.set([school])
    return notebook


@pytest.fixture
def private_page(private_notebook, teacher, school, counsellor):
    page = NotebookPageFactory(notebook=private_notebook, title="Notre potager", school=school, author=teacher)
    NotebookBlockFactory(page=page, body="<p>Les radis poussent.</p>")
    return publish_notebook_page(page, by=counsellor)


def _every_url(notebook, page, export):
    s, p = notebook.slug, page.pk
    gets = [
        reverse("notebooks:notebook-detail", args=[s]),
        reverse("notebooks:notebook-edit", args=[s]),
        reverse("notebooks:notebook-delete", args=[s]),
        reverse("notebooks:queue", args=[s]),
        reverse("notebooks:book-status", args=[s]),
        reverse("notebooks:book-download", args=[s, export.pk]),
        reverse("notebooks:page-create", args=[s]),
        reverse("notebooks:page-detail", args=[s, p]),
        reverse("notebooks:page-edit", args=[s, p]),
        reverse("notebooks:page-delete", args=[s, p]),
    ]
    posts = [
        (reverse("notebooks:notebook-edit", args=[s]), {"title": "Volé"}),
        (reverse("notebooks:notebook-delete", args=[s]), {}),
        (reverse("notebooks:book-export", args=[s]), {"format": "pdf"}),
        (reverse("notebooks:page-create", args=[s]), {"title": "Intrus"}),
        (reverse("notebooks:page-edit", args=[s, p]), {"version": 2, "title": "Volé"}),
        (reverse("notebooks:page-lock", args=[s, p]), {}),
        (reverse("notebooks:page-unlock", args=[s, p]), {}),
        (reverse("notebooks:page-lift-lock", args=[s, p]), {}),
        (reverse("notebooks:page-propose", args=[s, p]), {}),
        (reverse("notebooks:page-publish", args=[s, p]), {}),
        (reverse("notebooks:page-return", args=[s, p]), {"comment": "Non"}),
        (reverse("notebooks:page-move", args=[s, p]), {"direction": "haut"}),
        (reverse("notebooks:page-delete", args=[s, p]), {}),
    ]
    return gets, posts


@pytest.mark.parametrize("outsider", ["other_teacher", "rased_member"])
def test_a_notebook_does_not_exist_for_those_outside_its_readers(
    client_as, request, outsider, private_notebook, private_page, teacher
):
    export = BookExport.objects.create(notebook=private_notebook, format="pdf", fingerprint="x", status="pret")
    PageLock.objects.create(
        page=private_page, holder=teacher, taken_at="2026-01-01T00:00Z", expires_at="2100-01-01T00:00Z"
    )
    client = client_as(request.getfixturevalue(outsider))
    before = _state()
    gets, posts = _every_url(private_notebook, private_page, export)
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert _state() == before
    listing = client.get(reverse("notebooks:notebook-list")).content.decode()
    assert "Le cahier de l’école" not in listing


def test_an_unknown_page_of_a_readable_notebook_is_404(client_as, teacher, notebook, private_page):
    """A page id of another notebook, under this notebook's address: 404 (no IDOR through the URL)."""
    url = reverse("notebooks:page-detail", args=[notebook.slug, private_page.pk])
    assert client_as(teacher).get(url).status_code == 404


def test_the_directors_school_notebook_is_managed_by_them(client_as, director, private_notebook, private_page):
    assert permissions.can_manage_notebook(director, private_notebook)
    assert client_as(director).get(reverse("notebooks:queue", args=[private_notebook.slug])).status_code == 200


@pytest.mark.parametrize("name", [r for r in ROLES if r != "anonymous"])
def test_the_rules_list_and_check_agree(request, name, notebook, page, published_page, private_notebook, private_page):
    user = request.getfixturevalue(name)
    for rule, model in (
        (permissions.notebook_readers, Notebook),
        (permissions.notebook_contributors, Notebook),
        (permissions.notebook_managers, Notebook),
        (permissions.page_readers, Page),
    ):
        listed = set(model.objects.filter(rule(user).q()).values_list("pk", flat=True))
        checked = {obj.pk for obj in model.objects.all() if rule(user).check(obj)}
        assert listed == checked, (rule.__name__, name)


def test_teachers_of_the_readers_contribute_when_the_notebook_says_so(other_teacher, rased_member):
    notebook = NotebookFactory(teachers_of_readers_contribute=True)
    assert permissions.can_contribute(other_teacher, notebook)
    assert not permissions.can_contribute(rased_member, notebook)
    assert permissions.can_view_notebook(rased_member, notebook)
    notebook.teachers_of_readers_contribute = False
    notebook.save()
    assert not permissions.can_contribute(other_teacher, Notebook.objects.get(pk=notebook.pk))
