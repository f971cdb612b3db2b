"""The versions the mailbox's pages are kept under (``ent.fragments``): one per person's mailbox,
one for the district team's shared mailbox.

A box's page (the inbox, « Envoyés », « Brouillons », « Programmés », the trash, the team's box, a
folder) draws the side menu (the person's folders, the unread counts per box and folder) and a page
of its list: each row's subject, sender (or « À N destinataires », « au nom de »), date, field
(copy, blind copy), « reçu comme », unread, « Suivi », « Rappelé », « Accusé de lecture demandé »,
« Pris en charge par », the attachment mark; a draft's subject and last change, a scheduled
message's time. Its version changes whenever one of those does:

- a delivery saved (read, unread, flagged, filed, put in or out of the trash, taken in charge):
  ``post_save`` of ``Delivery`` (the services, the factories);
- deliveries written or deleted in bulk (a message delivered, recalled, the trash emptied, the
  retention purge): the services call :func:`lists_changed`, through
  ``mail.services.mailboxes_changed`` when the unread counts change too;
- a message saved or deleted (a draft typed, sent, scheduled, cancelled, delivered, recalled):
  ``post_save`` / ``post_delete`` of ``Message``, for its sender's boxes (and the team's when
  written on its behalf); its recipients' through the services (a recall: ``mailboxes_changed``);
- a draft's attachments added or removed (an ``update()`` of its size): the services;
- a folder created, renamed or deleted: ``post_save`` / ``post_delete`` of ``Folder``.

Who may read the team's box is the person's memberships (``accounts.roles.kept_for`` adds their
version); « au nom de … » is a structure's name (the structures' version, added there too); a
correspondent's name (the sender, « Pris en charge par ») is people's names' version
(``accounts.models.NAMES_VERSION``: a person renamed or deleted, « Compte supprimé »). Only the
e-mail address shown for a sender without a name, were it changed, waits for the 15 minutes
(``accounts.roles.KEPT_FOR``). Nothing depends on the clock: dates are written out (« le 3 mars
à 14 h 05 »), never « il y a … ».
"""

from accounts.models import NAMES_VERSION
from ent import versions

TEAM_LIST_VERSION = "mail:list:team"


def list_version(user_id: int) -> str:
    return f"mail:list:{user_id}"


def list_versions(user) -> list[str]:
    """The versions of what this person's mailbox pages draw: their mailbox's, the team's shared
    one's if they read it (``mail.permissions.can_read_shared_box``), and people's names'."""
    from .permissions import can_read_shared_box

    return [list_version(user.pk), *([TEAM_LIST_VERSION] if can_read_shared_box(user) else []), NAMES_VERSION]


def lists_changed(user_ids=(), *, team: bool = False) -> None:
    """What the mailboxes of these people (and the team's shared one with ``team``) list changed."""
    names = [list_version(pk) for pk in sorted({int(pk) for pk in user_ids if pk is not None})]
    if team:
        names.append(TEAM_LIST_VERSION)
    if names:
        versions.bump(*names)


def _delivery_saved(sender, instance, **kwargs):
    lists_changed([instance.user_id], team=instance.shared_box_id is not None)


def _message_changed(sender, instance, **kwargs):
    lists_changed([instance.sender_id], team=instance.sent_as_id is not None)


def _folder_changed(sender, instance, **kwargs):
    lists_changed([instance.owner_id])


def follow() -> None:
    """Connect the signals above (``MailConfig.ready``). ``Delivery`` has no ``post_delete`` receiver:
    its rows are deleted in batches (the purge, the trash emptied), which a receiver would make
    fetch one by one; whoever deletes them calls :func:`lists_changed`."""
    from django.db.models.signals import post_delete, post_save

    from .models import Delivery, Folder, Message

    post_save.connect(_delivery_saved, sender=Delivery, dispatch_uid="mail.lists:delivery")
    for signal in (post_save, post_delete):
        signal.connect(_message_changed, sender=Message, dispatch_uid=f"mail.lists:message:{signal is post_save}")
        signal.connect(_folder_changed, sender=Folder, dispatch_uid=f"mail.lists:folder:{signal is post_save}")
