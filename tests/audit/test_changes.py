"""audit.changes: values described for people, snapshots and field-level changes."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from accounts.models import Structure
from audit.changes import changes_between, describe, describe_html, model_fields, snapshot
from blogs.models import Blog
from tests.blogs.factories import BlogFactory
from tests.factories import SchoolFactory, UserFactory

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (True, "oui"),
        (False, "non"),
        ("", ""),
        ("Bonjour", "Bonjour"),
        (dt.date(2026, 12, 9), "mercredi 9 décembre 2026"),
        (dt.datetime(2026, 12, 9, 7, 30, tzinfo=dt.UTC), "mercredi 9 décembre 2026 à 8 h 30"),
        (3, "3"),
        (["b", "a"], "a, b"),
    ],
)
def test_describe(value, text):
    assert describe(value) == text


def test_describe_cuts_long_texts_and_html_loses_its_markup():
    assert len(describe("x" * 500)) == 300
    assert describe_html("<p>Un <strong>tutoriel</strong></p>") == "Un tutoriel"
    assert describe_html(None) == ""


def test_changes_between_lists_the_fields_that_differ_in_order():
    fields = [("title", "Titre"), ("pinned", "À la une"), ("summary", "Résumé")]
    before = {"title": "Premier", "pinned": "non", "summary": "Même"}
    after = {"title": "Second", "pinned": "oui", "summary": "Même"}

    assert changes_between(before, after, fields) == [
        {"field": "title", "label": "Titre", "before": "Premier", "after": "Second"},
        {"field": "pinned", "label": "À la une", "before": "non", "after": "oui"},
    ]
    assert changes_between(after, after, fields) == []


def test_a_creation_lists_only_the_fields_set():
    fields = [("title", "Titre"), ("pinned", "À la une"), ("summary", "Résumé"), ("public", "Public")]
    after = {"title": "Nouveau", "pinned": "non", "summary": "", "public": "oui"}

    assert changes_between(None, after, fields) == [
        {"field": "title", "label": "Titre", "before": "", "after": "Nouveau"},
        {"field": "public", "label": "Public", "before": "", "after": "oui"},
    ]


@pytest.mark.django_db
def test_snapshot_reads_choices_by_label_and_relations_by_name():
    blog = BlogFactory(title="Le blog", is_public=False, owner_kind=Blog.OwnerKind.SCHOOL)
    blog.owner_structures.set([SchoolFactory(name="École B"), SchoolFactory(name="École A")])
    blog.contributor_users.set([UserFactory(first_name="Zoé", last_name="Zed")])
    fields = model_fields(Blog, ["title", "owner_kind", "is_public", "owner_structures", "contributor_users"])

    assert fields == [
        ("title", "Titre"),
        ("owner_kind", "Blog de"),
        ("is_public", "Blog public"),
        ("owner_structures", "Écoles"),
        ("contributor_users", "Contributeur·rices"),
    ]
    assert snapshot(blog, fields) == {
        "title": "Le blog",
        "owner_kind": Blog.OwnerKind.SCHOOL.label,
        "is_public": "non",
        "owner_structures": "École A, École B",
        "contributor_users": "Zoé Zed",
    }


def test_snapshot_of_an_unsaved_object_reads_no_relation():
    school = Structure(name="Nouvelle école")
    assert snapshot(school, [("name", "Nom"), ("memberships", "Membres")]) == {
        "name": "Nouvelle école",
        "memberships": "",
    }
