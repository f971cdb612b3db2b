"""Who keeps a school's consent registry: its director and teachers, and the district team.

Nobody else sees it: another school's registry, its pupils, requests and forms answer 404
(``registry_schools_visible_to`` for lists, ``can_view_registry`` for one school). Whoever may see
a registry may also write in it (record answers, add pupils and requests): they are the people the
families hand the forms to.
"""

from django.db.models import Q

from accounts.models import Structure
from accounts.permissions import acts_for_district, schools_taught_in


def can_view_registry(user, school) -> bool:
    if not (user and user.is_authenticated and user.is_active) or school is None:
        return False
    return acts_for_district(user) or school.pk in schools_taught_in(user)


def can_edit_registry(user, school) -> bool:
    return can_view_registry(user, school)


def registry_schools_visible_to(user) -> Q:
    """A ``Q`` on ``accounts.Structure`` (schools only) keeping those whose registry this person sees."""
    if not (user and user.is_authenticated and user.is_active):
        return Q(pk__in=[])
    if acts_for_district(user):
        return Q(kind="ecole")
    return Q(kind="ecole", pk__in=schools_taught_in(user))


def can_declare_media(user, media) -> bool:
    """Who says which pupils a photo or a recording shows: its uploader, or the district team."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return media.uploaded_by_id == user.pk or acts_for_district(user)


def declarable_pupil_schools(user) -> Q:
    """The pupils this person may name on a media: those of the registries they keep."""
    return Q(school__in=Structure.objects.filter(registry_schools_visible_to(user)))


def can_manage_policy(user) -> bool:
    """The district's rule (one guardian or both): the district team (for its DPO) and administrators."""
    return acts_for_district(user)


def can_read_admin_journal(user) -> bool:
    """The journal of the administrators' actions on accounts and consents: the IEN's (RGPD accountability)."""
    from accounts.permissions import is_inspector

    return bool(user.is_authenticated) and is_inspector(user)
