"""« Aide »: the Markdown pages render, are found by the search, and every « ? » link exists."""

import pytest
from django.urls import NoReverseMatch, reverse

from search import help

from ..blogs.factories import PostFactory, SeriesFactory, TagFactory

pytestmark = pytest.mark.django_db

REQUIRED = {
    "actualites": ["proposer-une-actualite", "accuser-reception-d-une-note-aux-directeurs"],
    "frise": ["s-abonner-a-la-frise"],
    "cahiers": ["enregistrer-avec-le-dictaphone"],
    "messagerie": ["ecrire-un-message", "retrouver-un-message"],
}


def test_the_help_covers_the_features_the_issue_names():
    for slug, sections in REQUIRED.items():
        page = help.page(slug)
        assert page is not None, slug
        assert set(sections) <= {id for id, _ in page.sections}, slug


@pytest.mark.parametrize("view_name", sorted(help.HELP_FOR_VIEW))
def test_every_mapped_page_and_section_exists(view_name):
    slug, section = help.HELP_FOR_VIEW[view_name]
    page = help.page(slug)
    assert page is not None, f"{view_name} → {slug}: no such help page"
    if section:
        assert section in {id for id, _ in page.sections}, f"{view_name} → {slug}#{section}"
    try:
        reverse(view_name)
    except NoReverseMatch as error:  # a view taking arguments: its name must at least exist
        assert "is not a valid view function or pattern name" not in str(error), view_name
        assert "is not a registered namespace" not in str(error), view_name


def test_the_help_pages_render_sanitised(client_as, teacher):
    client = client_as(teacher)
    index = client.get(reverse("search:help"))
    assert index.status_code == 200
    for page in help.pages().values():
        assert page.get_absolute_url() in index.text
        response = client.get(page.get_absolute_url())
        assert response.status_code == 200
        assert f"<h1>{page.title}</h1>" in response.text
        assert "<script" not in page.html
    assert client.get(reverse("search:help-page", args=["inconnue"])).status_code == 404


def test_markdown_cannot_inject_markup():
    page = help._render("essai", "# Essai\n\nTexte <script>alert(1)</script> [lien](javascript:alert(1))\n\n## Partie")
    assert "<script" not in page.html and "javascript:" not in page.html
    assert page.sections == (("partie", "Partie"),)


def test_each_page_header_links_to_its_help_section(client_as, teacher):
    response = client_as(teacher).get(reverse("news:index"))
    assert f'href="{reverse("search:help-page", args=["actualites"])}"' in response.text
    response = client_as(teacher).get(reverse("timeline:subscription"))
    assert f'href="{reverse("search:help-page", args=["frise"])}#s-abonner-a-la-frise"' in response.text


def test_every_page_has_the_search_field(client_as, teacher):
    response = client_as(teacher).get(reverse("accounts:home"))
    assert f'action="{reverse("search:results")}"' in response.text and 'name="q"' in response.text


def test_help_pages_are_found_by_the_search(client_as, teacher):
    response = client_as(teacher).get(reverse("search:results"), {"q": "accuser reception"})
    groups = {g["provider"].kind: g for g in response.context["groups"]}
    assert groups["aide"]["results"][0].url == reverse("search:help-page", args=["actualites"])


def test_the_tutorial_library_filters_by_tags(client_as, teacher, counsellor):
    series = SeriesFactory()
    digipad, cycle3 = TagFactory(name="Digipad"), TagFactory(kind="cycle", name="Cycle 3")
    both = PostFactory(blog=series, author=counsellor, title="Digipad au cycle 3")
    both.tags.set([digipad, cycle3])
    tool_only = PostFactory(blog=series, author=counsellor, title="Digipad pour les maternelles")
    tool_only.tags.set([digipad])
    draft = PostFactory(blog=series, author=counsellor, title="En préparation", status="brouillon", published_at=None)
    draft.tags.set([digipad])
    client = client_as(teacher)
    everything = client.get(reverse("search:tutorials"))
    assert everything.status_code == 200
    assert {p.pk for p in everything.context["page"]} == {both.pk, tool_only.pk}
    assert "En préparation" not in everything.text
    assert "Digipad (2)" in everything.text
    filtered = client.get(reverse("search:tutorials"), {"etiquette": [digipad.slug, cycle3.slug]})
    assert [p.pk for p in filtered.context["page"]] == [both.pk]
