"""Load the official school holidays from the ministry's calendar file (ICS), by path or URL."""

import urllib.request
from pathlib import Path
from urllib.parse import urlparse

from django.core.management.base import BaseCommand, CommandError

from timeline.holidays import CalendarFileError
from timeline.selectors import holiday_zone
from timeline.services import school_holidays_load

MAX_BYTES = 2 * 1024 * 1024
SHIPPED = Path(__file__).resolve().parents[2] / "data" / "calendrier_scolaire_zone_a.ics"


def read_source(source: str) -> bytes:
    if urlparse(source).scheme in ("http", "https"):
        request = urllib.request.Request(source, headers={"User-Agent": "ENT-circonscription/1.0"})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (scheme checked above)
                content = response.read(MAX_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"Impossible de télécharger {source} : {exc}") from exc
    else:
        path = Path(source)
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {source}")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError("Ce fichier est trop gros pour un calendrier scolaire (2 Mo au plus).")
        content = path.read_bytes()
    if len(content) > MAX_BYTES:
        raise CommandError("Ce fichier est trop gros pour un calendrier scolaire (2 Mo au plus).")
    return content


def source_label(source: str) -> str:
    """What the holidays remember of their source: the address, or the file's name."""
    return source if urlparse(source).scheme in ("http", "https") else Path(source).name


class Command(BaseCommand):
    help = (
        "Charge les vacances scolaires d’une zone depuis le calendrier scolaire du ministère (fichier ICS, "
        "chemin ou adresse web). Sans argument : le fichier livré avec l’ENT. Relancer la commande ne crée "
        "pas de doublon (mise à jour par année scolaire, nom et zone)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "source", nargs="?", default=str(SHIPPED), help="Chemin ou adresse (https://…) du fichier ICS."
        )
        parser.add_argument(
            "--zone", default=None, help="Zone scolaire (A, B ou C) ; par défaut celle de la circonscription."
        )

    def handle(self, *args, source, zone, **options):
        zone = (zone or holiday_zone()).upper()
        if zone not in {"A", "B", "C"}:
            raise CommandError("La zone doit être A, B ou C.")
        content = read_source(source)
        try:
            result = school_holidays_load(content=content, zone=zone, source=source_label(source))
        except CalendarFileError as exc:
            raise CommandError(str(exc)) from exc
        if result.total == 0:
            raise CommandError(f"Aucune période de vacances de la zone {zone} dans ce fichier.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Vacances scolaires zone {zone} : {result.created} ajoutée(s), {result.updated} mise(s) à jour, "
                f"{result.unchanged} inchangée(s)."
            )
        )
