"""A school's page is its space: its blogs and projects, its coming events, the news addressed to it,
each as the viewer may see them (accounts.structure_page), at a fixed cost."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import structure_page
from accounts.audiences import AudienceKind
from accounts.models import Role
from blogs.models import Blog
from tests.blogs.factories import BlogFactory
from tests.blogs.factories import PostFactory as BlogPostFactory
from tests.factories import SchoolFactory, make_member
from tests.news.factories import PostFactory as NewsPostFactory
from tests.timeline.factories import EventFactory, school_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_school(db):
    return SchoolFactory(name="École maternelle Les Tilleuls", commune="Lencloître")


@pytest.fixture
def other_teacher(other_school):
    return make_member(Role.TEACHER, other_school, first_name="Olga", last_name="Ailleurs")


def _soon(days=7):
    return timezone.localdate() + timedelta(days=days)


def _school_blog(school, title, **fields):
    blog = BlogFactory(title=title, owner_kind=Blog.OwnerKind.SCHOOL, audience=AudienceKind.STRUCTURES, **fields)
    blog.owner_structures.set([school])
    blog.audience_structures.set([school])
    return blog


def _project(schools, title):
    blog = BlogFactory(title=title, owner_kind=Blog.OwnerKind.PROJECT, audience=AudienceKind.STRUCTURES)
    blog.owner_structures.set(schools)
    blog.audience_structures.set(schools)
    return blog


@pytest.fixture
def school_life(school, other_school):
    """What concerns the school, and what does not (another school's, past, district team's)."""
    life = _school_blog(school, "La vie de l’école Jean Raffarin")
    BlogPostFactory.create_batch(2, blog=life)
    BlogPostFactory(blog=life, status="brouillon", published_at=None)
    _project([school, other_school], "Correspondance scolaire")
    _school_blog(other_school, "Le blog des Tilleuls")
    BlogFactory(title="L’outil numérique de la semaine")  # the district's: not the school's
    EventFactory(title="Animation pédagogique", start_date=_soon(3))
    school_event(school, title="Conseil d’école", start_date=_soon(5))
    EventFactory(
        title="Spectacle de fin d’année", start_date=_soon(6), audience_structures=[school], audience="structures"
    )
    school_event(other_school, title="Kermesse des Tilleuls", start_date=_soon(4))
    EventFactory(title="Réunion passée", start_date=timezone.localdate() - timedelta(days=3))
    EventFactory(title="Séminaire de l’équipe", start_date=_soon(2), audience=AudienceKind.DISTRICT_TEAM)
    NewsPostFactory(title="Plan mathématiques")
    NewsPostFactory(title="Sortie au théâtre", schools=[school])
    NewsPostFactory(title="Piscine des Tilleuls", schools=[other_school])
    NewsPostFactory(title="Enquête rentrée", directors=True)
    NewsPostFactory(title="Brouillon à venir", draft=True)


def _contexts(response):
    return {section.key: context for section, context in response.context["regions"]["sections"]}


def _section_texts(response):
    html = response.text
    return {
        key: html.split(f'id="structure-{key}"')[1].split("</section>")[0] if f'id="structure-{key}"' in html else None
        for key in ("blogs", "evenements", "actualites")
    }


def test_a_teacher_sees_the_life_of_their_school(client_as, teacher, school, school_life):
    response = client_as(teacher).get(school.get_absolute_url())

    assert response.status_code == 200
    sections = _section_texts(response)
    assert "La vie de l’école Jean Raffarin" in sections["blogs"]
    assert "Correspondance scolaire" in sections["blogs"]
    assert "2 billets publiés" in sections["blogs"]
    assert "Projet entre École élémentaire Jean Raffarin et École maternelle Les Tilleuls" in sections["blogs"]
    assert "Le blog des Tilleuls" not in sections["blogs"]
    assert "L’outil numérique" not in sections["blogs"]
    assert "Ouvrir un blog pour l’école" in sections["blogs"]
    assert f"{reverse('blogs:blog-create')}?ecole={school.code}" in sections["blogs"]
    events = [e.title for e in _contexts(response)["timeline"]["events"]]
    assert events == ["Animation pédagogique", "Conseil d’école", "Spectacle de fin d’année"]
    news = [p.title for p in _contexts(response)["news"]["posts"]]
    assert sorted(news) == ["Plan mathématiques", "Sortie au théâtre"]  # no directors' news for a teacher


def test_the_director_also_sees_the_directors_news_addressed_to_the_school(client_as, director, school, school_life):
    response = client_as(director).get(school.get_absolute_url())

    news = [p.title for p in _contexts(response)["news"]["posts"]]
    assert sorted(news) == ["Enquête rentrée", "Plan mathématiques", "Sortie au théâtre"]
    assert "Enquête rentrée" in _section_texts(response)["actualites"]


def test_a_teacher_of_another_school_sees_only_what_is_theirs_too(client_as, other_teacher, school, school_life):
    response = client_as(other_teacher).get(school.get_absolute_url())

    sections = _section_texts(response)
    assert "La vie de l’école Jean Raffarin" not in sections["blogs"]
    assert "Correspondance scolaire" in sections["blogs"]  # their school is in the project
    assert "Ouvrir un blog" not in sections["blogs"]
    assert "Conseil d’école" not in sections["evenements"]
    assert "Spectacle de fin d’année" not in sections["evenements"]
    assert "Animation pédagogique" in sections["evenements"]
    assert "Sortie au théâtre" not in sections["actualites"]
    assert "Plan mathématiques" in sections["actualites"]


def test_the_district_team_sees_everything_addressed_to_the_school(client_as, counsellor, school, school_life):
    response = client_as(counsellor).get(school.get_absolute_url())

    sections = _section_texts(response)
    for title in ("La vie de l’école Jean Raffarin", "Correspondance scolaire", "Ouvrir un blog pour l’école"):
        assert title in sections["blogs"]
    for title in ("Conseil d’école", "Spectacle de fin d’année", "Animation pédagogique"):
        assert title in sections["evenements"]
    assert "Kermesse des Tilleuls" not in sections["evenements"]
    assert "Séminaire de l’équipe" not in sections["evenements"]  # addressed to the team, not the school
    assert "Piscine des Tilleuls" not in sections["actualites"]
    assert "Brouillon à venir" not in sections["actualites"]


def test_a_school_with_no_blog_for_a_rased_member_shows_no_blog_section(client_as, rased_member, school):
    response = client_as(rased_member).get(school.get_absolute_url())

    sections = _section_texts(response)
    assert sections["blogs"] is None  # nothing to read, nothing they may open
    assert "Aucun événement à venir de la frise ne concerne" in sections["evenements"]
    assert "Aucune actualité en cours ne lui est adressée." in sections["actualites"]


def test_a_teams_page_has_no_blog_section(client_as, counsellor):
    team = counsellor.memberships.get().structure

    sections = _section_texts(client_as(counsellor).get(team.get_absolute_url()))

    assert sections["blogs"] is None
    assert sections["evenements"] is not None


def test_a_section_returning_none_is_left_out_and_actions_are_drawn_in_the_header(
    client_as, teacher, school, monkeypatch, tmp_path, settings
):
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "action.html").write_text('<li><a class="fr-btn" href="#">Écrire à la direction</a></li>')
    (tmp_path / "t" / "nothing.html").write_text("<p>Jamais affiché</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path / "t"]}]
    monkeypatch.setattr(structure_page, "_SECTIONS", dict(structure_page._SECTIONS))
    structure_page.register(
        structure_page.Section(
            key="mail", order=1, template="action.html", context=lambda r, s: {}, region=structure_page.Region.ACTIONS
        )
    )
    structure_page.register(
        structure_page.Section(key="notebooks", order=5, template="nothing.html", context=lambda r, s: None)
    )

    response = client_as(teacher).get(school.get_absolute_url())

    header = response.text.split("<h1>")[1].split('id="identite"')[0]
    assert "Écrire à la direction" in header
    assert "Jamais affiché" not in response.text
    keys = [section.key for section, _ in response.context["regions"]["sections"]]
    assert keys == ["blogs", "timeline", "news"]


def test_without_actions_the_header_has_no_button_group(client_as, school):
    # A teacher of another school (no shared project) may neither write to this school's direction
    # (messaging) nor keep its image-rights registry (privacy): no action.
    outsider = make_member(Role.TEACHER, SchoolFactory())
    response = client_as(outsider).get(school.get_absolute_url())

    assert response.context["regions"]["actions"] == []
    assert "fr-btns-group" not in response.text.split("<h1>")[1].split('id="identite"')[0]


def test_the_school_page_cost_does_not_grow_with_its_life(
    client_as, director, school, other_school, assert_flat_queries
):
    def add_rows(count):
        for index in range(count):
            _school_blog(school, f"Blog de classe {index}")
            _project([school, other_school], f"Projet {index}")
            school_event(school, title=f"Événement {index}", start_date=_soon(index % 20 + 1))
            NewsPostFactory(title=f"Actualité {index}", schools=[school])

    def shown(response):
        sections = _contexts(response)
        return (
            len(sections["blogs"]["school"]),
            len(sections["blogs"]["projects"]),
            len(sections["timeline"]["events"]),
            len(sections["news"]["posts"]),
        )

    assert_flat_queries(
        client_as(director),
        school.get_absolute_url(),
        add_rows,
        rows=3,
        # 3 for the person, the school and its members; blogs 2 (with their schools), events 1, news 1
        queries=8,  # + notebooks 1 (the roles and the header's counts are in the cache)
        shown=shown,
        expect=[(3, 3, 3, 3), (30, 30, 5, 5)],
    )
