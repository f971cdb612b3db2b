"""The registry's pages: who sees them (404 elsewhere, nothing changed), forms keep what was typed, flat costs."""

import pytest
from django.urls import reverse
from django.utils import timezone

from privacy import services
from privacy.models import GuardianDecision, Pupil
from tests.conftest import ROLES
from tests.factories import SchoolFactory, make_member

pytestmark = pytest.mark.django_db

SEES = {"teacher", "director", "counsellor", "inspector", "admin_user"}


@pytest.mark.parametrize("person", ROLES, indirect=True)
def test_the_registry_matrix(person, request, client_as, registry, school):
    role = request.node.callspec.params["person"]
    consent_request = registry["request"]
    client = client_as(person)
    urls = [
        reverse("privacy:registry", args=[school.code]),
        consent_request.get_absolute_url(),
        reverse("privacy:request-create", args=[school.code]),
    ]
    for url in urls:
        response = client.get(url)
        if role == "anonymous":
            assert response.status_code == 302
        else:
            assert response.status_code == (200 if role in SEES else 404), url
    # Writing: add a pupil, record an answer.
    client.post(urls[0], {"first_name": "Zoé", "last_initial": "K", "class_name": "CP", "guardians": "2"})
    prefix = f"p{registry['noe'].pk}"
    client.post(
        urls[1],
        {
            "pupil": registry["noe"].pk,
            f"{prefix}-decision_1": "accordee",
            f"{prefix}-signed_on_1": timezone.localdate(),
        },
    )
    if role in SEES:
        assert Pupil.objects.filter(first_name="Zoé").count() == 1
        assert GuardianDecision.objects.filter(pupil=registry["noe"], guardian=1).count() == 1
    else:
        assert not Pupil.objects.filter(first_name="Zoé").exists()
        assert not GuardianDecision.objects.exists()


def test_another_schools_teacher_gets_404_and_changes_nothing(client_as, registry, school, director):
    outsider = make_member("enseignant", SchoolFactory())
    client = client_as(outsider)
    services.decision_record(
        actor=director,
        request=registry["request"],
        pupil=registry["noe"],
        guardian=1,
        decision="accordee",
        signed_on=timezone.localdate(),
    )
    decision = GuardianDecision.objects.get()
    url = reverse("privacy:decision-withdraw", args=[school.code, registry["request"].pk, decision.pk])
    assert client.post(url).status_code == 404
    assert client.get(reverse("privacy:request-pdf", args=[school.code, registry["request"].pk])).status_code == 404
    decision.refresh_from_db()
    assert decision.withdrawn_at is None


def test_a_row_with_an_answer_but_no_date_keeps_what_was_typed(client_as, registry, teacher):
    client = client_as(teacher)
    prefix = f"p{registry['noe'].pk}"
    response = client.post(
        registry["request"].get_absolute_url(), {"pupil": registry["noe"].pk, f"{prefix}-decision_1": "refusee"}
    )
    assert response.status_code == 200
    assert "Indiquez la date du formulaire signé." in response.content.decode()
    assert 'value="refusee" selected' in response.content.decode()
    assert not GuardianDecision.objects.exists()


def test_the_dashboard_counts_returned_and_missing_forms_per_class(client_as, registry, director):
    services.decision_record(
        actor=director,
        request=registry["request"],
        pupil=registry["elodie"],
        guardian=1,
        decision="accordee",
        signed_on=timezone.localdate(),
    )
    services.decision_record(
        actor=director,
        request=registry["request"],
        pupil=registry["elodie"],
        guardian=2,
        decision="refusee",
        signed_on=timezone.localdate(),
    )
    from privacy.selectors import returned_by_class

    assert returned_by_class(request=registry["request"]) == [
        {"class_name": "CE2", "pupils": 1, "returned": 0, "missing": 1},
        {"class_name": "CM1", "pupils": 1, "returned": 1, "missing": 0},
    ]


def test_the_pdf_form_is_a_french_pdf(client_as, registry, teacher, school):
    response = client_as(teacher).get(reverse("privacy:request-pdf", args=[school.code, registry["request"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def _pupils(school, director):
    counter = iter(range(10_000))

    def make(count):
        for _ in range(count):
            n = next(counter)
            services.pupil_create(
                actor=director, school=school, first_name=f"Élève{n}", last_initial="A", class_name=f"C{n % 3}"
            )

    return make


def test_the_registry_page_cost_is_flat(client_as, school, director, assert_flat_queries):
    assert_flat_queries(
        client_as(director),
        reverse("privacy:registry", args=[school.code]),
        _pupils(school, director),
        rows=4,
        queries=6,
        shown=lambda r: r.content.decode().count('<tr><th scope="row">Élève'),
        expect=(4, 40),
    )


def test_the_request_grid_cost_is_flat(client_as, registry, school, director, assert_flat_queries):
    assert_flat_queries(
        client_as(director),
        registry["request"].get_absolute_url(),
        _pupils(school, director),
        rows=4,
        queries=9,
        shown=lambda r: r.content.decode().count("Enregistrer les réponses de Élève"),
        expect=(4, 40),
    )


def test_the_declaration_page_searches_without_accents_and_declares(client_as, registry, counsellor):
    from tests.news.factories import PostFactory
    from tests.uploads import samples
    from uploads.services import media_upload

    post = PostFactory(author=counsellor)
    media = media_upload(
        file=samples.jpeg_upload("sortie.jpg"), kind="image", uploaded_by=counsellor, alt_text="La sortie", holder=post
    )
    client = client_as(counsellor)
    url = reverse("privacy:media-declare", args=[media.public_id])
    page = client.get(url, {"q": "elodie"}).content.decode()
    assert "Élodie M. (CM1)" in page and "Noé B." not in page
    response = client.post(url, {"pupils": [registry["elodie"].pk]})
    assert response.status_code == 302
    assert list(media.privacy_declaration.pupils.all()) == [registry["elodie"]]
    # Both at once is refused, the choice kept.
    response = client.post(url, {"pupils": [registry["noe"].pk], "no_identifiable_pupil": "on"})
    assert response.status_code == 200
    assert "pas les deux" in response.content.decode()
    assert list(media.privacy_declaration.pupils.all()) == [registry["elodie"]]


def test_the_declaration_page_is_404_to_others(client_as, registry, counsellor, teacher):
    from tests.news.factories import PostFactory
    from tests.uploads import samples
    from uploads.services import media_upload

    media = media_upload(
        file=samples.jpeg_upload("sortie.jpg"),
        kind="image",
        uploaded_by=counsellor,
        alt_text="La sortie",
        holder=PostFactory(author=counsellor),
    )
    client = client_as(teacher)
    url = reverse("privacy:media-declare", args=[media.public_id])
    assert client.get(url).status_code == 404
    assert client.post(url, {"no_identifiable_pupil": "on"}).status_code == 404
    from privacy.models import MediaDeclaration

    assert not MediaDeclaration.objects.exists()


def test_the_school_page_links_its_registry_for_those_who_keep_it(client_as, school, director, rased_member):
    url = reverse("privacy:registry", args=[school.code])
    assert url in client_as(director).get(school.get_absolute_url()).text
    assert url not in client_as(rased_member).get(school.get_absolute_url()).text


@pytest.mark.parametrize("next_url", ["https://ailleurs.example/", "//ailleurs.example/", "/\\ailleurs.example/"])
def test_the_declaration_never_sends_elsewhere(client_as, registry, counsellor, next_url):
    from tests.news.factories import PostFactory
    from tests.uploads import samples
    from uploads.services import media_upload

    media = media_upload(
        file=samples.jpeg_upload("s.jpg"),
        kind="image",
        uploaded_by=counsellor,
        alt_text="La sortie",
        holder=PostFactory(author=counsellor),
    )
    url = reverse("privacy:media-declare", args=[media.public_id])
    response = client_as(counsellor).post(url, {"no_identifiable_pupil": "on", "next": next_url})
    assert response.status_code == 302 and response["Location"] == url
