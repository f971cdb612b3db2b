import pytest
from django.urls import reverse

from accounts.models import Role
from ent import versions
from ent.header import unread_version
from notifications.kinds import Frequency, all_kinds
from notifications.models import EmailSettings, EmailState, KindPreference
from notifications.selectors import unread_count
from notifications.tokens import make_unsubscribe_token
from notifications.views import PAGE_SIZE
from tests.conftest import ROLES
from tests.factories import make_member

from .conftest import DAILY_KIND, IMMEDIATE_KIND, WEEKLY_KIND
from .factories import NotificationFactory

LIST = reverse("notifications:list")
PREFERENCES = reverse("notifications:preferences")
HTMX = {"HTTP_HX_REQUEST": "true"}


def _state(notification):
    notification.refresh_from_db()
    return notification.read_at, notification.email_state


# --- Role matrix ------------------------------------------------------------------------------


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_every_person_sees_only_their_own_notifications(person, client_as, school):
    someone_else = make_member(Role.TEACHER, school, first_name="Autre")
    NotificationFactory(recipient=someone_else, text="Pas pour vous")
    if person is not None:
        NotificationFactory(recipient=person, text="Pour vous")
    client = client_as(person)

    response = client.get(LIST)

    if person is None:
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
        return
    assert response.status_code == 200
    assert "Pour vous" in response.text
    assert "Pas pour vous" not in response.text


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_preferences_page_by_role(person, client_as):
    response = client_as(person).get(PREFERENCES)
    if person is None:
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    else:
        assert response.status_code == 200
        assert "Information aux directeurs (test)" in response.text


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_nobody_marks_someone_elses_notification(person, client_as, school):
    owner = make_member(Role.DIRECTOR, school, first_name="Propriétaire")
    notification = NotificationFactory(recipient=owner, email_frequency=Frequency.DAILY, email_state=EmailState.PENDING)
    client = client_as(person)

    responses = [
        client.post(reverse("notifications:mark-read", args=[notification.pk])),
        client.post(reverse("notifications:mark-read", args=[notification.pk]), **HTMX),
        client.get(reverse("notifications:open", args=[notification.pk])),
        client.post(reverse("notifications:mark-all-read")),
    ]

    if person is None:
        assert [r.status_code for r in responses] == [302, 302, 302, 302]
    else:
        assert [r.status_code for r in responses] == [404, 404, 404, 302]
    assert _state(notification) == (None, EmailState.PENDING)


def test_anonymous_cannot_save_preferences(db, client):
    response = client.post(PREFERENCES, {_field(DAILY_KIND): Frequency.NEVER})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert not KindPreference.objects.exists()
    assert not EmailSettings.objects.exists()


# --- The list ---------------------------------------------------------------------------------


def test_list_is_paginated_newest_first(teacher, client_as):
    for i in range(PAGE_SIZE + 5):
        NotificationFactory(recipient=teacher, text=f"Notification numéro {i:02d}")
    client = client_as(teacher)

    first = client.get(LIST)
    second = client.get(LIST, {"page": 2})

    assert first.context["page"].paginator.num_pages == 2
    assert [n.text for n in first.context["page"].object_list][:2] == [
        f"Notification numéro {PAGE_SIZE + 4:02d}",
        f"Notification numéro {PAGE_SIZE + 3:02d}",
    ]
    assert len(second.context["page"].object_list) == 5
    assert "Notification numéro 00" in second.text
    assert "Page suivante" in first.text


def test_list_query_count_does_not_grow(teacher, client_as, assert_flat_kept_queries):
    """Pinned twice, at N and 10×N notifications: drawn (after the person's unread version changed,
    as a notification made or read does: the list, and the header's counts kept under the same
    version, one query more than the 3 the page was pinned at before it was kept) and kept (the
    list comes back from the cache, ``views.list_html``: only the person's own row is read)."""

    def make_rows(count):
        for _ in range(count):
            NotificationFactory(recipient=teacher, actor=make_member(Role.CPC))  # each by someone else

    assert_flat_kept_queries(
        client_as(teacher),
        LIST,
        make_rows,
        forget=lambda: versions.bump(unread_version(teacher.pk)),
        part=_items,
        rows=3,
        drawn=4,
        kept=1,
        shown=lambda drawn: (
            drawn.context["page"].paginator.count,
            drawn.text.count('class="fr-mb-1v ent-notification__text"'),
            drawn.text.count(", par "),
        ),
        expect=[(3, 3, 3), (30, PAGE_SIZE, PAGE_SIZE)],
    )


def _items(text: str) -> str:
    """The kept part of the page (``views.list_html``)."""
    return text[text.index('<div id="notifications-liste"') : text.index("</main>")]


def test_list_shows_dates_in_french_and_the_unread_count(teacher, client_as):
    NotificationFactory(recipient=teacher, created_at="2026-03-12T14:05:00+01:00", text="Conseil de cycle")
    NotificationFactory(recipient=teacher, read_at="2026-03-12T15:00:00+01:00")

    response = client_as(teacher).get(LIST)

    assert "le jeudi 12 mars 2026 à 14 h 05" in response.text
    assert "2 notifications, dont 1 non lue" in response.text
    assert "Notifications (1 non lue)" in response.text  # the bell


def test_empty_list_explains(teacher, client_as):
    response = client_as(teacher).get(LIST)
    assert "Vous n’avez aucune notification pour le moment." in response.text


def test_htmx_list_returns_the_fragment(teacher, client_as):
    NotificationFactory(recipient=teacher, text="Fragment")
    response = client_as(teacher).get(LIST, **HTMX)
    assert response.text.lstrip().startswith('<div id="notifications-liste"')
    assert "<html" not in response.text


def test_mark_read(teacher, client_as):
    notification = NotificationFactory(
        recipient=teacher, email_frequency=Frequency.DAILY, email_state=EmailState.PENDING
    )

    response = client_as(teacher).post(reverse("notifications:mark-read", args=[notification.pk]), {"page": "2"})

    assert response.status_code == 302
    assert response.url == LIST + "?page=2"
    read_at, email_state = _state(notification)
    assert read_at is not None
    assert email_state == EmailState.NONE


def test_mark_read_with_htmx_returns_the_item_and_the_bell(teacher, client_as):
    first, _second = NotificationFactory.create_batch(2, recipient=teacher)

    response = client_as(teacher).post(reverse("notifications:mark-read", args=[first.pk]), **HTMX)

    assert response.status_code == 200
    assert f'<li id="notification-{first.pk}"' in response.text
    assert "Non lue" not in response.text
    assert 'hx-swap-oob="innerHTML:.ent-bell"' in response.text
    assert "Notifications (1 non lue)" in response.text
    assert '<p id="notifications-resume" class="fr-col fr-mb-0" hx-swap-oob="true">' in response.text
    assert "2 notifications, dont 1 non lue." in response.text


def test_mark_all_read(teacher, director, client_as):
    NotificationFactory.create_batch(3, recipient=teacher)
    theirs = NotificationFactory(recipient=director)
    client = client_as(teacher)

    response = client.post(reverse("notifications:mark-all-read"), **HTMX)

    assert response.status_code == 200
    assert "toutes lues" in response.text
    assert ">Notifications</span>" in response.text  # the bell, with nothing unread
    assert unread_count(user=teacher) == 0
    assert _state(theirs)[0] is None
    assert client.post(reverse("notifications:mark-all-read")).status_code == 302


def test_open_marks_read_and_follows_the_link(teacher, client_as):
    notification = NotificationFactory(recipient=teacher, url="/ecoles/")
    response = client_as(teacher).get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response.url == "/ecoles/"
    assert _state(notification)[0] is not None


def test_open_never_redirects_off_site(teacher, client_as):
    notification = NotificationFactory(recipient=teacher, url="https://exemple.invalid/piege")
    response = client_as(teacher).get(reverse("notifications:open", args=[notification.pk]))
    assert response.url == LIST


def test_mark_read_needs_post(teacher, client_as):
    notification = NotificationFactory(recipient=teacher)
    assert client_as(teacher).get(reverse("notifications:mark-read", args=[notification.pk])).status_code == 405
    assert _state(notification)[0] is None


# --- The bell ---------------------------------------------------------------------------------


def test_bell_count_is_one_cheap_query(teacher, django_assert_num_queries):
    NotificationFactory.create_batch(3, recipient=teacher)
    NotificationFactory(recipient=teacher, read_at="2026-03-12T15:00:00+01:00")
    with django_assert_num_queries(1) as captured:
        assert unread_count(user=teacher) == 3
    sql = captured.captured_queries[0]["sql"]
    assert "COUNT(" in sql and "LIMIT 100" in sql


def test_bell_caps_the_count(teacher, client_as):
    NotificationFactory.create_batch(101, recipient=teacher)
    assert unread_count(user=teacher) == 100
    assert "Notifications (plus de 99 non lues)" in client_as(teacher).get(PREFERENCES).text


def test_bell_is_in_the_header_of_every_page_for_one_query(teacher, client_as, django_assert_max_num_queries):
    NotificationFactory.create_batch(2, recipient=teacher)
    client = client_as(teacher)

    # A ceiling for the page (the profile's own cost belongs to accounts); the bell's cost is exact below.
    with django_assert_max_num_queries(20) as captured:
        response = client.get(reverse("accounts:profile"))

    assert 'class="fr-btn fr-icon-notification-3-line ent-bell"' in response.text
    assert "Notifications (2 non lues)" in response.text
    on_notifications = [q["sql"] for q in captured.captured_queries if "notifications_notification" in q["sql"]]
    assert len(on_notifications) == 1


def test_no_bell_for_anonymous(db, client):
    response = client.get(reverse("account_login"))
    assert "ent-bell" not in response.text


# --- Preferences ------------------------------------------------------------------------------


def _field(kind):
    return "kind_" + kind.replace(".", "__")


def test_preferences_page_groups_kinds_by_app_with_defaults(teacher, client_as):
    response = client_as(teacher).get(PREFERENCES)
    text = response.text
    assert text.index("Actualités (test)") < text.index("Blogs (test)") < text.index("Direction (test)")
    form = response.context["form"]
    assert form[_field(IMMEDIATE_KIND)].value() == Frequency.IMMEDIATE
    assert form[_field(WEEKLY_KIND)].value() == Frequency.WEEKLY
    assert form["quiet_hours"].value() is True


def test_preferences_save(teacher, client_as):
    # Every registered kind is on the form, including the installed apps' own: they keep their default.
    data = {_field(kind.key): kind.default_frequency for kind in all_kinds()}
    data.update({_field(k): Frequency.NEVER for k in (DAILY_KIND, "tests.comment", WEEKLY_KIND)})
    data[_field(IMMEDIATE_KIND)] = Frequency.DAILY

    response = client_as(teacher).post(PREFERENCES, data)

    assert response.status_code == 302
    assert dict(
        KindPreference.objects.filter(user=teacher, kind__startswith="tests.").values_list("kind", "frequency")
    ) == {
        DAILY_KIND: Frequency.NEVER,
        "tests.comment": Frequency.NEVER,
        WEEKLY_KIND: Frequency.NEVER,
        IMMEDIATE_KIND: Frequency.DAILY,
    }
    assert EmailSettings.objects.get(user=teacher).quiet_hours is False  # unticked box


def test_preferences_bad_input_keeps_what_was_typed(teacher, client_as):
    data = {_field(DAILY_KIND): "toutes-les-heures", _field(WEEKLY_KIND): Frequency.NEVER, "quiet_hours": "on"}

    response = client_as(teacher).post(PREFERENCES, data)

    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.text
    assert response.context["form"][_field(WEEKLY_KIND)].value() == Frequency.NEVER
    assert not KindPreference.objects.exists()


# --- Unsubscribe (no login) -------------------------------------------------------------------


def test_unsubscribe_get_only_asks(teacher, client):
    url = reverse("notifications:unsubscribe", args=[make_unsubscribe_token(teacher)])
    response = client.get(url)
    assert response.status_code == 200
    assert "Me désabonner" in response.text
    assert not EmailSettings.objects.exists()


def test_unsubscribe_post_without_login(teacher, client):
    url = reverse("notifications:unsubscribe", args=[make_unsubscribe_token(teacher)])
    response = client.post(url)
    assert response.status_code == 200
    assert "ne recevra plus d’e-mails" in response.text
    assert EmailSettings.objects.get(user=teacher).unsubscribed_at is not None


@pytest.mark.parametrize("token", ["1:faux", "n-importe-quoi", "0:"])
def test_unsubscribe_with_a_forged_token_changes_nothing(teacher, client, token):
    forged = make_unsubscribe_token(teacher).rsplit(":", 1)[0] + ":faux" if token == "1:faux" else token
    response = client.post(reverse("notifications:unsubscribe", args=[forged]))
    assert response.status_code == 400
    assert not EmailSettings.objects.exists()


# --- The "Accueil" panel ----------------------------------------------------------------------


def test_home_panel_shows_the_latest_unread_and_costs_the_same_with_more(teacher, client_as, django_assert_num_queries):
    client = client_as(teacher)
    assert "Nouveautés pour vous" not in client.get(reverse("accounts:home")).text  # nothing unread: no panel
    NotificationFactory.create_batch(2, recipient=teacher, actor=make_member(Role.CPC))
    NotificationFactory(recipient=teacher, text="Déjà lue", read_at="2026-03-12T15:00:00+01:00")
    with django_assert_num_queries(8):  # the team just made: everyone's memberships read again
        response = client.get(reverse("accounts:home"))
    assert response.status_code == 200
    assert "Nouveautés pour vous" in response.text
    assert "Déjà lue" not in response.text
    for _ in range(10):
        NotificationFactory.create_batch(3, recipient=teacher, actor=make_member(Role.CPC))
    # The new notifications renew the panel; the memberships of the teams the factory made, and the
    # other panels kept under them (accounts.roles.kept_for), are read again.
    with django_assert_num_queries(4):
        response = client.get(reverse("accounts:home"))
    assert response.status_code == 200
    panel = response.text.split('id="panneau-notifications"')[1].split("</section>")[0]
    assert panel.count('<li class="fr-mb-2w">') == 5
    assert "32 non lues" in response.text
