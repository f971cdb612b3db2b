"""Who may see and keep the library.

* The district team and administrators see every folder and keep them all (folders, documents,
  files), and see the download counts.
* Everyone else sees the folders addressed to them (``accounts.audiences``: a folder for directors
  only) and the documents and files of those folders; anything else is a 404.
"""

from accounts.audiences import addressed_to
from accounts.permissions import acts_for_district
from accounts.roles import viewer
from ent.predicates import EVERYTHING, NOTHING, Predicate

from .models import Folder


def folder_readers(user) -> Predicate:
    if not viewer(user).is_authenticated:
        return NOTHING
    if acts_for_district(user):
        return EVERYTHING
    return addressed_to(user, Folder)


def folders_visible_to(user):
    return folder_readers(user).q()


def can_view_folder(user, folder) -> bool:
    return folder_readers(user).check(folder)


def can_view_document(user, document) -> bool:
    return can_view_folder(user, document.folder)


def can_manage(user) -> bool:
    """Adds and changes folders and documents, replaces files."""
    return acts_for_district(user)


def sees_download_counts(user) -> bool:
    return acts_for_district(user)
