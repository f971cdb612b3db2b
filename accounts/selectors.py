"""Reads about people and structures that depend on who asks."""

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import Membership, Structure
from .permissions import structures_visible_to


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


def structures_with_ids(*, ids) -> QuerySet[Structure]:
    """These structures, by name (for a choice among the schools someone directs, say)."""
    return Structure.objects.filter(pk__in=ids).order_by("name")
