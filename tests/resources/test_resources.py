import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.audiences import AudienceKind
from accounts.models import Role
from resources import extraction, samples, selectors, services
from resources.models import Document, Folder, ReadMarker, Theme, Version
from tests.factories import SchoolFactory, make_member

pytestmark = pytest.mark.django_db

_capture = None


@pytest.fixture(autouse=True)
def _commits(django_capture_on_commit_callbacks):
    """Uploads' processing and the text extraction run at the commit: run them as a commit would."""
    global _capture
    _capture = django_capture_on_commit_callbacks
    yield
    _capture = None


@pytest.fixture
def ien():
    return make_member(Role.IEN)


@pytest.fixture
def school():
    return SchoolFactory()


@pytest.fixture
def director(school):
    return make_member(Role.DIRECTOR, school)


@pytest.fixture
def teacher(school):
    return make_member(Role.TEACHER, school)


def _folder(ien, audience=AudienceKind.DISTRICT, name="PPMS"):
    return services.folder_create(actor=ien, theme=Theme.ADMINISTRATIVE, name=name, audience=audience)


def _document(ien, folder, title="Plan particulier de mise en sûreté", body="Exercice confinement"):
    with _capture(execute=True):
        document = services.document_create(
            folder=folder, file=samples.pdf_file(title, body), actor=ien, title=title, school_year="2026-2027"
        )
    return document


def test_text_extraction_of_pdf_docx_odt():
    assert "Évaluations" in extraction.extract_text(samples.pdf_bytes("Évaluations", "repères CP"))
    assert extraction.extract_text(samples.docx_bytes("Formulaire d’absence")) == "Formulaire d’absence"
    assert extraction.extract_text(samples.odt_bytes("Projet d’école")) == "Projet d’école"
    assert extraction.extract_text(b"PK\x03\x04 not a zip") == ""
    assert extraction.extract_text(b"%PDF-1.7 broken") == ""
    entities = samples.docx_bytes("x").replace(b"<w:document", b'<!DOCTYPE d [<!ENTITY a "aaaa">]><w:document')
    assert extraction.extract_text(entities) == ""


def test_create_extracts_text_for_search(ien):
    document = _document(ien, _folder(ien), body="Exercice de confinement en école")
    document.refresh_from_db()
    assert document.current.status == "ready"
    assert "confinement" in document.text
    assert "plan particulier de mise en surete" in document.search_text  # accent- and case-free
    assert "confinement" in document.search_text


def test_replace_keeps_versions_and_marks_updated(ien, teacher, client):
    document = _document(ien, _folder(ien))
    assert selectors.mark_of(selectors.document_for(user=teacher, pk=document.pk)) == "Nouveau"
    client.force_login(teacher)
    assert client.get(document.get_absolute_url()).status_code == 200
    assert ReadMarker.objects.get(user=teacher, document=document).version == 1
    assert selectors.mark_of(selectors.document_for(user=teacher, pk=document.pk)) == ""
    # A second visit writes nothing.
    with CaptureQueriesContext(connection) as ctx:
        client.get(document.get_absolute_url())
    assert not [q for q in ctx.captured_queries if q["sql"].startswith(("UPDATE", "INSERT"))]

    with _capture(execute=True):
        services.document_replace_file(document=document, file=samples.pdf_file("v2", "Nouvelle version"), actor=ien)
    document.refresh_from_db()
    assert document.version == 2 and document.updated_at is not None
    assert Version.objects.filter(document=document).count() == 2
    from audit.models import Event

    assert list(
        Event.objects.filter(action__startswith="resources.document").values_list("action", flat=True).order_by("pk")
    ) == [
        "resources.document.created",
        "resources.document.replaced",
    ]
    assert "Nouvelle version" in document.text
    assert selectors.mark_of(selectors.document_for(user=teacher, pk=document.pk)) == "Mis à jour"
    page = client.get(document.get_absolute_url()).content.decode()
    assert "Mis à jour le" in page and "Versions précédentes" in page and "Copier le lien" in page


def test_download_counts_and_redirects(ien, teacher, client, client_as):
    document = _document(ien, _folder(ien))
    client.force_login(teacher)
    response = client.get(reverse("resources:download", args=[document.pk]))
    assert response.status_code == 302
    assert response["Location"] == document.current.url("file")
    assert client.get(response["Location"]).status_code == 200
    document.refresh_from_db()
    assert document.download_count == 1
    assert "téléchargement" not in client.get(document.get_absolute_url()).content.decode()
    client_as(ien)
    assert "1 téléchargement" in client.get(document.get_absolute_url()).content.decode()


@pytest.mark.parametrize("role", [Role.TEACHER, Role.RASED])
def test_folder_for_directors_is_404_to_others(ien, director, role, client):
    folder = _folder(ien, AudienceKind.DIRECTORS, "Direction d’école")
    document = _document(ien, folder)
    other = make_member(role)
    client.force_login(other)
    urls = [
        folder.get_absolute_url(),
        document.get_absolute_url(),
        reverse("resources:download", args=[document.pk]),
        document.current.url("file"),
        reverse("resources:document-replace", args=[document.pk]),
        reverse("resources:document-create", args=[folder.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("resources:document-replace", args=[document.pk])).status_code == 404
    document.refresh_from_db()
    assert document.download_count == 0 and document.version == 1
    assert not ReadMarker.objects.exists()
    assert "Direction d’école" not in client.get(reverse("resources:index")).content.decode()
    client.force_login(director)
    for url in urls[:4]:
        assert client.get(url).status_code in (200, 302), url
    assert client.get(urls[4]).status_code == 404  # a director does not keep the library


def test_teacher_cannot_add_document(teacher, ien, client):
    folder = _folder(ien)
    client.force_login(teacher)
    response = client.post(
        reverse("resources:document-create", args=[folder.pk]),
        {"title": "Intrus", "file": samples.pdf_file("x", "y")},
    )
    assert response.status_code == 404
    assert not Document.objects.exists()


def test_team_adds_a_document_through_the_site(ien, client, client_as):
    folder = _folder(ien)
    client_as(ien)
    with _capture(execute=True):
        response = client.post(
            reverse("resources:document-create", args=[folder.pk]),
            {"title": "Fiche APC", "school_year": "2026-2027", "file": samples.pdf_file("APC", "Activités")},
        )
    assert response.status_code == 302
    assert Document.objects.get().title == "Fiche APC"


def test_bad_school_year_is_refused(ien):
    folder = _folder(ien)
    with pytest.raises(Exception) as error:
        services.document_create(
            folder=folder, file=samples.pdf_file("a", "b"), actor=ien, title="T", school_year="2026"
        )
    assert "school_year" in str(error.value)
    assert not Document.objects.exists()


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_flat(ien, teacher, client):
    folders = [_folder(ien, name=f"Dossier {i}") for i in range(2)]
    for folder in folders:
        _document(ien, folder)
    client.force_login(teacher)
    urls = [reverse("resources:index"), folders[0].get_absolute_url(), reverse("accounts:home")]

    def counts():
        """Each page's queries with nothing cached, then with what it keeps (app links, Accueil's panels…)."""
        cache.clear()
        cold = [_count(client, url) for url in urls]
        return cold, [_count(client, url) for url in urls]

    before = counts()
    for i in range(2, 20):
        folder = Folder.objects.create(theme=Theme.PEDAGOGICAL, name=f"Dossier {i}")
        for _ in range(2):
            _document(ien, folders[0] if i % 2 else folder)
    assert counts() == before


def test_home_panel_lists_new_documents(ien, teacher, client):
    document = _document(ien, _folder(ien), title="Livret d’accueil")
    client.force_login(teacher)
    assert "Livret d’accueil" in client.get(reverse("accounts:home")).content.decode()
    client.get(document.get_absolute_url())
    assert "Nouveau dans les ressources" not in client.get(reverse("accounts:home")).content.decode()


def test_admin_writes_through_services(ien, client_as):
    from django.contrib.auth.models import Permission

    ien.is_staff = True
    ien.save()
    ien.user_permissions.set(Permission.objects.filter(content_type__app_label="resources"))
    client = client_as(ien)
    response = client.post(
        reverse("admin:resources_folder_add"),
        {"theme": "administratif", "name": "Formulaires", "description": "", "position": 0, "audience": "district"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    folder = Folder.objects.get(name="Formulaires")
    with _capture(execute=True):
        response = client.post(
            reverse("admin:resources_document_add"),
            {
                "folder": folder.pk,
                "title": "Sortie scolaire",
                "summary": "",
                "tags": "",
                "school_year": "2026-2027",
                "file": samples.pdf_file("Sortie", "Autorisation"),
                "versions-TOTAL_FORMS": 0,
                "versions-INITIAL_FORMS": 0,
            },
        )
    assert response.status_code == 302, response.content.decode()[:3000]
    document = Document.objects.get(title="Sortie scolaire")
    assert document.versions.count() == 1 and "Autorisation" in document.text
    response = client.post(reverse("admin:resources_folder_delete", args=[folder.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Document.objects.exists() and not Folder.objects.exists()


def test_rich_text_keeps_a_link_to_a_document(ien):
    from ent.richtext import RichText

    document = _document(ien, _folder(ien))
    link = f"https://ent.example.fr{document.get_absolute_url()}"
    assert f'href="{link}"' in RichText(f'<p><a href="{link}">{document.title}</a></p>').html


def test_the_site_search_finds_a_document_by_the_text_inside_its_file_for_its_readers_only(
    ien, director, teacher, client_as
):
    folder = _folder(ien, audience=AudienceKind.DIRECTORS, name="Direction d’école")
    document = _document(ien, folder, title="Note de service", body="Évaluations nationales : le calendrier")
    url = reverse("search:results")
    found = client_as(director).get(url, {"q": "evaluation nationale"})
    assert document.get_absolute_url() in found.text
    assert "Direction d’école" in found.text  # where it lives
    hidden = client_as(teacher).get(url, {"q": "evaluation nationale"})
    assert document.get_absolute_url() not in hidden.text and "Note de service" not in hidden.text
    # Deleting it takes it out of the index.
    link = document.get_absolute_url()
    services.document_delete(document=document, actor=ien)
    assert link not in client_as(director).get(url, {"q": "evaluation"}).text
