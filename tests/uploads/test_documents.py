"""Documents: PDF and office files, checked by their content, kept as they are."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from uploads.models import MediaFile
from uploads.processing import safe_download_name
from uploads.services import media_upload

from . import samples

pytestmark = pytest.mark.django_db


def _upload_document(process_now, user, name, data) -> MediaFile:
    return process_now(media_upload, file=samples.upload(name, data), kind="document", uploaded_by=user)


@pytest.mark.parametrize(
    ("name", "data", "content_type", "suffix"),
    [
        ("Compte rendu du conseil d’école.pdf", samples.pdf_bytes(), "application/pdf", ".pdf"),
        (
            "Projet.docx",
            samples.docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ".docx",
        ),
        ("Sortie.odt", samples.odt_bytes(), "application/vnd.oasis.opendocument.text", ".odt"),
        ("ancien.doc", samples.ole2_bytes("WordDocument"), "application/msword", ".doc"),
        ("notes.xls", samples.ole2_bytes("Workbook"), "application/vnd.ms-excel", ".xls"),
    ],
)
def test_documents_are_accepted_by_content(process_now, teacher, name, data, content_type, suffix):
    media = _upload_document(process_now, teacher, name, data)

    assert media.status == MediaFile.Status.READY, media.error
    assert media.content_type == content_type
    assert media.file.name.endswith(suffix) and media.file.name.startswith("uploads/document/")
    with default_storage.open(media.file.name, "rb") as handle:
        assert handle.read() == data
    assert media.size == len(data)
    assert media.original.name == ""


def test_a_pdf_named_otherwise_is_still_a_pdf(process_now, teacher):
    media = _upload_document(process_now, teacher, "scan.docx", samples.pdf_bytes())

    assert media.content_type == "application/pdf"
    assert media.file.name.endswith(".pdf")


def test_a_renamed_text_file_is_refused_at_once(teacher):
    with pytest.raises(ValidationError) as refusal:
        media_upload(
            file=samples.upload("rapport.pdf", b"Juste du texte, pas un PDF."), kind="document", uploaded_by=teacher
        )

    assert "n’est pas un document PDF ou bureautique" in refusal.value.messages[0]
    assert not MediaFile.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("coupé.pdf", samples.pdf_bytes()[:200], "Ce PDF est incomplet"),
        ("archive.docx", samples._zip({"photo.txt": "pas un document"}), "n’est pas un document accepté"),
        ("macros.docm", samples.docx_bytes(macros=True), "macros"),
        ("abîmé.docx", b"PK\x03\x04" + b"\x00" * 300, "abîmé"),
        ("installeur.msi", samples.ole2_bytes("SummaryInformation"), "n’est pas un document accepté"),
    ],
)
def test_a_document_that_fails_the_content_check_is_refused_in_french(process_now, teacher, name, data, reason):
    media = _upload_document(process_now, teacher, name, data)

    assert media.status == MediaFile.Status.FAILED
    assert reason in media.error
    assert media.original.name == "" and not media.file


@pytest.mark.parametrize(
    ("original", "suffix", "expected"),
    [
        ("Compte rendu.pdf", ".pdf", "Compte rendu.pdf"),
        ("../../etc/passwd", ".pdf", "passwd.pdf"),
        ('C:\\Users\\léa\\"devoir"\r\n.docx', ".docx", "devoir.docx"),
        ("scan.docx", ".pdf", "scan.docx.pdf"),
        ("", ".odt", "document.odt"),
    ],
)
def test_safe_download_name(original, suffix, expected):
    assert safe_download_name(original, suffix) == expected
