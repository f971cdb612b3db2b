from django.core.management.base import BaseCommand, CommandError

from ent import backups


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde (un dossier écrit par « backup ») dans la base de données et le stockage "
        "des médias, puis vérifie le nombre de lignes de chaque table et chaque fichier."
    )

    def add_arguments(self, parser):
        parser.add_argument("dossier", help="Le dossier de la sauvegarde.")

    def handle(self, *args, dossier, **options):
        try:
            manifest = backups.restore(dossier)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restauré : {sum(manifest['lignes'].values())} lignes, {len(manifest['fichiers'])} fichiers "
            f"(sauvegarde du {manifest['date']})."
        )
