"""Reads about people and structures that depend on who asks."""

from typing import TypeVar

from django.core.cache import cache
from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from .models import APP_LINKS_CACHE_KEY, AppLink, Membership, PrivateLinkKey, Structure, User
from .permissions import app_link_readers, structures_visible_to

K = TypeVar("K", bound=PrivateLinkKey)


def structure_directory(*, user, query: str = "", kind: str = "") -> QuerySet[Structure]:
    structures = Structure.objects.filter(structures_visible_to(user)).search(query)
    if kind in Structure.Kind.values:
        structures = structures.filter(kind=kind)
    # A correlated count, not a join: the paginator's COUNT(*) leaves it out, and the database
    # computes it only for the rows of the page shown.
    members = (
        Membership.objects.current()
        .filter(structure=OuterRef("pk"))
        .order_by()
        .values("structure")
        .annotate(n=Count("user", distinct=True))
        .values("n")
    )
    return structures.annotate(member_count=Coalesce(Subquery(members), 0)).order_by("kind", "sort_name")


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


def all_app_links() -> list[AppLink]:
    """Every outside service's link, in the administrators' order, with its audience's structures.

    Configuration read on every visit to "Accueil" by everyone: kept in the cache (5 minutes), which
    a change of any link empties (``accounts.models.forget_app_links``, on save, delete and a change
    of its structures).
    """
    links = cache.get(APP_LINKS_CACHE_KEY)
    if links is None:
        links = list(AppLink.objects.prefetch_related("audience_structures").order_by("order", "name"))
        cache.set(APP_LINKS_CACHE_KEY, links, 300)
    return links


def app_links_for(*, user) -> list[AppLink]:
    """« Mes applis »: the outside services shown to this person (no query once the cache is warm)."""
    rule = app_link_readers(user)
    return [link for link in all_app_links() if rule.check(link)]


def district_team() -> Structure | None:
    """The district team's structure (its functional e-mail is the site's contact)."""
    return Structure.objects.filter(kind=Structure.Kind.DISTRICT_TEAM).order_by("pk").first()
