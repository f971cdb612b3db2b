"""Files follow their row: when a ``MediaFile`` is deleted (directly, by the purge, or with its holder:
see ``access.register_holder``), its files are deleted once the transaction commits."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import MediaFile


@receiver(post_delete, sender=MediaFile, dispatch_uid="uploads_delete_files")
def delete_files_of_deleted_media(sender, instance: MediaFile, **kwargs) -> None:
    from .services import delete_files_on_commit

    delete_files_on_commit(instance.stored_names())
