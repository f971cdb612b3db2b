"""Make a VAPID key pair for Web Push: ``manage.py vapid_keys`` prints the settings to set."""

from cryptography.hazmat.primitives import serialization
from django.core.management.base import BaseCommand
from py_vapid import Vapid02

from notifications.push import _b64


class Command(BaseCommand):
    help = "Crée une paire de clés VAPID pour les notifications sur les appareils (à mettre dans l’environnement)."

    def handle(self, *args, **options):
        vapid = Vapid02()
        vapid.generate_keys()
        private = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
        public = vapid.public_key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.stdout.write(f"ENT_VAPID_PRIVATE_KEY={_b64(private)}")
        self.stdout.write(f"# Clé publique (donnée aux navigateurs par le site lui-même) : {_b64(public)}")
