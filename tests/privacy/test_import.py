"""CSV import of answers: preview every line (errors named), nothing written before confirming."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from privacy.imports import preview_decisions
from privacy.models import GuardianDecision

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate().strftime("%d/%m/%Y")


def _csv(*lines):
    return "Prénom;Initiale;Classe;Responsable;Décision;Date de signature\n" + "\n".join(lines) + "\n"


def test_the_preview_names_every_error_and_writes_nothing(registry):
    text = _csv(
        f"elodie;M;cm1;1;accordée;{TODAY}",  # accents and case ignored
        f"Noé;B;CE2;3;accordée;{TODAY}",
        f"Léa;P;CP;1;oui;{TODAY}",
        "Noé;B;CE2;1;peut-être;31/02/2026",
    )
    preview = preview_decisions(text, request=registry["request"])
    assert [line.action for line in preview.lines] == ["create", "error", "error", "error"]
    assert preview.lines[1].errors == ["Responsable : 1 ou 2."]
    assert preview.lines[2].errors == ["Élève absent du registre de l’école (prénom, initiale et classe)."]
    assert "Décision : « accordée » ou « refusée »." in preview.lines[3].errors
    assert not GuardianDecision.objects.exists()


def test_upload_preview_then_confirm_records_the_valid_lines(client_as, registry, teacher, school):
    client = client_as(teacher)
    url = reverse("privacy:request-import", args=[school.code, registry["request"].pk])
    upload = SimpleUploadedFile(
        "reponses.csv", _csv(f"Élodie;M;CM1;1;accordée;{TODAY}", f"Élodie;M;CM1;2;refusée;{TODAY}").encode()
    )
    response = client.post(url, {"file": upload})
    assert response.status_code == 200
    assert "Rien n’est encore enregistré." in response.content.decode()
    assert not GuardianDecision.objects.exists()
    digest = response.context["stored"]["digest"]
    assert client.post(url, {"confirm": "1", "digest": "faux"}).status_code == 302
    assert not GuardianDecision.objects.exists()
    response = client.post(url, {"confirm": "1", "digest": digest})
    assert response.status_code == 302
    assert sorted(GuardianDecision.objects.values_list("guardian", "decision", "recorded_by")) == [
        (1, "accordee", teacher.pk),
        (2, "refusee", teacher.pk),
    ]


def test_another_school_cannot_import(client_as, registry, school):
    from tests.factories import SchoolFactory, make_member

    outsider = make_member("directeur", SchoolFactory())
    url = reverse("privacy:request-import", args=[school.code, registry["request"].pk])
    upload = SimpleUploadedFile("r.csv", _csv(f"Élodie;M;CM1;1;accordée;{TODAY}").encode())
    assert client_as(outsider).post(url, {"file": upload}).status_code == 404
    assert not GuardianDecision.objects.exists()


def test_the_model_file_has_the_columns_the_import_reads(client_as, registry, teacher, school):
    response = client_as(teacher).get(
        reverse("privacy:request-import-template", args=[school.code, registry["request"].pk])
    )
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "Prénom;Initiale;Classe;Responsable;Décision;Date de signature"
    preview = preview_decisions(text, request=registry["request"])
    assert not preview.file_errors
