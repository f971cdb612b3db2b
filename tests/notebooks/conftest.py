"""Fixtures of the notebook tests: two schools, a teacher in each, a notebook validated first."""

import pytest

from accounts.models import Role
from tests.factories import (
    NotebookBlockFactory,
    NotebookFactory,
    NotebookPageFactory,
    SchoolFactory,
    make_member,
    publish_notebook_page,
)


@pytest.fixture
def other_school(db):
    return SchoolFactory(name="École élémentaire Jules Ferry", commune="Lencloître")


@pytest.fixture
def other_teacher(other_school):
    return make_member(Role.TEACHER, other_school, first_name="Olga", last_name="Autre")


@pytest.fixture
def notebook(counsellor, school, other_school):
    """Opened by the counsellor, read by the whole district, written by the two schools; validated first."""
    notebook = NotebookFactory(title="Inventaire de printemps", slug="inventaire", created_by=counsellor)
    notebook.contributor_structures.set([school, other_school])
    return notebook


@pytest.fixture
def page(notebook, teacher, school):
    """A draft page of the notebook (it hides the browser's ``page`` fixture here: browser tests make
    their tab from ``browser``)."""
    page = NotebookPageFactory(notebook=notebook, title="Les jonquilles", school=school, author=teacher)
    NotebookBlockFactory(page=page, body="<p>Texte de la classe.</p>", position=0)
    return page


@pytest.fixture
def published_page(notebook, other_teacher, other_school, counsellor):
    page = NotebookPageFactory(notebook=notebook, title="Les abeilles", school=other_school, author=other_teacher)
    NotebookBlockFactory(page=page, body="<p>Les abeilles butinent.</p>", position=0)
    return publish_notebook_page(page, by=counsellor)
