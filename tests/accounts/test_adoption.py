"""The adoption dashboard: exact figures on a built data set, refusals, cost, the daily visit record."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import adoption
from accounts.models import ActiveMonth, Membership, Role, Structure, User
from blogs.models import Post as BlogPost
from tests.factories import DistrictFactory, MembershipFactory, SchoolFactory, UserFactory, make_member

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 2)


def _member(school, role=Role.TEACHER, *, active=True, seen=None):
    user = UserFactory(is_active=active)
    MembershipFactory(user=user, structure=school, role=role)
    if seen:
        User.objects.filter(pk=user.pk).update(last_seen=seen)
        ActiveMonth.objects.get_or_create(user=user, month=seen.replace(day=1))
    return user


@pytest.fixture
def schools():
    a = SchoolFactory(name="École A")
    b = SchoolFactory(name="École B")
    c = SchoolFactory(name="École C")
    # A: 4 expected, 3 activated, seen yesterday, 20 days ago, 2 months ago.
    _member(a, Role.DIRECTOR, seen=TODAY - dt.timedelta(days=1))
    _member(a, seen=TODAY - dt.timedelta(days=20))
    _member(a, seen=dt.date(2026, 10, 5))
    _member(a, active=False)
    # B: 2 expected, 2 activated, one seen today.
    _member(b, seen=TODAY)
    _member(b)
    # C: 1 expected, never activated.
    _member(c, active=False)
    return a, b, c


@time_machine.travel("2026-12-02 10:00 +01:00", tick=False)
def test_exact_figures(schools):
    a, b, c = schools
    board = adoption.dashboard(TODAY)
    rows = {r.school.name: r for r in board.rows}
    assert (rows["École A"].expected, rows["École A"].activated) == (4, 3)
    assert (rows["École A"].active_7, rows["École A"].active_30) == (1, 2)
    assert (rows["École B"].expected, rows["École B"].activated, rows["École B"].active_7) == (2, 2, 1)
    assert (rows["École C"].expected, rows["École C"].activated, rows["École C"].active_30) == (1, 0, 0)
    assert board.schools == 3 and board.active_schools == 2  # A and B came in December
    assert board.totals == {"expected": 7, "activated": 5, "active_7": 2, "active_30": 3}
    assert [r.school.name for r in board.to_visit()] == ["École C", "École A", "École B"]
    months = {m: (people, schools) for m, people, schools in board.months}
    assert list(months) == [dt.date(2026, 9, 1), dt.date(2026, 10, 1), dt.date(2026, 11, 1), dt.date(2026, 12, 1)]
    assert months[dt.date(2026, 10, 1)] == (1, 1)
    assert months[dt.date(2026, 11, 1)] == (1, 1)  # A's teacher seen on 12 November
    assert months[dt.date(2026, 12, 1)] == (2, 2)


@time_machine.travel("2026-12-02 10:00 +01:00", tick=False)
@time_machine.travel("2026-12-02 10:00 +01:00", tick=False)
def test_exact_figures_per_role(schools, client_as):
    board = adoption.dashboard(TODAY)
    figures = {r.role: (r.expected, r.activated, r.active_7, r.active_30) for r in board.roles}
    # The director of A seen yesterday; the teachers: A's three (seen 20 days ago, in October, never
    # activated), B's two (seen today, never seen), C's one (never activated).
    assert figures == {Role.DIRECTOR: (1, 1, 1, 1), Role.TEACHER: (6, 4, 1, 2), Role.RASED: (0, 0, 0, 0)}
    client = client_as(make_member(Role.IEN))
    page = client.get(reverse("accounts:dashboard")).content.decode()
    assert '<th scope="row">Enseignant·e</th><td>4 / 6</td><td>1</td><td>2 / 6 (33 %)</td>' in page
    csv = client.get(reverse("accounts:dashboard-csv", args=["roles"])).content.decode("utf-8-sig")
    assert csv.splitlines()[1:3] == ["Directeur·rice d’école;1;1;1;1", "Enseignant·e;6;4;1;2"]


def test_blog_posts_counted_per_school(schools):
    a, b, c = schools
    author = Membership.objects.filter(structure=b).first().user
    from tests.blogs.factories import BlogFactory, PostFactory

    blog = BlogFactory()
    PostFactory(blog=blog, author=author, status="publie", published_at=dt.datetime(2026, 11, 3, tzinfo=dt.UTC))
    PostFactory(blog=blog, author=author, status="publie", published_at=dt.datetime(2026, 6, 3, tzinfo=dt.UTC))
    board = adoption.dashboard(TODAY)
    rows = {r.school.name: r for r in board.rows}
    assert rows["École B"].values["blogs.posts"] == 1  # last school year's post is not counted
    assert rows["École A"].values["blogs.posts"] == 0
    assert BlogPost.objects.count() == 2


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.TEACHER, Role.RASED])
def test_others_get_404(role, client):
    client.force_login(make_member(role))
    assert "Voir le tableau de bord" not in client.get(reverse("accounts:home")).content.decode()
    assert client.get(reverse("accounts:dashboard")).status_code == 404
    assert client.get(reverse("accounts:dashboard-csv", args=["ecoles"])).status_code == 404


@time_machine.travel("2026-12-02 10:00 +01:00", tick=False)
def test_page_and_csv(schools, client_as):
    client = client_as(make_member(Role.IEN))
    assert "Voir le tableau de bord" in client.get(reverse("accounts:home")).content.decode()
    page = client.get(reverse("accounts:dashboard") + "?tri=actifs30&ordre=desc").content.decode()
    assert "2 / 3 écoles actives ce mois-ci" in page
    assert "<svg" in page and "Données du graphique" in page and "Ce qui est mesuré" in page
    table = page[page.index('id="par-ecole"') :]
    assert table.index("École A") < table.index("École C") and table.index("École B") < table.index("École C")
    csv = client.get(reverse("accounts:dashboard-csv", args=["ecoles"])).content.decode()
    assert "École A;4;3;1;2" in csv or "École A,4,3,1,2" in csv
    assert client.get(reverse("accounts:dashboard-csv", args=["mois"])).status_code == 200
    assert client.get(reverse("accounts:dashboard-csv", args=["a-visiter"])).status_code == 200


def _schools(n, offset=0):
    district = DistrictFactory()
    Structure.objects.bulk_create(
        Structure(
            district=district,
            kind=Structure.Kind.SCHOOL,
            school_type=Structure.SchoolType.ELEMENTAIRE,
            name=f"École {i}",
            code=f"e{i}",
            uai=f"086{i:04d}Z",
        )
        for i in range(offset, offset + n)
    )
    for school in Structure.objects.filter(kind=Structure.Kind.SCHOOL).order_by("-pk")[:3]:
        _member(school, seen=TODAY)


def _count(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("accounts:dashboard")).status_code == 200
    return len(ctx.captured_queries)


@time_machine.travel("2026-12-02 10:00 +01:00", tick=False)
def test_query_count_flat_at_59_and_590(client_as):
    client = client_as(make_member(Role.IEN))
    _schools(59)
    _count(client)
    at_59 = _count(client)
    _schools(531, offset=59)
    assert Structure.objects.filter(kind=Structure.Kind.SCHOOL).count() == 590
    assert _count(client) == at_59


@time_machine.travel("2026-12-02 10:00 +01:00", tick=False)
def test_last_seen_written_once_a_day(settings, client):
    settings.ENT_RECORD_LAST_SEEN = True
    user = make_member(Role.TEACHER)
    User.objects.filter(pk=user.pk).update(last_seen=dt.date(2026, 11, 30))
    client.force_login(user)
    client.get(reverse("accounts:profile"))
    user.refresh_from_db()
    assert user.last_seen == TODAY
    assert list(ActiveMonth.objects.filter(user=user).values_list("month", flat=True)) == [dt.date(2026, 12, 1)]
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("accounts:profile"))
    assert not [q for q in ctx.captured_queries if q["sql"].startswith(("UPDATE", "INSERT"))]


@time_machine.travel("2026-12-02 10:00 +01:00", tick=False)
def test_demo_visits(client_as):
    from io import StringIO
    from types import SimpleNamespace

    from accounts import demo

    command = SimpleNamespace(stdout=StringIO())
    demo.seed(command)
    demo.finish(command)
    seen = User.objects.filter(last_seen__isnull=False).count()
    demo.finish(command)  # twice: nothing more
    assert User.objects.filter(last_seen__isnull=False).count() == seen > 0
    board = adoption.dashboard(TODAY)
    assert 0 < board.active_schools < board.schools
    assert User.objects.get(email="ien@demo.ent.fr").last_seen == TODAY
