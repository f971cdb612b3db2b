"""Write every search entry again: after installing the search on a site that already has content,
or after changing what a provider indexes. Each provider's ``reindex`` goes through the same
helper the services call (``search.index.index_refresh``)."""

from django.core.management.base import BaseCommand
from django.db import transaction

from search import registry


class Command(BaseCommand):
    help = "Réécrit l’index de la recherche à partir du contenu de chaque application."

    def handle(self, *args, **options):
        for provider in registry.providers():
            if provider.reindex is None:
                continue
            with transaction.atomic():
                count = provider.reindex()
            self.stdout.write(f"{provider.label} : {count} entrée(s)")
