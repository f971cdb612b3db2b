"""Reads about people and structures that depend on who asks."""

from typing import TypeVar

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import AppLink, Membership, PrivateLinkKey, Structure, User
from .permissions import app_links_visible_to, structures_visible_to

K = TypeVar("K", bound=PrivateLinkKey)


def structure_directory(*, user, query: str = "", kind: str = "") -> QuerySet[Structure]:
    structures = Structure.objects.filter(structures_visible_to(user)).search(query)
    if kind in Structure.Kind.values:
        structures = structures.filter(kind=kind)
    return structures.annotate(
        member_count=Count("memberships", filter=Q(memberships__in=Membership.objects.current()), distinct=True)
    ).order_by("kind", "sort_name")


def structure_with_members(*, user, code: str) -> Structure | None:
    members = (
        Membership.objects.current()
        .select_related("user")
        .filter(user__is_active=True)
        .order_by("role", "user__sort_name")
    )
    return (
        Structure.objects.filter(structures_visible_to(user), code=code)
        .select_related("district")
        .prefetch_related(Prefetch("memberships", queryset=members, to_attr="current_memberships"))
        .first()
    )


def memberships_of(*, user) -> QuerySet[Membership]:
    return Membership.objects.current().filter(user=user).select_related("structure").order_by("structure__sort_name")


# --- Private-link keys ------------------------------------------------------------------------------


def private_key_of(*, model: type[K], user) -> K | None:
    """This person's key of ``model`` (a :class:`PrivateLinkKey`), or None if they never asked for one."""
    if not user.is_authenticated:
        return None
    return model.objects.filter(user=user).first()


def private_key_owner(*, model: type[K], key: str) -> User | None:
    """The active person whose private link carries ``key`` (one query), or None: the link answers 404."""
    row = model.objects.select_related("user").filter(key=key, user__is_active=True).first()
    return row.user if row else None


def structures_with_ids(*, ids) -> QuerySet[Structure]:
    """These structures, by name (for a choice among the schools someone directs, say)."""
    return Structure.objects.filter(pk__in=ids).order_by("name")


def app_links_for(*, user) -> QuerySet[AppLink]:
    """« Mes applis »: the outside services shown to this person, in the administrators' order (one query)."""
    return AppLink.objects.filter(app_links_visible_to(user)).order_by("order", "name")
