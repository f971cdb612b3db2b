"""The notebook page and the list cost the same whatever the number of pages and notebooks."""

from django.urls import reverse

from accounts.models import Role
from tests.factories import (
    NotebookBlockFactory,
    NotebookFactory,
    NotebookPageFactory,
    SchoolFactory,
    make_member,
    publish_notebook_page,
)


def _count_pages(response):
    return response.content.decode().count('class="fr-tile fr-tile--horizontal')


def test_the_notebook_page_cost_does_not_grow_with_its_pages(
    client_as, rased_member, counsellor, notebook, assert_flat_queries
):
    def make_pages(count):
        for _ in range(count):
            school = SchoolFactory()
            author = make_member(Role.TEACHER, school)
            page = NotebookPageFactory(notebook=notebook, school=school, author=author)
            NotebookBlockFactory(page=page)
            publish_notebook_page(page, by=counsellor)

    assert_flat_queries(
        client_as(rased_member),
        notebook.get_absolute_url(),
        make_pages,
        rows=3,
        queries=8,
        shown=_count_pages,
        expect=(3, 30),
    )


def test_the_notebook_page_of_a_manager_costs_the_same_too(client_as, counsellor, notebook, assert_flat_queries):
    def make_pages(count):
        for _ in range(count):
            school = SchoolFactory()
            author = make_member(Role.TEACHER, school)
            NotebookPageFactory(notebook=notebook, school=school, author=author)  # drafts: managers see them

    assert_flat_queries(
        client_as(counsellor),
        notebook.get_absolute_url(),
        make_pages,
        rows=3,
        queries=7,
        shown=_count_pages,
        expect=(3, 30),
    )


def test_the_list_cost_does_not_grow_with_the_notebooks(client_as, teacher, assert_flat_queries):
    def make_notebooks(count):
        NotebookFactory.create_batch(count)

    assert_flat_queries(
        client_as(teacher),
        reverse("notebooks:notebook-list"),
        make_notebooks,
        rows=1,
        queries=3,
        shown=lambda r: r.content.decode().count('class="fr-card fr-enlarge-link"'),
        expect=(1, 10),
    )
