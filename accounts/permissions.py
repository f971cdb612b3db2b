"""Every "may this person…" question about people and structures.

Views and templates never test a role name: they call these functions. Other apps build their
own permissions on :func:`acts_for_district`, :func:`directs` and the audiences module.
"""

from django.db.models import Q

from .models import Role
from .roles import TEACHING_ROLES, viewer


def acts_for_district(user) -> bool:
    """The district team (IEN, counsellors, secretary) and administrators speak for the district."""
    v = viewer(user)
    return v.is_authenticated and (v.in_district_team or v.is_superuser)


def directs(user, structure) -> bool:
    """Is this person the current director of that school?"""
    return viewer(user).holds(Role.DIRECTOR, structure.pk)


def schools_directed_by(user) -> frozenset:
    return viewer(user).structures_with_role(Role.DIRECTOR)


def is_inspector(user) -> bool:
    """Is this person the district's IEN (inspector) today?"""
    return viewer(user).holds(Role.IEN)


def schools_taught_in(user) -> frozenset:
    """The ids of the schools where this person teaches or directs today."""
    v = viewer(user)
    return frozenset(sid for sid, roles in v.roles_by_structure.items() if roles & TEACHING_ROLES)


def teaches(user) -> bool:
    """Does this person teach or direct in a school today?"""
    return bool(viewer(user).roles & TEACHING_ROLES)


def must_use_mfa(user) -> bool:
    """Two-factor authentication is required of the district team and of administrators."""
    if not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or viewer(user).in_district_team


def can_view_directory(user) -> bool:
    return viewer(user).is_authenticated


def structures_visible_to(user) -> Q:
    """Every signed-in member of the district sees the directory of schools and teams."""
    return Q() if can_view_directory(user) else Q(pk__in=[])


def can_view_structure(user, structure) -> bool:
    return can_view_directory(user)


def can_see_members_contact(user, structure) -> bool:
    """Personal e-mail addresses of a structure's members: its own members and the district team."""
    v = viewer(user)
    return acts_for_district(user) or structure.pk in v.structure_ids


def can_manage_structure(user, structure) -> bool:
    """Its director manages a school's space; the district team manages every structure."""
    return acts_for_district(user) or directs(user, structure)


def can_edit_profile(user, person) -> bool:
    return user.is_authenticated and user.pk == person.pk


def can_use_admin(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_staff


# --- « Mes applis » ----------------------------------------------------------------------------
def app_link_readers(user):
    """Who sees an outside service's link: its audience; the district team and administrators, all.

    One rule (``ent.predicates``), read by :func:`app_links_visible_to` and :func:`can_view_app_link`.
    """
    from ent.predicates import EVERYTHING, NOTHING

    from .audiences import addressed_to
    from .models import AppLink

    if not viewer(user).is_authenticated:
        return NOTHING
    if acts_for_district(user):
        return EVERYTHING
    return addressed_to(user, AppLink)


def app_links_visible_to(user) -> Q:
    return app_link_readers(user).q()


def can_view_app_link(user, app_link) -> bool:
    return app_link_readers(user).check(app_link)


def can_view_adoption(user) -> bool:
    """The adoption dashboard (figures per school) is the district team's."""
    return acts_for_district(user)
