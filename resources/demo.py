"""Demo library: a few folders of each theme, with small real PDFs (drawn by WeasyPrint), through
the services; one document replaced once, so that « Mis à jour » shows."""

from accounts.audiences import AudienceKind
from accounts.models import User

from . import samples, services
from .models import Folder, Theme

FOLDERS = [
    (
        Theme.ADMINISTRATIVE,
        "PPMS",
        AudienceKind.DIRECTORS,
        "Plans particuliers de mise en sûreté : modèles et consignes.",
    ),
    (Theme.ADMINISTRATIVE, "APC", AudienceKind.TEACHERS, "Activités pédagogiques complémentaires."),
    (Theme.ADMINISTRATIVE, "Évaluations nationales", AudienceKind.TEACHERS, "Calendrier, livrets et saisie."),
    (Theme.ADMINISTRATIVE, "Formulaires", AudienceKind.DISTRICT, "Demandes d’autorisation, sorties, absences."),
    (Theme.PEDAGOGICAL, "Mathématiques — cycle 2", AudienceKind.TEACHERS, ""),
    (Theme.PEDAGOGICAL, "Français — cycle 3", AudienceKind.TEACHERS, ""),
]

DOCUMENTS = {
    "PPMS": [
        (
            "Modèle de PPMS 2026",
            "Le plan particulier de mise en sûreté face aux risques majeurs : confinement, évacuation.",
        ),
        ("Consignes d’exercice attentat-intrusion", "Déroulé de l’exercice, rôle du directeur, compte rendu."),
    ],
    "APC": [("Fiche projet APC", "Organisation des activités pédagogiques complémentaires, 36 heures annuelles.")],
    "Évaluations nationales": [("Calendrier des évaluations CP-CE1", "Passation en septembre et en janvier.")],
    "Formulaires": [
        ("Demande d’autorisation de sortie scolaire", "Formulaire à transmettre trois semaines avant la sortie."),
        ("Demande d’autorisation d’absence", "À adresser à l’IEN sous couvert du directeur."),
    ],
    "Mathématiques — cycle 2": [("Progression calcul mental CE1", "Repères de progression et jeux de calcul.")],
    "Français — cycle 3": [("Lecture à voix haute : grille", "Une grille d’observation de la fluence.")],
}


def seed(command) -> None:
    ien = User.objects.filter(email="ien@demo.ent.fr").first()
    if ien is None or Folder.objects.exists():
        return
    count = 0
    for position, (theme, name, audience, description) in enumerate(FOLDERS):
        folder = services.folder_create(
            actor=ien, theme=theme, name=name, audience=audience, description=description, position=position
        )
        for title, body in DOCUMENTS.get(name, []):
            document = services.document_create(
                folder=folder,
                file=samples.pdf_file(title, body, name=f"{title[:40]}.pdf"),
                actor=ien,
                title=title,
                summary=body,
                tags=name,
                school_year="2026-2027",
            )
            count += 1
    services.document_replace_file(
        document=document, file=samples.pdf_file(title, body + " Version corrigée.", name="grille.pdf"), actor=ien
    )
    command.stdout.write(f"  Ressources : {len(FOLDERS)} dossiers, {count} documents.")
