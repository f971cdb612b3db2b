"""The directory in the search: « Écoles et services » and « Personnes ».

Read live (the directory is small and has no school year), from
:func:`accounts.permissions.structures_visible_to` and the people the directory lists (active, with
a current membership), matched on their stored ``sort_name`` (``ent.text.french_sort_key``: no
accents, no case) and, for a structure, its commune or UAI. One query each: a person's structure
and role come as subqueries.
"""

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse

from accounts import permissions
from accounts.models import Membership, Role, Structure, User
from search.registry import Provider, Result, register
from search.text import Query, highlight


def _structures(user, query: Query):
    condition = Q()
    for word in query.words:
        condition &= Q(sort_name__contains=word) | Q(commune__icontains=word) | Q(uai__iexact=word)
    return Structure.objects.filter(permissions.structures_visible_to(user)).filter(condition).order_by("sort_name")


def _present_structure(structure, query: Query, user) -> Result:
    place = " — ".join(p for p in [structure.get_kind_display(), structure.commune] if p)
    return Result(title=highlight(structure.name, query), url=structure.get_absolute_url(), place=place)


def _people(user, query: Query):
    if not permissions.can_view_directory(user) or not query.words:
        return User.objects.none()
    current = Membership.objects.current().filter(user_id=OuterRef("pk")).order_by("structure__sort_name", "role")
    condition = Q()
    for word in query.words:
        condition &= Q(sort_name__contains=word)
    return (
        User.objects.filter(is_active=True, memberships__in=Membership.objects.current())
        .filter(condition)
        .distinct()
        .annotate(
            structure_code=Subquery(current.values("structure__code")[:1]),
            structure_name=Subquery(current.values("structure__name")[:1]),
            role=Subquery(current.values("role")[:1]),
        )
        .order_by("sort_name", "pk")
    )


def _present_person(person, query: Query, user) -> Result:
    role = Role(person.role).label if person.role in Role.values else ""
    return Result(
        title=highlight(person.get_full_name() or person.email, query),
        url=reverse("accounts:structure-detail", args=[person.structure_code]),
        place=" — ".join(p for p in [role, person.structure_name] if p),
    )


register(
    Provider(
        kind="ecoles",
        label="Écoles et services",
        order=60,
        search=_structures,
        present=_present_structure,
        available=permissions.can_view_directory,
    )
)
register(
    Provider(
        kind="personnes",
        label="Personnes",
        order=70,
        search=_people,
        present=_present_person,
        available=permissions.can_view_directory,
    )
)
