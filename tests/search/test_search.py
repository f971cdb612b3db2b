"""The search across the ENT: accents, stemming (crude on SQLite), ranking, rights, filters, cost."""

import copy
import datetime as dt

import pytest
from django.db.models.base import ModelState
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from blogs import permissions as blog_permissions
from blogs.search import post_index as blog_post_index
from mail import permissions as mail_permissions
from mail.models import Delivery
from news import permissions as news_permissions
from news import services as news_services
from news.models import Feed
from news.search import post_index as news_post_index
from notebooks import permissions as notebook_permissions
from notebooks.models import Page
from notebooks.search import page_index
from search.index import batched, index_refresh
from search.models import Entry
from timeline import permissions as timeline_permissions
from timeline.search import event_index

from ..blogs.factories import BlogFactory, SeriesFactory
from ..blogs.factories import PostFactory as BlogPostFactory
from ..factories import (
    NotebookBlockFactory,
    NotebookFactory,
    NotebookPageFactory,
    SchoolFactory,
    make_member,
    send_mail_to,
)
from ..news.factories import PostFactory as NewsPostFactory
from ..timeline.factories import EventFactory, school_event

pytestmark = pytest.mark.django_db


def _search(client, q, **params):
    return client.get(reverse("search:results"), {"q": q, **params})


def _found(response) -> dict[str, list[str]]:
    """{kind: [result urls]} of a results page."""
    return {g["provider"].kind: [r.url for r in g["results"]] for g in response.context["groups"]}


def _news(title, **fields):
    post = NewsPostFactory(title=title, **fields)
    news_post_index(post)
    return post


# --- French as people type it ------------------------------------------------------------------


def test_accents_and_case_are_ignored(client_as, teacher):
    post = _news("Réunion à l’École de Mirebeau")
    for typed in ("ecole", "ÉCOLE", "reunion mirebeau", "Réunion"):
        assert _found(_search(client_as(teacher), typed)).get("actualites") == [post.get_absolute_url()], typed


def test_a_plural_finds_the_singular(client_as, teacher):
    post = _news("Calendrier de l’évaluation nationale")
    assert _found(_search(client_as(teacher), "évaluations")).get("actualites") == [post.get_absolute_url()]


def test_every_word_must_be_found(client_as, teacher):
    _news("Animation numérique à Lencloître")
    assert "actualites" not in _found(_search(client_as(teacher), "numérique piscine"))


def test_a_title_match_ranks_before_a_text_match_then_newest_first(client_as, teacher):
    now = timezone.now()
    in_text_new = _news("Informations", body="<p>Le dictaphone des cahiers.</p>", published_at=now)
    in_title_old = _news("Le dictaphone en classe", published_at=now - dt.timedelta(days=30))
    in_title_new = _news("Dictaphone : mode d’emploi", published_at=now - dt.timedelta(days=1))
    found = _found(_search(client_as(teacher), "dictaphone"))["actualites"]
    assert found == [p.get_absolute_url() for p in (in_title_new, in_title_old, in_text_new)]


def test_the_excerpt_and_title_are_highlighted_and_say_where_it_lives(client_as, teacher):
    _news("Évaluations de CE1", body="<p>Les <em>évaluations</em> commencent lundi.</p>")
    response = _search(client_as(teacher), "evaluation")
    assert "<mark>Évaluations</mark> de CE1" in response.text
    assert "<mark>évaluations</mark> commencent lundi" in response.text
    assert "Actualités pédagogiques" in response.text


def test_results_are_filtered_by_school_year(client_as, teacher):
    last_year = _news("Piscine 2025", published_at=timezone.make_aware(dt.datetime(2025, 10, 1, 9)))
    this_year = _news("Piscine 2026", published_at=timezone.make_aware(dt.datetime(2026, 10, 1, 9)))
    client = client_as(teacher)
    assert _found(_search(client, "piscine", annee="2025-2026"))["actualites"] == [last_year.get_absolute_url()]
    assert _found(_search(client, "piscine", annee="2026-2027"))["actualites"] == [this_year.get_absolute_url()]


def test_a_kind_filter_shows_that_kind_page_by_page(client_as, teacher):
    for n in range(25):
        _news(f"Sortie scolaire n°{n}")
    response = _search(client_as(teacher), "sortie", type="actualites")
    assert len(_found(response)["actualites"]) == 20
    assert response.context["page"].paginator.count == 25
    second = _search(client_as(teacher), "sortie", type="actualites", page=2)
    assert len(_found(second)["actualites"]) == 5


def test_the_grouped_page_shows_five_of_each_kind_and_links_to_the_rest(client_as, teacher):
    for n in range(7):
        _news(f"Sortie scolaire n°{n}")
    response = _search(client_as(teacher), "sortie")
    assert len(_found(response)["actualites"]) == 5
    assert "Voir les 7 résultats" in response.text


def test_an_unknown_kind_or_year_is_refused_quietly(client_as, teacher):
    response = _search(client_as(teacher), "sortie", type="secret", annee="1900-1901")
    assert response.status_code == 200 and response.context["groups"] == []


def test_the_search_needs_a_signed_in_person(client):
    response = _search(client, "ecole")
    assert response.status_code == 302


# --- The services keep the index -----------------------------------------------------------------


def test_writing_and_deleting_a_post_through_the_services_updates_the_index(client_as, teacher, counsellor, admin_user):
    data = news_services.PostInput(title="Formation au dictaphone", summary="Pour les cycles 2")
    post = news_services.post_create(actor=counsellor, feed=Feed.PEDAGOGY, data=data)
    assert Entry.objects.get(kind="actualites", object_id=post.pk).title == "Formation au dictaphone"
    assert "actualites" not in _found(_search(client_as(teacher), "dictaphone"))  # a draft
    news_services.post_publish(actor=counsellor, post=post)
    assert _found(_search(client_as(teacher), "dictaphone"))["actualites"] == [post.get_absolute_url()]
    news_services.post_update(
        actor=counsellor, post=post, data=news_services.PostInput(title="Atelier son", summary="r")
    )
    assert "actualites" not in _found(_search(client_as(teacher), "dictaphone"))
    news_services.post_delete(actor=admin_user, post=post)
    assert not Entry.objects.filter(kind="actualites", object_id=post.pk).exists()


# --- Rights: what may not be seen is never found -------------------------------------------------

SEARCHERS = ["teacher", "director", "counsellor", "inspector", "rased_member"]


@pytest.fixture
def secrets(school, counsellor):
    """One hidden thing per app, each titled « zanzibar … », with the rule that says who may see it."""
    other_school = SchoolFactory(name="École des Tilleuls")
    other_teacher = make_member(Role.TEACHER, other_school)
    other_director = make_member(Role.DIRECTOR, other_school)
    news_draft = _news("Zanzibar brouillon", status="brouillon", published_at=None, author=other_teacher)
    directors_note = _news("Zanzibar note aux directeurs", feed=Feed.DIRECTORS)
    blog = BlogFactory(contributors=[counsellor])
    blog_draft = BlogPostFactory(
        blog=blog, author=counsellor, title="Zanzibar billet en préparation", status="brouillon", published_at=None
    )
    blog_post_index(blog_draft)
    event = school_event(other_school, title="Zanzibar conseil d’école")
    event_index(event)
    page = NotebookPageFactory(
        notebook=NotebookFactory(), title="Zanzibar page des Tilleuls", author=other_teacher, school=other_school
    )
    NotebookBlockFactory(page=page, body="<p>zanzibar</p>")
    page_index(page)
    message = send_mail_to(other_director, [other_teacher], subject="Zanzibar entre collègues")
    return [
        ("actualites", news_draft.get_absolute_url(), lambda u: news_permissions.can_view_post(u, news_draft)),
        ("actualites", directors_note.get_absolute_url(), lambda u: news_permissions.can_view_post(u, directors_note)),
        ("blogs", blog_draft.get_absolute_url(), lambda u: blog_permissions.can_view_post(u, blog_draft)),
        ("frise", event.get_absolute_url(), lambda u: timeline_permissions.can_view_event(u, event)),
        ("cahiers", page.get_absolute_url(), lambda u: notebook_permissions.can_view_page(u, page)),
        ("messages", message.get_absolute_url(), lambda u: mail_permissions.can_read_message(u, message)),
    ]


@pytest.mark.parametrize("person", SEARCHERS, indirect=True)
def test_a_result_and_its_count_are_shown_only_to_whoever_may_open_it(client_as, person, secrets):
    response = _search(client_as(person), "zanzibar")
    found = _found(response)
    totals = {g["provider"].kind: g["total"] for g in response.context["groups"]}
    for kind, url, may_see in secrets:
        assert (url in found.get(kind, [])) == may_see(person), (kind, url)
    for kind in {k for k, _, _ in secrets}:
        expected = sum(1 for k, _, may_see in secrets if k == kind and may_see(person))
        assert totals.get(kind, 0) == expected, kind
    if not any(may_see(person) for *_, may_see in secrets):
        assert "Zanzibar" not in response.text


def test_a_teacher_finds_none_of_the_secrets(client_as, teacher, secrets):
    """The matrix above agrees with each app's rule; here, what that rule says for a teacher."""
    response = _search(client_as(teacher), "zanzibar")
    assert response.context["groups"] == []
    assert "Zanzibar" not in response.text and "Aucun résultat" in response.text


def test_a_director_finds_the_directors_note_only(client_as, director, secrets):
    found = _found(_search(client_as(director), "zanzibar"))
    assert list(found) == ["actualites"] and len(found["actualites"]) == 1


# --- The directory, mail, tutorials, help ----------------------------------------------------------


def test_schools_and_people_are_found_without_accents(client_as, teacher, school, director):
    found = _found(_search(client_as(teacher), "ecole raffarin"))
    assert found["ecoles"] == [school.get_absolute_url()]
    found = _found(_search(client_as(teacher), "delphine directrice"))
    assert found["personnes"] == [school.get_absolute_url()]


def test_my_own_messages_are_found(client_as, teacher, director):
    message = send_mail_to(director, [teacher], subject="Sortie à la médiathèque")
    assert _found(_search(client_as(teacher), "mediatheque"))["messages"] == [message.get_absolute_url()]


def test_the_weekly_series_posts_are_tutorials(client_as, teacher, counsellor):
    series = SeriesFactory()
    tutorial = BlogPostFactory(blog=series, author=counsellor, title="Le dictaphone en classe")
    blog_post_index(tutorial)
    other = BlogPostFactory(blog=BlogFactory(), author=counsellor, title="Notre dictaphone")
    blog_post_index(other)
    found = _found(_search(client_as(teacher), "dictaphone"))
    assert found["tutoriels"] == [tutorial.get_absolute_url()]
    assert found["blogs"] == [other.get_absolute_url()]
    assert found["aide"][0] == reverse("search:help-page", args=["cahiers"])


# --- Cost ----------------------------------------------------------------------------------------


def _one_of_each(count, author, sender, series, blog, notebook, folder=None):
    from resources.models import Document
    from resources.search import document_index

    for _ in range(count):
        if folder is not None:
            document_index(Document.objects.create(folder=folder, title="Atelier jardin", created_by=author))
        _news("Atelier jardin")
        blog_post_index(BlogPostFactory(blog=series, author=author, title="Atelier jardin"))
        blog_post_index(BlogPostFactory(blog=blog, author=author, title="Atelier jardin"))
        event_index(EventFactory(title="Atelier jardin"))
        page = NotebookPageFactory(notebook=notebook, title="Atelier jardin", author=author)
        page_index(page)
        send_mail_to(sender, [author], subject="Atelier jardin")


def test_the_results_page_costs_the_same_for_n_and_10n_items(client_as, counsellor, assert_flat_queries):
    from resources.models import Folder, Theme

    series, blog, notebook = SeriesFactory(), BlogFactory(), NotebookFactory()
    folder = Folder.objects.create(theme=Theme.ADMINISTRATIVE, name="Formulaires")
    sender = make_member(Role.DIRECTOR, SchoolFactory())
    assert_flat_queries(
        client_as(counsellor),
        reverse("search:results"),
        lambda count: _one_of_each(count, counsellor, sender, series, blog, notebook, folder),
        rows=3,
        queries=10,  # one per provider (seven kinds, Ressources included), whatever their rows
        shown=lambda r: sum(len(g["results"]) for g in r.context["groups"]),
        expect=(21, 35),
        data={"q": "atelier jardin"},
    )


class _Copies:
    """Items of the seven kinds, round-robin, to pin the search at 100 and 10,000 of them quickly.

    The first item of each kind is made by the factories and indexed by its app; the others are
    copies of it written in bulk (with its links: authors, a delivery to the person), indexed from
    its entry through ``index_refresh`` inside ``batched()``, as a reindex does.
    """

    def __init__(self, person):
        from resources.models import Document, Folder, Theme
        from resources.search import document_index

        self.person = person
        sender = make_member(Role.DIRECTOR, SchoolFactory())
        folder = Folder.objects.create(theme=Theme.ADMINISTRATIVE, name="Formulaires")
        document = Document.objects.create(folder=folder, title="Atelier jardin", created_by=person)
        document_index(document)
        series_post = BlogPostFactory(blog=SeriesFactory(), author=person, title="Atelier jardin")
        blog_post_index(series_post)
        blog_post = BlogPostFactory(blog=BlogFactory(), author=person, title="Atelier jardin")
        blog_post_index(blog_post)
        event = EventFactory(title="Atelier jardin")
        event_index(event)
        page = NotebookPageFactory(notebook=NotebookFactory(), title="Atelier jardin", author=person)
        page_index(page)
        send_mail_to(sender, [person], subject="Atelier jardin")
        self.templates = [
            ("ressources", document),
            ("actualites", _news("Atelier jardin")),
            ("tutoriels", series_post),
            ("blogs", blog_post),
            ("frise", event),
            ("cahiers", page),
            ("messages", person.mail_deliveries.get(field="to").message),
        ]
        self.made = 0

    def __call__(self, count):
        if not self.made:
            self.made, count = len(self.templates), count - len(self.templates)
        for index, (kind, template) in enumerate(self.templates):
            copies = self._copy(template, count // len(self.templates) + (index < count % len(self.templates)))
            if kind == "messages":
                Delivery.objects.bulk_create(
                    [Delivery(message=m, user=self.person, field="to", delivered_at=m.published_at) for m in copies]
                )
            elif kind == "cahiers":
                Page.authors.through.objects.bulk_create(
                    [Page.authors.through(page=p, user=self.person) for p in copies]
                )
            if kind != "messages":
                entry = Entry.objects.get(kind=kind, object_id=template.pk)
                with batched():
                    for copy_ in copies:
                        index_refresh(
                            kind=kind,
                            object_id=copy_.pk,
                            title=entry.title,
                            body=entry.body,
                            place=entry.place,
                            url=entry.url,
                            date=entry.date,
                        )
        self.made += count

    def _copy(self, template, count):
        rows = []
        for n in range(self.made, self.made + count):
            row = copy.copy(template)
            row.pk = row.id = None
            row._state = ModelState()
            for name, value in (("slug", f"atelier-{n}"), ("send_key", None), ("thread", None)):
                if hasattr(row, name):
                    setattr(row, name, value)
            if getattr(row, "week_start", None) is not None:
                row.week_start = template.week_start - dt.timedelta(weeks=n + 1)
            rows.append(row)
        return type(template).objects.bulk_create(rows, batch_size=500)


@pytest.mark.slow
def test_the_results_page_costs_the_same_for_100_and_10000_items(client_as, counsellor, assert_flat_queries):
    assert_flat_queries(
        client_as(counsellor),
        reverse("search:results"),
        _Copies(counsellor),
        rows=100,
        scale=100,
        queries=10,  # one per provider, whatever the index holds
        shown=lambda r: sum(len(g["results"]) for g in r.context["groups"]),
        expect=(35, 35),
        data={"q": "atelier jardin"},
    )
    assert Entry.objects.count() >= 10_000 * 6 // 7  # the six indexed kinds, the seventh in the mailbox
    assert counsellor.mail_deliveries.count() >= 10_000 // 7


def test_search_reindex_writes_the_entries_of_existing_content(client_as, teacher, counsellor):
    from django.core.management import call_command

    post = NewsPostFactory(title="Chorale de fin d’année")  # written around the services: not indexed
    event = EventFactory(title="Chorale à Lencloître")
    assert not _found(_search(client_as(teacher), "chorale"))
    call_command("search_reindex", stdout=open("/dev/null", "w"))  # noqa: SIM115
    found = _found(_search(client_as(teacher), "chorale"))
    assert found["actualites"] == [post.get_absolute_url()] and found["frise"] == [event.get_absolute_url()]


def test_the_blogs_and_timeline_services_keep_the_index(client_as, teacher, counsellor, inspector):
    from blogs import services as blog_services
    from timeline import services as timeline_services
    from timeline.categories import Category

    blog = BlogFactory(contributors=[counsellor])
    post = blog_services.post_create(
        actor=counsellor, blog=blog, title="Kamishibaï en maternelle", action=blog_services.PostAction.PUBLISH
    )
    day = dt.date(2026, 12, 9)
    data = timeline_services.EventData(
        title="Kamishibaï : formation", category=Category.OTHER, all_day=True, start_date=day, end_date=day
    )
    event = timeline_services.event_create(actor=inspector, data=data)
    found = _found(_search(client_as(teacher), "kamishibai"))
    assert found["blogs"] == [post.get_absolute_url()] and found["frise"] == [event.get_absolute_url()]
    blog_services.post_unpublish(actor=counsellor, post=post)
    timeline_services.event_delete(actor=inspector, event=event)
    assert not _found(_search(client_as(teacher), "kamishibai"))
    assert not Entry.objects.filter(kind="frise", object_id=event.pk).exists()


def test_a_published_page_is_found_by_its_published_copy_never_by_edits_awaiting_validation(
    client_as, teacher, counsellor
):
    from ..factories import publish_notebook_page

    page = NotebookPageFactory(notebook=NotebookFactory(), title="Le printemps", author=counsellor)
    block = NotebookBlockFactory(page=page, body="<p>Nous avons observé les jonquilles.</p>")
    publish_notebook_page(page, by=counsellor)
    block.body = "<p>Brouillon : les tulipes arrivent.</p>"
    block.save()
    page.refresh_from_db()
    page_index(page)
    client = client_as(teacher)
    assert _found(_search(client, "jonquilles"))["cahiers"] == [page.get_absolute_url()]
    assert "cahiers" not in _found(_search(client, "tulipes"))


# --- A renamed container: its children's results show the new place ----------------------------


def _places(response, kind) -> list[str]:
    return [r.place for g in response.context["groups"] if g["provider"].kind == kind for r in g["results"]]


def test_renaming_a_ressources_folder_rewrites_the_place_of_its_documents(client_as, counsellor):
    from resources import services as resource_services
    from resources.models import Document, Folder, Theme
    from resources.search import document_index

    folder = Folder.objects.create(theme=Theme.ADMINISTRATIVE, name="Formulaires")
    document_index(Document.objects.create(folder=folder, title="Fiche PPMS", created_by=counsellor))
    resource_services.folder_update(folder=folder, actor=counsellor, name="Sécurité")
    places = _places(_search(client_as(counsellor), "ppms"), "ressources")
    assert places == ["Ressources, Sécurité"]


def test_renaming_a_blog_rewrites_the_place_of_its_posts(client_as, counsellor):
    from blogs import services as blog_services

    blog = BlogFactory(title="Blog des CP", contributors=[counsellor])
    blog_post_index(BlogPostFactory(blog=blog, author=counsellor, title="Dictaphone en classe"))
    blog_services.blog_update(actor=counsellor, blog=blog, title="Blog des CE1")
    assert _places(_search(client_as(counsellor), "dictaphone"), "blogs") == ["Blog des CE1"]


def test_renaming_a_notebook_rewrites_the_place_of_its_pages(client_as, counsellor):
    from notebooks import services as notebook_services

    notebook = NotebookFactory(title="Cahier de la mare")
    page_index(NotebookPageFactory(notebook=notebook, title="Les têtards", author=counsellor))
    notebook_services.notebook_update(actor=counsellor, notebook=notebook, title="Cahier du jardin")
    assert _places(_search(client_as(counsellor), "tetards"), "cahiers") == ["Cahier du jardin"]
