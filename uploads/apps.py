from django.apps import AppConfig


class UploadsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "uploads"
    verbose_name = "Fichiers envoyés"

    def ready(self):
        import pillow_heif

        from . import signals  # noqa: F401

        pillow_heif.register_heif_opener()
