"""« À faire » on Accueil: each person's items appear, link to where the work is done, and go
once it is done; authors never see their own posts as « Nouveau »; cut lists say « et N autres »;
and the page costs the same with 10× the rows."""

import datetime as dt
import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from accounts import services as accounts_services
from accounts.models import Role
from blogs import home as blogs_home
from blogs import permissions as blogs_permissions
from blogs.models import Blog, Comment, CommentReport
from ent import versions
from news import permissions as news_permissions
from news.models import NEWS_VERSION, Acknowledgement, PostStatus
from news.models import Post as NewsPost
from news.services import post_acknowledge
from tests.blogs.factories import BlogFactory, CommentFactory, SeriesFactory
from tests.blogs.factories import PostFactory as BlogPostFactory
from tests.factories import SchoolFactory, make_member
from tests.news.factories import PostFactory
from tests.notifications.factories import NotificationFactory
from tests.timeline.factories import EventFactory
from tests.todo_html import todo_items_in
from timeline import services as timeline_services
from timeline.categories import Category
from timeline.models import SchoolHoliday
from timeline.selectors import EVENTS_VERSION
from timeline.services import EventData

# Wednesday 2 December 2026. The series starts on Monday 31 August: week 14 is 30 Nov – 4 Dec.
NOW = dt.datetime(2026, 12, 2, 10, tzinfo=dt.UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


HOME = reverse("accounts:home")


def todo(client) -> list[tuple[str, str, str, str]]:
    """(group, text, url, detail) of each item of « À faire »."""
    response = client.get(HOME)
    assert response.status_code == 200
    return [(item.group, item.text, item.url, item.detail) for item in todo_items_in(response.text)]


def texts(client) -> list[str]:
    return [text for _, text, _, _ in todo(client)]


def todo_section(client) -> str:
    return todo_section_of(client.get(HOME).text)


def todo_section_of(page: str) -> str:
    if 'id="accueil-a-faire"' not in page:
        return ""
    return page.split('id="accueil-a-faire"', 1)[1].split("</section>", 1)[0]


def make_schools(count):
    """``count`` more schools, each with its director."""
    schools = SchoolFactory.create_batch(count)
    for school in schools:
        make_member(Role.DIRECTOR, school)
    return schools


def proposal(author, title="Notre correspondance"):
    return PostFactory(author=author, title=title, status=PostStatus.SUBMITTED, published_at=None)


# --- The district team: proposals -------------------------------------------------------------


@pytest.mark.parametrize("decision", ["publish", "return"])
def test_a_proposal_is_to_validate_until_published_or_sent_back(counsellor, teacher, client_as, decision):
    post = proposal(teacher)
    client = client_as(counsellor)
    assert todo(client) == [("", "1 proposition à valider", post.get_absolute_url(), "« Notre correspondance »")]
    section = todo_section(client)
    assert f'href="{post.get_absolute_url()}">1 proposition à valider</a>' in section

    if decision == "publish":
        client.post(reverse("news:post-publish", args=[post.pk]))
    else:
        client.post(reverse("news:post-return", args=[post.pk]), {"comment": "Ajoutez une photo."})
    post.refresh_from_db()
    assert post.status == (PostStatus.PUBLISHED if decision == "publish" else PostStatus.RETURNED)
    assert todo(client) == []
    assert todo_section(client) == ""


def test_several_proposals_lead_to_the_writing_page(counsellor, teacher, director, client_as):
    proposal(director, title="La plus ancienne")
    proposal(teacher, title="La plus récente")
    PostFactory(author=teacher, status=PostStatus.DRAFT, published_at=None)  # a draft is not proposed
    assert todo(client_as(counsellor)) == [
        ("", "2 propositions à valider", reverse("news:write"), "La plus ancienne : « La plus ancienne »")
    ]


# --- The district team: acknowledgements followed ---------------------------------------------


def test_missing_acknowledgements_are_followed_until_every_school_answered(
    counsellor, inspector, director, school, client_as
):
    others = make_schools(3)  # four schools, each with a director
    post = PostFactory(
        directors=True, requires_ack=True, author=counsellor, title="PPMS", ack_due_date=date(2026, 12, 14)
    )
    dashboard = reverse("news:acknowledgements", args=[post.pk])
    group = "Accusés de lecture manquants"
    expected = [(group, "PPMS : 0 / 4 écoles", dashboard, "avant le lundi 14 décembre 2026")]
    assert todo(client_as(counsellor)) == expected
    assert todo(client_as(inspector)) == expected  # the IEN follows every post
    assert todo(client_as(make_member(Role.CPC))) == []  # another counsellor's post is not theirs

    client_as(director).post(reverse("news:acknowledge", args=[post.pk]))
    assert texts(client_as(counsellor)) == ["PPMS : 1 / 4 écoles"]
    for other in others:
        post_acknowledge(actor=other.memberships.get().user, post=post)
    assert Acknowledgement.objects.filter(post=post).count() == 4
    assert todo(client_as(counsellor)) == []
    assert todo(client_as(inspector)) == []


def test_a_narrow_audience_counts_only_its_schools(counsellor, director, school, client_as):
    others = make_schools(3)
    post = PostFactory(
        directors=True, requires_ack=True, author=counsellor, title="Réunion", schools=[school, others[0]]
    )
    Acknowledgement.objects.create(post=post, school=others[1])  # outside the audience: not counted
    assert texts(client_as(counsellor)) == ["Réunion : 0 / 2 écoles"]
    client_as(director).post(reverse("news:acknowledge", args=[post.pk]))
    assert texts(client_as(counsellor)) == ["Réunion : 1 / 2 écoles"]


def test_followed_posts_beyond_three_say_how_many_others(counsellor, school, client_as):
    for n in range(5):
        PostFactory(directors=True, requires_ack=True, author=counsellor, title=f"Note {n}")
    items = todo(client_as(counsellor))
    assert [text for _, text, _, _ in items] == [
        "Note 4 : 0 / 1 écoles",
        "Note 3 : 0 / 1 écoles",
        "Note 2 : 0 / 1 écoles",
        "et 2 autres",
    ]
    assert items[-1][2] == reverse("news:feed", args=["directeurs"])


# --- The district team: the weekly series ------------------------------------------------------


def test_the_next_four_empty_weeks_of_the_series_until_written(counsellor, client_as):
    series = SeriesFactory(contributors=[counsellor])
    BlogPostFactory(blog=series, author=counsellor, week_start=date(2026, 12, 7))  # week 15 is written
    client = client_as(counsellor)
    create = reverse("blogs:post-create", args=[series.slug])
    title = series.title
    assert todo(client) == [
        (title, "Semaine 14 : aucun tutoriel", f"{create}?semaine=2026-11-30", "du 30 novembre au 4 décembre"),
        (title, "Semaine 16 : aucun tutoriel", f"{create}?semaine=2026-12-14", "du 14 au 18 décembre"),
        (title, "Semaine 17 : aucun tutoriel", f"{create}?semaine=2026-12-21", "du 21 au 25 décembre"),
    ]
    assert f"{title}</p>" in todo_section(client)  # the series' name heads its weeks

    # Writing the tutorial of week 14 (a draft is enough: the week is taken in the planning).
    response = client.post(
        f"{create}?semaine=2026-11-30",
        {"title": "Digipad", "body": "<p>Un mur collaboratif.</p>", "week": "2026-11-30", "action": "brouillon"},
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert series.posts.filter(week_start=date(2026, 11, 30)).exists()
    assert texts(client) == ["Semaine 16 : aucun tutoriel", "Semaine 17 : aucun tutoriel"]


def test_holiday_weeks_are_not_weeks_to_write(counsellor, client_as):
    SeriesFactory(contributors=[counsellor])
    SchoolHoliday.objects.create(
        school_year="2026-2027", name="Vacances de Noël", zone="A", start=date(2026, 12, 19), end=date(2027, 1, 3)
    )
    assert texts(client_as(counsellor)) == [
        "Semaine 14 : aucun tutoriel",
        "Semaine 15 : aucun tutoriel",
        "Semaine 16 : aucun tutoriel",
        "Semaine 17 : aucun tutoriel",  # after the two weeks of holidays, 4–8 January
    ]
    assert todo(client_as(counsellor))[-1][3] == "du 4 au 8 janvier"


# --- Contributors: comments to moderate and reports --------------------------------------------


def test_a_comment_waits_in_the_todo_until_approved(counsellor, teacher, client_as):
    blog = SeriesFactory(comment_policy=Blog.CommentPolicy.MODERATED, contributors=[counsellor])
    for week in range(4):  # the four coming weeks are written: only the comment remains
        BlogPostFactory(blog=blog, author=counsellor, week_start=date(2026, 11, 30) + dt.timedelta(weeks=week))
    post = BlogPostFactory(blog=blog, author=counsellor)
    client_as(teacher).post(reverse("blogs:comment-create", args=[blog.slug, post.pk]), {"body": "Merci !"})
    comment = Comment.objects.get(body="Merci !")
    assert comment.status == Comment.Status.PENDING
    moderation = reverse("blogs:moderation", args=[blog.slug])
    assert todo(client_as(teacher)) == []  # the commenter does not moderate
    client = client_as(counsellor)
    assert todo(client) == [("", "1 commentaire à valider", moderation, blog.title)]

    client.post(reverse("blogs:comment-moderate", args=[comment.pk]), {"decision": "approuver"})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED
    assert todo(client) == []


def test_a_reported_comment_waits_until_decided(counsellor, teacher, director, client_as):
    blog = BlogFactory(title="Le blog des enseignants", contributors=[counsellor])
    post = BlogPostFactory(blog=blog, author=counsellor)
    comment = CommentFactory(post=post, author=teacher, body="Hors sujet")
    client_as(director).post(reverse("blogs:comment-report", args=[comment.pk]), {"reason": "Hors sujet"})
    assert CommentReport.objects.filter(comment=comment, resolved_at__isnull=True).count() == 1
    client = client_as(counsellor)
    assert todo(client) == [("", "1 commentaire signalé", reverse("blogs:moderation", args=[blog.slug]), blog.title)]

    client.post(reverse("blogs:comment-moderate", args=[comment.pk]), {"decision": "conserver"})
    assert CommentReport.objects.get(comment=comment).resolved_at is not None
    assert todo(client) == []


# --- Directors and teachers ----------------------------------------------------------------------


def test_a_director_owes_an_acknowledgement_until_given(director, counsellor, client_as):
    post = PostFactory(
        directors=True, requires_ack=True, author=counsellor, title="PPMS", ack_due_date=date(2026, 12, 14)
    )
    client = client_as(director)
    assert todo(client) == [
        ("Accusés de lecture attendus", "PPMS", post.get_absolute_url(), "avant le lundi 14 décembre 2026")
    ]
    assert "Accusés de lecture attendus" in todo_section(client)
    client.post(reverse("news:acknowledge", args=[post.pk]))
    assert todo(client) == []


def test_deadlines_of_the_next_15_days_until_past(director, teacher, counsellor, client_as):
    soon = EventFactory(title="Remontée des effectifs", category=Category.DEADLINE, start_date=date(2026, 12, 10))
    EventFactory(title="Trop loin", category=Category.DEADLINE, start_date=date(2026, 12, 18))
    EventFactory(title="Une réunion", start_date=date(2026, 12, 3))
    group = "Échéances des 15 prochains jours"
    expected = [(group, "Remontée des effectifs", soon.get_absolute_url(), "le jeudi 10 décembre 2026")]
    assert todo(client_as(director)) == expected
    assert todo(client_as(teacher)) == expected  # addressed to the whole district
    assert todo(client_as(counsellor)) == []  # the district team sets deadlines
    with time_machine.travel(dt.datetime(2026, 12, 11, 10, tzinfo=dt.UTC), tick=False):
        assert texts(client_as(director)) == ["Trop loin"]


# --- Who sees what ---------------------------------------------------------------------------------


WEEKS = {f"Semaine {n} : aucun tutoriel" for n in (14, 15, 16, 17)}
TEAM = {"1 proposition à valider", "PPMS : 0 / 1 écoles"} | WEEKS


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        # The district team reviews and plans the series (it writes in every blog); a counsellor
        # follows their own post, the IEN and administrators every post.
        ("counsellor", TEAM),
        ("inspector", TEAM),
        ("admin_user", TEAM),
        ("director", {"PPMS", "Remontée"}),
        ("teacher", {"Remontée"}),
        ("rased_member", {"Remontée"}),
    ],
)
def test_each_role_sees_its_own_items(role, expected, counsellor, teacher, director, school, client_as, request):
    proposal(teacher)
    PostFactory(directors=True, requires_ack=True, author=counsellor, title="PPMS")
    SeriesFactory(contributors=[counsellor])
    EventFactory(title="Remontée", category=Category.DEADLINE, start_date=date(2026, 12, 10))
    assert set(texts(client_as(request.getfixturevalue(role)))) == expected


# --- « Nouveau »: never one's own posts; « et N autres » when a list is cut -------------------


def _new_titles(client, url) -> list[str]:
    """The titles marked « Nouveau » on a page of news cards or on Accueil's news panel."""
    page = client.get(url).text
    if url == HOME:
        panel = page.split('id="accueil-actualites"', 1)[1].split("</section>", 1)[0]
        return re.findall(r'Nouveau</p>\s*<a class="fr-link" href="[^"]+">([^<]+)</a>', panel)
    cards = page.split("news-post-card")[1:]
    return [
        re.search(r'<a href="[^"]+"[^>]*>([^<]+)</a>', card).group(1).strip()
        for card in cards
        if ">Nouveau</p>" in card
    ]


@pytest.mark.parametrize(
    "url", [HOME, reverse("news:index"), reverse("news:feed", args=["pedagogie"]), reverse("news:week")]
)
def test_authors_never_see_their_own_posts_as_new(counsellor, teacher, client_as, url):
    PostFactory(author=counsellor, title="Écrite par le conseiller")
    PostFactory(author=teacher, title="Proposée par l’enseignant")  # a proposal since published
    assert _new_titles(client_as(counsellor), url) == ["Proposée par l’enseignant"]
    assert _new_titles(client_as(teacher), url) == ["Écrite par le conseiller"]
    assert sorted(_new_titles(client_as(make_member(Role.TEACHER)), url)) == [
        "Proposée par l’enseignant",
        "Écrite par le conseiller",
    ]


def test_the_news_panel_says_how_many_more_are_new(teacher, counsellor, client_as):
    PostFactory.create_batch(5, author=counsellor)
    panel = lambda: client_as(teacher).get(HOME).text.split('id="accueil-actualites"', 1)[1].split("</section>")[0]  # noqa: E731
    assert "autre" not in panel()  # five new posts, five shown: the list is not cut
    PostFactory.create_batch(3, author=counsellor)
    assert f'<a class="fr-link" href="{reverse("news:index")}">et 3 autres</a>' in panel()
    PostFactory(author=counsellor)
    assert ">et 4 autres</a>" in panel()


def test_the_news_index_says_how_many_more_each_feed_holds(teacher, counsellor, client_as):
    PostFactory.create_batch(4, author=counsellor)
    PostFactory.create_batch(3, author=counsellor, projects=True)
    page = client_as(teacher).get(reverse("news:index")).text
    assert f'<a class="fr-link" href="{reverse("news:feed", args=["pedagogie"])}">et 1 autre</a>' in page
    assert reverse("news:feed", args=["projets"]) + '">et' not in page  # three posts, three shown


def test_the_notifications_panel_says_how_many_more_are_unread(teacher, client_as):
    NotificationFactory.create_batch(7, recipient=teacher, actor=make_member(Role.CPC))
    page = client_as(teacher).get(HOME).text
    panel = page.split('id="panneau-notifications"', 1)[1].split("</section>")[0]
    assert f'<a class="fr-link" href="{reverse("notifications:list")}">et 2 autres</a>' in panel


# --- What « À faire » costs ----------------------------------------------------------------------


def _forget_todo():
    """What « À faire » is kept under bumped, as the writes it lists do: it is drawn again (and the
    panels kept under the same versions with it)."""
    versions.bump(NEWS_VERSION, EVENTS_VERSION, *blogs_home.TODO_VERSIONS)


def test_the_district_teams_todo_costs_the_same_with_ten_times_the_rows(
    counsellor, teacher, school, client_as, assert_flat_kept_queries
):
    series = SeriesFactory(contributors=[counsellor])
    moderated = BlogFactory(title="Blog modéré", comment_policy=Blog.CommentPolicy.MODERATED)
    blog_post = BlogPostFactory(blog=moderated, author=counsellor)

    def make_rows(count):
        for _ in range(count):
            proposal(teacher)
            PostFactory(directors=True, requires_ack=True, author=counsellor)
            CommentFactory(post=blog_post, author=teacher, status=Comment.Status.PENDING)
            reported = CommentFactory(post=blog_post, author=teacher)
            CommentReport.objects.create(comment=reported, reporter=counsellor)
            BlogPostFactory(blog=series, author=counsellor, week_start=None)

    def shown(response):
        items = todo_items_in(response.text)
        followed = [i for i in items if i.group == "Accusés de lecture manquants"]
        return [item.text for item in items if item not in followed], len(followed)

    weeks = [f"Semaine {n} : aucun tutoriel" for n in (14, 15, 16, 17)]
    assert_flat_kept_queries(
        client_as(counsellor),
        HOME,
        make_rows,
        forget=_forget_todo,
        part=todo_section_of,
        rows=3,
        # Drawn: the person, the proposals, the acknowledgements missing, the blogs' items, and the
        # panels kept under the same versions drawn again with it (news, frise (one query for its
        # next events and deadlines), the latest tutorial). Kept: the person only.
        drawn=9,
        kept=1,
        shown=shown,
        expect=[
            (["3 propositions à valider", *weeks, "3 commentaires à valider", "3 commentaires signalés"], 3),
            (["30 propositions à valider", *weeks, "30 commentaires à valider", "30 commentaires signalés"], 4),
        ],
    )


def test_a_directors_todo_costs_the_same_with_ten_times_the_rows(
    director, counsellor, client_as, assert_flat_kept_queries
):
    def make_rows(count):
        PostFactory.create_batch(count, directors=True, requires_ack=True, author=counsellor)
        EventFactory.create_batch(count, category=Category.DEADLINE, start_date=date(2026, 12, 10))

    def shown(response):
        items = todo_items_in(response.text)
        return [(group, len([i for i in items if i.group == group])) for group in dict.fromkeys(i.group for i in items)]

    owed, deadlines = "Accusés de lecture attendus", "Échéances des 15 prochains jours"
    assert_flat_kept_queries(
        client_as(director),
        HOME,
        make_rows,
        forget=_forget_todo,
        part=todo_section_of,
        rows=3,
        # Drawn: the person, the acknowledgements owed, the deadlines (the frise's summary, one query
        # with its next events), and the panels kept under the same versions drawn again with it.
        # Kept: the person only.
        drawn=6,
        kept=1,
        shown=shown,
        expect=[[(owed, 3), (deadlines, 3)], [(owed, 6), (deadlines, 6)]],  # five, and « et N autres »
    )


# --- Who gets the items: one rule per question, read as a list filter and as a check -------------


@pytest.mark.parametrize("role", ["counsellor", "inspector", "admin_user", "director", "teacher", "rased_member"])
def test_the_followed_acknowledgements_filter_agrees_with_the_dashboard_check(role, counsellor, request):
    user = request.getfixturevalue(role)
    posts = [
        PostFactory(directors=True, requires_ack=True, author=counsellor),
        PostFactory(directors=True, requires_ack=True, author=user),
        PostFactory(directors=True, author=counsellor),
        PostFactory(directors=True, author=user),
    ]
    listed = set(NewsPost.objects.filter(news_permissions.acknowledgements_followed_by(user)))
    assert listed == {post for post in posts if news_permissions.can_view_acknowledgements(user, post)}
    assert (posts[1] in listed, posts[3] in listed) == (True, False)  # their own, when it asks for it
    assert (posts[0] in listed) == (role in ("counsellor", "inspector", "admin_user"))


@pytest.mark.parametrize("role", ["counsellor", "inspector", "admin_user", "director", "teacher", "rased_member"])
def test_the_planning_and_moderation_filters_agree_with_their_checks(role, counsellor, teacher, school, request):
    user = request.getfixturevalue(role)
    blogs = [
        SeriesFactory(contributors=[teacher]),
        BlogFactory(contributors=[teacher]),
        BlogFactory(contributors=[counsellor]),
    ]
    school_blog = BlogFactory()
    school_blog.contributor_structures.set([school])
    blogs.append(school_blog)
    planned = set(Blog.objects.filter(blogs_permissions.series_planned_by(user)))
    moderated = set(Blog.objects.filter(blogs_permissions.blogs_moderated_by(user)))
    assert planned == {b for b in blogs if blogs_permissions.can_view_planning(user, b)}
    assert moderated == {b for b in blogs if blogs_permissions.can_moderate(user, b)}
    expected_moderated = {
        "teacher": {blogs[0], blogs[1], school_blog},
        "director": {school_blog},
        "rased_member": set(),
    }.get(role, set(blogs))
    assert moderated == expected_moderated
    assert planned == ({blogs[0]} if role in ("teacher", "counsellor", "inspector", "admin_user") else set())


# --- « À faire » kept as HTML (accounts.home.parts_for) -------------------------------------------


def test_a_deadline_renamed_then_deleted_shows_in_the_todo_at_once(director, counsellor, client_as):
    event = EventFactory(title="Remontée des effectifs", category=Category.DEADLINE, start_date=date(2026, 12, 10))
    client = client_as(director)
    assert "Remontée des effectifs" in texts(client)
    assert "Remontée des effectifs" in texts(client)  # kept

    data = EventData(
        title="Remontée des effectifs (corrigée)",
        category=Category.DEADLINE,
        all_day=True,
        start_date=date(2026, 12, 11),
        end_date=date(2026, 12, 11),
    )
    timeline_services.event_update(actor=counsellor, event=event, data=data)
    assert todo(client)[-1][1:] == (
        "Remontée des effectifs (corrigée)",
        event.get_absolute_url(),
        "le vendredi 11 décembre 2026",
    )

    timeline_services.event_delete(actor=counsellor, event=event)
    assert todo(client) == []


def test_a_director_whose_membership_ends_no_longer_owes_an_acknowledgement(director, school, counsellor, client_as):
    PostFactory(title="Enquête rentrée", directors=True, requires_ack=True, author=counsellor)
    client = client_as(director)
    assert "Enquête rentrée" in texts(client)

    membership = director.memberships.get(structure=school)
    membership.end_date = date(2026, 12, 1)
    accounts_services.memberships_save(actor=counsellor, memberships=[membership])
    assert "Enquête rentrée" not in texts(client)


def test_a_teacher_made_director_owes_the_acknowledgement_at_once(teacher, school, counsellor, client_as):
    PostFactory(title="Enquête rentrée", directors=True, requires_ack=True, author=counsellor)
    client = client_as(teacher)
    assert texts(client) == []

    membership = teacher.memberships.get(structure=school)
    membership.role = Role.DIRECTOR
    accounts_services.memberships_save(actor=counsellor, memberships=[membership])
    assert "Enquête rentrée" in texts(client)


def test_a_holiday_saved_takes_its_weeks_out_of_the_todo_at_once(counsellor, client_as):
    SeriesFactory(contributors=[counsellor])
    client = client_as(counsellor)
    assert todo(client)[-1][3] == "du 21 au 25 décembre"

    timeline_services.school_holiday_save(
        holiday=SchoolHoliday(
            school_year="2026-2027", name="Vacances de Noël", zone="A", start=date(2026, 12, 19), end=date(2027, 1, 3)
        )
    )
    assert todo(client)[-1][3] == "du 4 au 8 janvier"  # the fourth week to write is after the holidays
