"""CSV exports for French spreadsheet software: UTF-8 with a BOM, semicolon-separated."""

import csv

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify


def _csv_response(filename: str) -> tuple[HttpResponse, csv.writer]:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel reads UTF-8 only with a BOM
    return response, csv.writer(response, delimiter=";", lineterminator="\r\n")


def _when(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def acknowledgements_csv(post, rows) -> HttpResponse:
    response, writer = _csv_response(f"accuses-de-lecture-{slugify(post.title)[:60]}.csv")
    writer.writerow(["École", "Commune", "UAI", "Directeur·rice", "Accusé de lecture", "Le", "Par"])
    for school in rows:
        directors = ", ".join(m.user.get_full_name() for m in school.current_directors)
        by = f"{school.acknowledged_by_first or ''} {school.acknowledged_by_last or ''}".strip()
        writer.writerow(
            [
                school.name,
                school.commune,
                school.uai or "",
                directors,
                "oui" if school.has_acknowledged else "non",
                _when(school.acknowledged_at),
                by,
            ]
        )
    return response


def registrations_csv(post, registrations) -> HttpResponse:
    response, writer = _csv_response(f"inscriptions-{slugify(post.title)[:60]}.csv")
    writer.writerow(["École", "Commune", "Classe", "Niveau", "Élèves", "Inscrite par", "Courriel", "Commentaire", "Le"])
    for registration in registrations:
        writer.writerow(
            [
                registration.school.name,
                registration.school.commune,
                registration.class_name,
                registration.get_level_display(),
                registration.pupil_count,
                registration.registered_by.get_full_name(),
                registration.registered_by.email,
                registration.comment,
                _when(registration.updated_at),
            ]
        )
    return response
