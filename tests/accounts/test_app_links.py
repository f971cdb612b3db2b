"""« Mes applis »: the outside services, to whom each is shown, https only, and nothing fetched from them."""

import re
from html.parser import HTMLParser

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from accounts.audiences import AudienceKind
from accounts.demo import app_links
from accounts.models import AppIcon, AppLink
from accounts.permissions import app_link_readers
from tests.factories import SchoolFactory

pytestmark = pytest.mark.django_db

APPS = reverse("accounts:app-links")
EVERYONE_ELSE = ["Messagerie académique", "apps.education.fr", "Magistère", "Éduscol"]
WITH_ONDE = ["ONDE", *EVERYONE_ELSE]


@pytest.fixture
def poitiers_apps(db):
    """The demo's five services of the Poitiers académie, ONDE for directors only."""
    return [
        AppLink.objects.create(name=name, description=description, url=url, icon=icon, audience=audience, order=order)
        for order, (name, description, url, icon, audience) in enumerate(app_links("poitiers"), start=1)
    ]


def _names(response):
    return [app.name for app in response.context["app_links"]]


@pytest.mark.parametrize(
    ("person", "shown"),
    [
        ("anonymous", None),
        ("teacher", EVERYONE_ELSE),
        ("director", WITH_ONDE),
        ("counsellor", WITH_ONDE),  # the district team sees every link
        ("inspector", WITH_ONDE),
        ("rased_member", EVERYONE_ELSE),
        ("admin_user", WITH_ONDE),
    ],
    indirect=["person"],
)
def test_the_page_shows_each_role_its_services_in_order(client_as, person, shown, poitiers_apps):
    response = client_as(person).get(APPS)

    if person is None:
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('account_login')}?next={APPS}"
        return
    assert response.status_code == 200
    assert _names(response) == shown
    page = response.content.decode()
    assert "<h1>Mes applis</h1>" in page
    for app in poitiers_apps:
        link = f'<a href="{app.url}" target="_blank" rel="noopener noreferrer" title="{app.name} — nouvelle fenêtre">'
        assert (link in page) == (app.name in shown), app.name


def test_the_page_is_in_the_main_navigation(client_as, teacher, poitiers_apps):
    page = client_as(teacher).get(APPS).content.decode()
    nav = page[
        page.index('id="navigation-principale"') : page.index("</nav>", page.index('id="navigation-principale"'))
    ]

    assert f'<a class="fr-nav__link" href="{APPS}" aria-current="page">Mes applis</a>' in nav


def test_the_audience_filter_keeps_a_school_link_to_that_school(client_as, teacher, school, poitiers_apps):
    elsewhere = SchoolFactory(name="École de Cuhon")
    ours = AppLink.objects.create(
        name="Réservation du gymnase",
        description="Le planning de la commune.",
        url="https://mirebeau.example.fr/gymnase",
        audience=AudienceKind.STRUCTURES,
        order=9,
    )
    ours.audience_structures.set([school])
    theirs = AppLink.objects.create(
        name="Cantine de Cuhon",
        description="Les menus.",
        url="https://cuhon.example.fr/cantine",
        audience=AudienceKind.STRUCTURES,
        order=9,
    )
    theirs.audience_structures.set([elsewhere])
    team_only = AppLink.objects.create(
        name="Tableau de bord", description="Pilotage.", url="https://pilotage.example.fr/", audience="equipe"
    )

    assert _names(client_as(teacher).get(APPS)) == [*EVERYONE_ELSE, "Réservation du gymnase"]
    # The page's filter and the one-object check read the same rule.
    rule = app_link_readers(teacher)
    listed = set(AppLink.objects.filter(rule.q()).values_list("pk", flat=True))
    assert listed == {app.pk for app in AppLink.objects.all() if rule.check(app)}
    assert team_only.pk not in listed and theirs.pk not in listed


def test_accueil_has_a_mes_applis_panel_or_none(client_as, teacher):
    client = client_as(teacher)
    assert 'id="accueil-applis"' not in client.get(reverse("accounts:home")).content.decode()

    AppLink.objects.create(name="Éduscol", description="Ressources.", url="https://eduscol.education.fr/")
    page = client.get(reverse("accounts:home")).content.decode()

    assert '<h2 id="accueil-applis" class="fr-h4">Mes applis</h2>' in page
    assert 'href="https://eduscol.education.fr/" target="_blank" rel="noopener noreferrer"' in page
    assert f'href="{APPS}">Toutes mes applis</a>' in page


class _Addresses(HTMLParser):
    """Every address a page gives the browser: (tag, attribute, value, rel)."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if value and (name in {"src", "href", "action", "poster", "data", "formaction"} or name.startswith("hx-")):
                self.found.append((tag, name, value, attributes.get("rel", "")))
            if value and name in {"srcset", "style"} or (value and name == "content" and "url" in value.lower()):
                self.found.append((tag, name, value, ""))


EXTERNAL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


@pytest.mark.parametrize("url", [reverse("accounts:home"), APPS])
def test_no_address_of_another_site_but_the_links_themselves(client_as, director, poitiers_apps, url):
    page = client_as(director).get(url).content.decode()
    parser = _Addresses()
    parser.feed(page)

    external = [found for found in parser.found if EXTERNAL.match(found[2]) or "url(" in found[2]]

    assert sorted(value for _, _, value, _ in external) == sorted(app.url for app in poitiers_apps)
    assert {(tag, attribute, rel) for tag, attribute, _, rel in external} == {("a", "href", "noopener noreferrer")}
    assert "prefetch" not in page and "preconnect" not in page


# --- https only -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["http://webmail.ac-poitiers.fr/", "javascript:alert(1)", "//webmail.ac-poitiers.fr/", "ftp://x.fr/"]
)
def test_only_https_addresses_are_accepted(url):
    app = AppLink(name="Messagerie", description="Le webmail.", url=url, icon=AppIcon.MAIL)

    with pytest.raises(ValidationError) as refused:
        app.full_clean()

    assert (
        "Saisissez une adresse complète qui commence par https:// (connexion chiffrée)."
        in (refused.value.message_dict["url"])
    )


def test_an_http_address_is_refused_by_the_database_too(db):
    app = AppLink.objects.create(name="Éduscol", description="Ressources.", url="https://eduscol.education.fr/")

    with pytest.raises(IntegrityError), transaction.atomic():
        AppLink.objects.filter(pk=app.pk).update(url="http://eduscol.education.fr/")

    app.refresh_from_db()
    assert app.url == "https://eduscol.education.fr/"


@pytest.fixture
def admin_client(client_as, admin_user):
    return client_as(admin_user)


def _admin_post(**overrides):
    return {
        "name": "Messagerie académique",
        "description": "Le webmail de l’académie.",
        "url": "https://webmail.ac-poitiers.fr/",
        "icon": AppIcon.MAIL,
        "order": "2",
        "audience": AudienceKind.DISTRICT,
        **overrides,
    }


def test_the_admin_adds_a_service(admin_client):
    response = admin_client.post(reverse("admin:accounts_applink_add"), _admin_post())

    assert response.status_code == 302
    app = AppLink.objects.get()
    assert (app.name, app.url, app.icon, app.order, app.audience, app.host) == (
        "Messagerie académique",
        "https://webmail.ac-poitiers.fr/",
        AppIcon.MAIL,
        2,
        AudienceKind.DISTRICT,
        "webmail.ac-poitiers.fr",
    )


def test_the_admin_refuses_an_http_address_in_french_and_adds_nothing(admin_client):
    response = admin_client.post(
        reverse("admin:accounts_applink_add"), _admin_post(url="http://webmail.ac-poitiers.fr/")
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["url"] == [
        "Saisissez une adresse complète qui commence par https:// (connexion chiffrée)."
    ]
    assert not AppLink.objects.exists()


def test_the_admin_asks_for_structures_when_the_audience_is_some_structures(admin_client):
    response = admin_client.post(reverse("admin:accounts_applink_add"), _admin_post(audience=AudienceKind.STRUCTURES))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["audience_structures"] == [
        "Choisissez au moins une structure pour ce public."
    ]
    assert not AppLink.objects.exists()


def test_the_admin_pages_open(admin_client, poitiers_apps):
    assert admin_client.get(reverse("admin:accounts_applink_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:accounts_applink_change", args=[poitiers_apps[0].pk])).status_code == 200


def test_the_links_cost_two_queries_once_then_none_whatever_their_number(
    client_as, director, school, django_assert_num_queries
):
    client = client_as(director)
    client.get(reverse("accounts:home"))  # fills the per-process caches (content types…)

    def make_rows(count):
        for n in range(count):
            link = AppLink.objects.create(name=f"Service {n:03}", description="…", url=f"https://s{n}.example.fr/")
            if n % 3 == 0:
                link.audience = AudienceKind.STRUCTURES
                link.save()
                link.audience_structures.set([school])

    for count, shown in ((3, 3), (27, 30)):
        make_rows(count)  # a change empties the cache
        # The person (their memberships and the header's two counts are in the shared cache); the
        # links and their structures when cold.
        with django_assert_num_queries(3):
            cold = client.get(APPS)
        with django_assert_num_queries(1):
            warm = client.get(APPS)
        assert len(cold.context["app_links"]) == len(warm.context["app_links"]) == shown


def test_a_change_in_the_admin_is_seen_at_once(admin_user, client_as, teacher, school, poitiers_apps):
    onde = poitiers_apps[0]
    assert "ONDE" not in _names(client_as(teacher).get(APPS))  # cached now
    administrator = Client()
    administrator.force_login(admin_user)
    session = administrator.session
    session["ent_mfa_ok"] = True
    session.save()

    post = _admin_post(name="ONDE", url=onde.url, audience=AudienceKind.STRUCTURES, audience_structures=[school.pk])
    response = administrator.post(reverse("admin:accounts_applink_change", args=[onde.pk]), post)

    assert response.status_code == 302
    assert _names(client_as(teacher).get(APPS)) == [*EVERYONE_ELSE[:1], "ONDE", *EVERYONE_ELSE[1:]]  # order 2
    AppLink.objects.filter(pk=onde.pk).delete()
    assert "ONDE" not in _names(client_as(teacher).get(APPS))


def test_the_demo_services_are_valid_https_links(poitiers_apps):
    for app in poitiers_apps:
        app.full_clean()
    assert [app.host for app in poitiers_apps] == [
        "si1d.ac-poitiers.fr",
        "webmail.ac-poitiers.fr",
        "portail.apps.education.fr",
        "magistere.education.fr",
        "eduscol.education.fr",
    ]
