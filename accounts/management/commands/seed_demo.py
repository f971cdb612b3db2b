import importlib

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Charge les données de démonstration (Circonscription de Lencloître). Idempotent : "
        "le relancer met à jour sans dupliquer. Refuse de tourner avec DEBUG=false sauf --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Autoriser le chargement hors mode DEBUG.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Données de démonstration refusées avec DEBUG=false : elles créent des comptes au mot de passe connu. "
                "Ajoutez --force si c’est vraiment voulu."
            )
        self.stdout.write("Données de démonstration :")
        # accounts first, then every other app that has a demo module, in INSTALLED_APPS order.
        configs = sorted(apps.get_app_configs(), key=lambda c: c.name != "accounts")
        for config in configs:
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.demo":
                    raise
                continue
            module.seed(self)
        self.stdout.write(self.style.SUCCESS("Terminé. Mot de passe des comptes de démonstration : ent-demo-2026"))
