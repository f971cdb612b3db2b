"""The « Accessibilité » page states what the tests last measured, and the committed results cover
every URL pattern of the site (so a new page fails here until the walk has been run with it)."""

import json

import pytest

from accounts import accessibility
from tests.accessibility import exceptions
from tests.accessibility.walk import url_patterns

pytestmark = pytest.mark.django_db


@pytest.fixture
def results(tmp_path, monkeypatch):
    monkeypatch.setattr(accessibility, "RESULTS_DIR", tmp_path)
    accessibility.measures.cache_clear()

    def write(name, data):
        (tmp_path / name).write_text(json.dumps(data))
        accessibility.measures.cache_clear()

    yield write
    accessibility.measures.cache_clear()


PAGES = {
    "date": "2026-12-01",
    "outil": "axe-core",
    "regles": ["wcag2a"],
    "largeurs_mobiles": [390, 320],
    "verifications": 412,
    "anomalies": 0,
    "exceptions_acceptees": 0,
    "details_anomalies": [],
    "pages": [{"motif": "news:index", "titre": "Actualités", "profils": ["directeur", "enseignant"], "etats": []}],
    "non_parcourus": {"uploads:serve": "un fichier"},
    "exceptions": [],
}


def test_every_check_passing_reads_partially_compliant_with_the_figures(client, results):
    results("pages.json", PAGES)
    results("keyboard.json", {"date": "2026-12-01", "parcours": [{"nom": "Lire une actualité", "reussi": True}]})

    page = client.get("/accessibilite/").content.decode()

    assert "est <strong>partiellement conforme</strong>" in page
    assert "vérifiée le mardi 1er décembre 2026" in page
    assert "412 vérifications" in page
    assert "anomalies relevées : 0" in page
    assert "Actualités — directeur, enseignant" in page
    assert "Lire une actualité : réussi" in page
    assert "Accessibilité : partiellement conforme" in page  # the footer


def test_an_anomaly_or_a_failed_journey_reads_not_compliant_and_is_listed(client, results):
    results("pages.json", {**PAGES, "anomalies": 1, "details_anomalies": ["[directeur] news:index: color-contrast"]})
    results("keyboard.json", {"date": "2026-12-01", "parcours": [{"nom": "Envoyer un message", "reussi": False}]})

    page = client.get("/accessibilite/").content.decode()

    assert "est <strong>non conforme</strong>" in page
    assert "[directeur] news:index: color-contrast" in page
    assert "Parcours au clavier en échec : Envoyer un message" in page


def test_without_results_nothing_is_claimed(client, results):
    page = client.get("/accessibilite/").content.decode()

    assert "est <strong>non conforme</strong>" in page
    assert "aucun résultat de vérification n’est disponible" in page


def test_the_footer_of_every_page_links_to_the_declaration(client, teacher):
    assert 'href="/accessibilite/"' in client.get("/accounts/login/").content.decode()
    client.force_login(teacher)
    assert 'href="/accessibilite/"' in client.get("/").content.decode()


def test_the_committed_results_cover_every_url_pattern():
    measured = accessibility.measures()
    assert measured.pages is not None, "run tests/accessibility/test_pages_browser.py"
    walked = {page["motif"] for page in measured.pages["pages"]}
    left_out = set(measured.pages["non_parcourus"])

    assert sorted(set(url_patterns()) - walked - left_out) == [], "new pages: run the accessibility walk"
    assert sorted(set(exceptions.NOT_WALKED) - set(url_patterns())) == [], "a listed pattern no longer exists"
