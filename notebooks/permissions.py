"""Who may read, write, validate and export in the notebooks.

* Managers (:func:`notebook_managers`): the district team, the notebook's creator, and for a
  school's notebook that school's director. They change the notebook, validate, send back, move
  and delete pages, lift a lock, and export the book.
* Contributors (:func:`notebook_contributors`): the managers, the people named, every member of
  the structures named, and — when the notebook says so — every teacher to whom it is open. They
  add pages while the notebook is open, and edit their own (and their school's pages, if the
  notebook says so) until they are published in a validated notebook.
* Readers (:func:`notebook_readers`): its audience and its contributors. They read the published
  pages (their frozen copy) and download the book.
* Nobody else learns that a notebook exists: every notebook, page, media and export URL answers 404.

Each rule is an :mod:`ent.predicates` rule, giving the ``Q`` for lists and the one-object check.
"""

from django.db.models import Q
from django.utils import timezone

from accounts.audiences import addressed_to
from accounts.permissions import acts_for_district, schools_directed_by, schools_taught_in, teaches
from accounts.roles import viewer
from ent.predicates import EVERYTHING, NOTHING, Predicate, pair, related, where

from .models import Notebook, Page


def _named_notebook_ids(user):
    v = viewer(user)
    named = Q(pk__in=Notebook.contributor_users.through.objects.filter(user_id=user.pk).values("notebook_id"))
    if v.structure_ids:
        through = Notebook.contributor_structures.through
        named |= Q(pk__in=through.objects.filter(structure_id__in=v.structure_ids).values("notebook_id"))
    return Notebook.objects.filter(named).values("pk")


def _is_named(user, notebook) -> bool:
    v = viewer(user)
    if notebook.contributor_users.filter(pk=user.pk).exists():
        return True
    return bool(v.structure_ids) and notebook.contributor_structures.filter(pk__in=v.structure_ids).exists()


def notebook_managers(user) -> Predicate:
    """The notebooks this person manages: every one for the district team; those they opened; their school's."""
    if not viewer(user).is_authenticated:
        return NOTHING
    if acts_for_district(user):
        return EVERYTHING
    rule = where(created_by_id=user.pk)
    directed = schools_directed_by(user)
    if directed:
        rule = rule | where(school_id__in=sorted(directed))
    return rule


def notebook_contributors(user) -> Predicate:
    """The notebooks this person may add pages to (while open): managers, named people and structures,
    and every teacher of the readers when the notebook says so."""
    if not viewer(user).is_authenticated:
        return NOTHING
    managers = notebook_managers(user)
    if managers is EVERYTHING:
        return EVERYTHING
    rule = managers | pair(
        q=lambda prefix: Q(**{f"{prefix}pk__in": _named_notebook_ids(user)}),
        check=lambda notebook: _is_named(user, notebook),
    )
    if teaches(user):
        rule = rule | (where(teachers_of_readers_contribute=True) & addressed_to(user, Notebook))
    return rule.remembered("_contributors_cache", user.pk)


def notebook_readers(user) -> Predicate:
    """The notebooks this person may read: addressed to them, or that they write in."""
    if not viewer(user).is_authenticated:
        return NOTHING
    if acts_for_district(user):
        return EVERYTHING
    return (addressed_to(user, Notebook) | notebook_contributors(user)).remembered("_readers_cache", user.pk)


def page_readers(user) -> Predicate:
    """Published pages of the notebooks this person reads, every page of those they manage, their own
    pages, and their school's pages where the notebook lets the school edit them."""
    if not viewer(user).is_authenticated:
        return NOTHING
    rule = (where(published_edition_id__isnull=False) & related("notebook", notebook_readers(user))) | related(
        "notebook", notebook_managers(user)
    )
    rule = rule | pair(
        q=lambda prefix: (
            Q(**{f"{prefix}pk__in": Page.authors.through.objects.filter(user_id=user.pk).values("page_id")})
            | Q(**{f"{prefix}created_by_id": user.pk})
        ),
        check=lambda page: is_author(user, page),
    )
    schools = schools_taught_in(user)
    if schools:
        rule = rule | (
            where(notebook__school_pages_editable=True, school_id__in=sorted(schools))
            & related("notebook", notebook_contributors(user))
        )
    return rule


def is_author(user, page) -> bool:
    """Wrote the page (``authors`` prefetched by the selectors, or asked once)."""
    if page.created_by_id == user.pk:
        return True
    return any(a.pk == user.pk for a in page.authors.all())


def notebooks_visible_to(user) -> Q:
    return notebook_readers(user).q()


def notebooks_contributed_by(user) -> Q:
    return notebook_contributors(user).q()


def notebooks_managed_by(user) -> Q:
    return notebook_managers(user).q()


def pages_visible_to(user, prefix: str = "") -> Q:
    return page_readers(user).q(prefix)


def can_view_notebook(user, notebook) -> bool:
    return notebook_readers(user).check(notebook)


def can_manage_notebook(user, notebook) -> bool:
    return notebook_managers(user).check(notebook)


def can_create_notebook(user) -> bool:
    """The district team, any notebook; a director, the notebook of a school they direct."""
    return acts_for_district(user) or bool(schools_directed_by(user))


def can_set_notebook_school(user, school) -> bool:
    """May open a notebook for this school (or, ``None``, for the whole district)."""
    if acts_for_district(user):
        return True
    return school is not None and school.pk in schools_directed_by(user)


def is_open(notebook, today=None) -> bool:
    return notebook.is_open_on(today or timezone.localdate())


def can_contribute(user, notebook) -> bool:
    """Is a contributor (managers included), whether or not the notebook is open today."""
    return notebook_contributors(user).check(notebook)


def can_add_page(user, notebook) -> bool:
    """A contributor while the notebook is open; a manager at any time."""
    if can_manage_notebook(user, notebook):
        return True
    return is_open(notebook) and can_contribute(user, notebook)


def can_view_page(user, page) -> bool:
    return page_readers(user).check(page)


def can_edit_page(user, page) -> bool:
    """Managers, always; its authors (or their school, if the notebook says so) while the notebook is
    open and, in a validated notebook, until it is published or while it is sent back."""
    notebook = page.notebook
    if can_manage_notebook(user, notebook):
        return True
    if not is_open(notebook) or not can_contribute(user, notebook):
        return False
    if notebook.is_validated and page.status == Page.Status.PROPOSED:
        return False
    if is_author(user, page):
        return True
    return notebook.school_pages_editable and page.school_id is not None and page.school_id in schools_taught_in(user)


def can_propose_page(user, page) -> bool:
    return (
        page.notebook.is_validated
        and page.status in (Page.Status.DRAFT, Page.Status.RETURNED)
        and can_edit_page(user, page)
    )


def can_review_page(user, page) -> bool:
    """Publish or send back a proposed page: the notebook's managers."""
    return can_manage_notebook(user, page.notebook)


def can_delete_page(user, page) -> bool:
    """Managers; its authors while it was never published."""
    if can_manage_notebook(user, page.notebook):
        return True
    return page.published_edition_id is None and can_edit_page(user, page)


def can_lift_lock(user, page) -> bool:
    return can_manage_notebook(user, page.notebook)


def can_view_edition(user, page) -> bool:
    """Read the published (frozen) copy of a page: whoever reads the notebook."""
    return page.published_edition_id is not None and can_view_notebook(user, page.notebook)


def can_download_book(user, notebook) -> bool:
    """The notebook's readers only."""
    return can_view_notebook(user, notebook)


def can_export_book(user, notebook) -> bool:
    return can_manage_notebook(user, notebook)


def can_view_block_media(user, page) -> bool:
    """The files of a page's blocks: whoever may see the page (working copy or frozen copy)."""
    return can_view_page(user, page)


def reviews_some_notebook(user) -> bool:
    """Manages at least one notebook: who is told of pages proposed (one query, remembered)."""
    if not viewer(user).is_authenticated:
        return False
    if getattr(user, "_reviews_some_notebook", None) is None:
        user._reviews_some_notebook = Notebook.objects.filter(notebooks_managed_by(user)).exists()
    return user._reviews_some_notebook
