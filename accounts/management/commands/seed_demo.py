import importlib

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


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
        modules = list(_demo_modules())
        # One transaction: the e-mails the services queue leave once everything is written (and what
        # people have read is known), as on the site.
        with transaction.atomic():
            for module in modules:
                module.seed(self)
            # Then what needs every app's content (notifications: what was read, the daily digest).
            for module in modules:
                if hasattr(module, "finish"):
                    module.finish(self)
        self.stdout.write(self.style.SUCCESS("Terminé. Mot de passe des comptes de démonstration : ent-demo-2026"))


def _demo_modules():
    """accounts first, then every other app that has a demo module, in INSTALLED_APPS order."""
    configs = sorted(apps.get_app_configs(), key=lambda c: c.name != "accounts")
    for config in configs:
        try:
            yield importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo":
                raise
