from django.core.management.base import BaseCommand

from ent import backups


class Command(BaseCommand):
    help = "Sauvegarde la base de données et les médias dans un dossier de ENT_BACKUP_DIR."

    def add_arguments(self, parser):
        parser.add_argument("--dossier", help="Où écrire la sauvegarde (par défaut ENT_BACKUP_DIR).")

    def handle(self, *args, dossier=None, **options):
        folder = backups.backup(dossier)
        self.stdout.write(str(folder))
