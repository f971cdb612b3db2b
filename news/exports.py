"""The news CSV exports (acknowledgements of reading, class registrations), through ``ent.csv_export``."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify

from ent.csv_export import csv_response


def _when(value) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


def acknowledgements_csv(post, rows) -> HttpResponse:
    def lines():
        for school in rows:
            directors = ", ".join(m.user.get_full_name() for m in school.current_directors)
            by = f"{school.acknowledged_by_first or ''} {school.acknowledged_by_last or ''}".strip()
            yield [
                school.name,
                school.commune,
                school.uai or "",
                directors,
                "oui" if school.has_acknowledged else "non",
                _when(school.acknowledged_at),
                by,
            ]

    return csv_response(
        f"accuses-de-lecture-{slugify(post.title)[:60]}.csv",
        ["École", "Commune", "UAI", "Directeur·rice", "Accusé de lecture", "Le", "Par"],
        lines(),
    )


def registrations_csv(post, registrations) -> HttpResponse:
    return csv_response(
        f"inscriptions-{slugify(post.title)[:60]}.csv",
        ["École", "Commune", "Classe", "Niveau", "Élèves", "Inscrite par", "Courriel", "Commentaire", "Le"],
        (
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
            for registration in registrations
        ),
    )
